"""Register searches for the dashboard: the API's filters, always confined to the
user's offices, plus drill-downs that match the overview's charts (refusals on a
ground, decisions found unlawful, within a period)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from projections.register import past_due
from projections.versions import live_table

# The events an overview number counts, as conditions on ``oversight_facts f``.
EVENTS: dict[str, sql.Composable] = {
    "decided": sql.SQL("f.kind = 'decided'"),
    "refused": sql.SQL("f.kind = 'decided' AND f.detail->>'outcome' = 'refused'"),
    "reviewed": sql.SQL("f.kind = 'reviewed'"),
    "overturned": sql.SQL("f.kind = 'reviewed' AND f.detail->>'result' = 'overturned'"),
    "deemed_refused": sql.SQL("f.kind = 'deemed_refused'"),
    "redirected": sql.SQL("f.kind = 'redirected'"),
    "redirected_late": sql.SQL("f.kind = 'redirected' AND (f.detail->>'late')::boolean"),
}
# What a visit to the Center for Law Enforcement Services came with, at any time, as
# the reception statistics count it (projections/oversight_queries.py).
VISIT_HELP: dict[str, sql.Composable] = {
    "legal_help": sql.SQL("c.kind = 'consulted' AND c.detail->'help' ? 'legal_help'"),
    "psychologist": sql.SQL(
        "c.kind = 'consulted' AND c.detail->>'specialist_role' = 'psychologist'"
    ),
    "lawyer": sql.SQL("c.kind = 'consulted' AND c.detail->>'specialist_role' = 'lawyer'"),
    "accepted": sql.SQL("c.kind = 'instruction_issued'"),
}


@dataclass(frozen=True)
class DashboardFilter:
    offices: Sequence[str]  # the register rows the user may see: current office among these
    status: str | None = None
    region: str | None = None
    office: str | None = None
    channel: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue_on: date | None = None  # open and past due on this day
    # Drill-downs from the overview, counted as the oversight facts count them: appeals
    # with such an event (one of EVENTS) within the period, at an office among ``offices``.
    event: str | None = None
    ground: str | None = None  # with event "refused": on this ground
    agency: str | None = None  # with event "redirected" or "redirected_late": to this agency
    period_from: date | None = None
    period_to: date | None = None
    receiving_office: str | None = None  # received there (it may be held elsewhere now)
    visit_help: str | None = None  # one of VISIT_HELP, at any time
    # Last changed on or after this day in Astana (UTC+5, as domain.clock.KAZAKHSTAN).
    updated_from: date | None = None
    updated_to: date | None = None


class DashboardRegister:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    @staticmethod
    def _where(f: DashboardFilter, facts: sql.Identifier) -> tuple[sql.Composable, list[Any]]:
        clauses: list[sql.Composable] = [sql.SQL("r.office = ANY(%s)")]
        params: list[Any] = [list(f.offices)]
        for column in ("status", "region", "office", "channel"):
            value = getattr(f, column)
            if value is not None:
                clauses.append(sql.SQL("r.{} = %s").format(sql.Identifier(column)))
                params.append(value)
        if f.received_from is not None:
            clauses.append(sql.SQL("r.received_on >= %s"))
            params.append(f.received_from)
        if f.received_to is not None:
            clauses.append(sql.SQL("r.received_on <= %s"))
            params.append(f.received_to)
        if f.overdue_on is not None:
            clauses.append(past_due("r"))
            params.append(f.overdue_on)
        if f.receiving_office is not None:
            clauses.append(sql.SQL("r.receiving_office = %s"))
            params.append(f.receiving_office)
        if f.visit_help is not None:
            clauses.append(
                sql.SQL(
                    "EXISTS (SELECT 1 FROM {} c WHERE c.appeal_id = r.appeal_id AND {})"
                ).format(facts, VISIT_HELP[f.visit_help])
            )
        if f.updated_from is not None:
            clauses.append(
                sql.SQL("(r.updated_at AT TIME ZONE 'UTC' + interval '5 hours')::date >= %s")
            )
            params.append(f.updated_from)
        if f.updated_to is not None:
            clauses.append(
                sql.SQL("(r.updated_at AT TIME ZONE 'UTC' + interval '5 hours')::date <= %s")
            )
            params.append(f.updated_to)
        if f.event is not None:
            fact_clause = sql.SQL(
                "EXISTS (SELECT 1 FROM {} f WHERE f.appeal_id = r.appeal_id "
                "AND {} AND f.office = ANY(%s)"
            ).format(facts, EVENTS[f.event])
            params.append(list(f.offices))
            if f.event == "refused" and f.ground is not None:
                fact_clause = sql.SQL("{} AND f.detail->>'ground' = %s").format(fact_clause)
                params.append(f.ground)
            if f.event in ("redirected", "redirected_late") and f.agency is not None:
                fact_clause = sql.SQL("{} AND f.detail->>'agency' = %s").format(fact_clause)
                params.append(f.agency)
            if f.office is not None:
                fact_clause = sql.SQL("{} AND f.office = %s").format(fact_clause)
                params.append(f.office)
            if f.period_from is not None:
                fact_clause = sql.SQL("{} AND f.day >= %s").format(fact_clause)
                params.append(f.period_from)
            if f.period_to is not None:
                fact_clause = sql.SQL("{} AND f.day <= %s").format(fact_clause)
                params.append(f.period_to)
            clauses.append(sql.SQL("{})").format(fact_clause))
        return sql.SQL(" AND ").join(clauses), params

    def search(
        self, f: DashboardFilter, *, limit: int, offset: int, order: str = "received_on"
    ) -> tuple[int, list[dict[str, Any]]]:
        if order not in ("received_on", "updated_at"):
            raise ValueError("order must be received_on or updated_at")
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            # The live table versions: `appeals rebuild` may have swapped in new ones.
            register = sql.Identifier(live_table(conn, "appeal_register"))
            facts = sql.Identifier(live_table(conn, "oversight_facts"))
            where, params = self._where(f, facts)
            cur.execute(
                sql.SQL("SELECT count(*) AS n FROM {} r WHERE {}").format(register, where),
                params,
            )
            total = cur.fetchone()
            cur.execute(
                sql.SQL(
                    "SELECT r.* FROM {} r WHERE {} "
                    "ORDER BY r.{} DESC, r.appeal_id LIMIT %s OFFSET %s"
                ).format(register, where, sql.Identifier(order)),
                [*params, limit, offset],
            )
            rows = cur.fetchall()
        return (int(total["n"]) if total else 0), rows

    def one(self, appeal_id: Any) -> dict[str, Any] | None:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            register = sql.Identifier(live_table(conn, "appeal_register"))
            cur.execute(
                sql.SQL("SELECT * FROM {} WHERE appeal_id = %s").format(register), (appeal_id,)
            )
            return cur.fetchone()
