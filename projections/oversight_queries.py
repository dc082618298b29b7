"""Questions oversight staff ask of the facts: decisions of lower offices over a
period, reception-centre statistics, and redirects by receiving agency."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from psycopg import Connection, sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from projections.cohorts import AppealFate, CohortAppeal, cohort_rows, fate_of
from projections.register import past_due
from projections.versions import live_table

# The facts that decide an appeal's fate in the cohort report.
FATE_KINDS = (
    "decided",
    "deemed_refused",
    "redirected",
    "not_considered",
    "reopened",
    "reviewed",
    "complaint_decided",
    "notice_overdue",
    "case_file_requested",
)

GroupBy = Literal["region", "office", "prosecutor"]


_KEY = {
    "region": sql.SQL("f.region"),
    "office": sql.SQL("f.office"),
    "prosecutor": sql.SQL("coalesce(r.assignee, '(unassigned)')"),
}
_REGISTER_KEY = {
    "region": sql.SQL("region"),
    "office": sql.SQL("office"),
    "prosecutor": sql.SQL("coalesce(assignee, '(unassigned)')"),
}


@dataclass(frozen=True)
class Scope:
    """A period (inclusive) and the offices whose facts count (None: every office)."""

    start: date
    end: date
    offices: Sequence[str] | None = None


def _tables(conn: Connection) -> dict[str, sql.Identifier]:
    """The live table versions (``appeals rebuild`` may have swapped in new ones)."""
    return {
        "facts": sql.Identifier(live_table(conn, "oversight_facts")),
        "register": sql.Identifier(live_table(conn, "appeal_register")),
    }


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _member(row: dict[str, Any], fate: AppealFate, group_by: GroupBy) -> CohortAppeal:
    """Where an appeal of the cohort is counted: its region; the office that gave (or
    had overturned) its answer, else the office holding it; its prosecutor."""
    if group_by == "region":
        key = row["region"]
    elif group_by == "office":
        answered = fate.fate in ("decided", "refused", "deemed_refused", "reversed")
        key = (fate.deciding_office if answered else None) or row["holding"] or row["receiving"]
    else:
        key = row["assignee"] or "(unassigned)"
    # A suspended term has no due date to pass until it resumes.
    due_on = date.max if row["suspended_since"] else row["due_on"]
    return CohortAppeal(key=str(key), fate=fate, due_on=due_on or date.max)


class OversightQueries:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def _scope(self, scope: Scope, alias: str = "f") -> tuple[sql.Composable, list[Any]]:
        clause = sql.SQL("{}.day BETWEEN %s AND %s").format(sql.Identifier(alias))
        params: list[Any] = [scope.start, scope.end]
        if scope.offices is not None:
            clause = sql.SQL("{} AND {}.office = ANY(%s)").format(clause, sql.Identifier(alias))
            params.append(list(scope.offices))
        return clause, params

    def decisions(self, scope: Scope, group_by: GroupBy, today: date) -> list[dict[str, Any]]:
        """Per region, office or prosecutor: the cohort of appeals received in the period
        and what became of each (``projections.cohorts``), refusals by legal ground,
        reviews and their results, open appeals overdue today, and the shares between
        them, none of which can pass 100%."""
        where: sql.Composable = sql.SQL("f.kind = 'received' AND f.day BETWEEN %s AND %s")
        params: list[Any] = [scope.start, scope.end]
        if scope.offices is not None:
            where = sql.SQL("{} AND (f.office = ANY(%s) OR r.office = ANY(%s))").format(where)
            params += [list(scope.offices), list(scope.offices)]
        query = sql.SQL(
            """
            WITH cohort AS (
                SELECT f.appeal_id, f.region, f.office AS receiving, r.office AS holding,
                       r.assignee, r.due_on, r.suspended_since, r.kind AS appeal_kind
                FROM {facts} f LEFT JOIN {register} r ON r.appeal_id = f.appeal_id
                WHERE {where}
            )
            SELECT c.*, g.kind, g.office AS fact_office, g.detail
            FROM cohort c LEFT JOIN {facts} g
              ON g.appeal_id = c.appeal_id AND g.kind = ANY(%s)
            ORDER BY c.appeal_id
            """
        )
        members: dict[Any, dict[str, Any]] = {}
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            q = query.format(where=where, **_tables(conn))
            for row in cur.execute(q, [*params, list(FATE_KINDS)]).fetchall():
                member = members.setdefault(row["appeal_id"], {"row": row, "facts": []})
                if row["kind"] is not None:
                    member["facts"].append(
                        {"kind": row["kind"], "office": row["fact_office"], "detail": row["detail"]}
                    )
        return cohort_rows(
            (
                _member(
                    m["row"], fate_of(m["facts"], appeal_kind=m["row"]["appeal_kind"]), group_by
                )
                for m in members.values()
            ),
            today,
        )

    def activity(self, scope: Scope, group_by: GroupBy, today: date) -> list[dict[str, Any]]:
        """Per region, office or prosecutor: the events of the period (appeals received,
        decided, refused by legal ground, redirected, reviewed, deemed refused) and the
        open appeals overdue today. The dashboard's tiles show these, each linking to
        the appeals it counts. Counts of events only: events of a period are not parts
        of one whole, so no rate is drawn from them (``decisions`` gives the shares)."""
        where, params = self._scope(scope)
        key = _KEY[group_by]
        counts = sql.SQL(
            """
            SELECT {key} AS key,
              count(*) FILTER (WHERE f.kind = 'received') AS received,
              count(*) FILTER (WHERE f.kind = 'decided') AS decided,
              count(*) FILTER (WHERE f.kind = 'decided' AND f.outcome = 'satisfied')
                AS satisfied,
              count(*) FILTER (WHERE f.kind = 'decided' AND f.outcome = 'partially_satisfied')
                AS partially_satisfied,
              count(*) FILTER (WHERE f.kind = 'decided' AND f.outcome = 'explained')
                AS explained,
              count(*) FILTER (WHERE f.kind = 'decided' AND f.outcome = 'refused') AS refused,
              count(*) FILTER (WHERE f.kind = 'decided' AND f.late) AS decided_late,
              count(*) FILTER (WHERE f.kind = 'redirected') AS redirected,
              count(*) FILTER (WHERE f.kind = 'redirected' AND f.late) AS redirected_late,
              count(*) FILTER (WHERE f.kind = 'reviewed') AS reviewed,
              count(*) FILTER (WHERE f.kind = 'reviewed' AND f.result = 'upheld') AS upheld,
              count(*) FILTER (WHERE f.kind = 'reviewed' AND f.result = 'overturned')
                AS overturned,
              count(*) FILTER (WHERE f.kind = 'case_file_requested' AND NOT EXISTS (
                SELECT 1 FROM {facts} v
                WHERE v.appeal_id = f.appeal_id AND v.kind = 'reviewed')) AS reviews_pending,
              count(*) FILTER (WHERE f.kind = 'deemed_refused') AS deemed_refused
            FROM {facts} f LEFT JOIN {register} r ON r.appeal_id = f.appeal_id
            WHERE {where}
            GROUP BY 1 ORDER BY 1
            """
        )
        grounds = sql.SQL(
            """
            SELECT {key} AS key, f.ground AS ground, count(*) AS n
            FROM {facts} f LEFT JOIN {register} r ON r.appeal_id = f.appeal_id
            WHERE {where} AND f.kind = 'decided' AND f.outcome = 'refused'
            GROUP BY 1, 2
            """
        )
        overdue_where: sql.Composable = past_due()
        overdue_params: list[Any] = [today]
        if scope.offices is not None:
            overdue_where = sql.SQL("{} AND office = ANY(%s)").format(overdue_where)
            overdue_params.append(list(scope.offices))
        overdue = sql.SQL(
            "SELECT {key} AS key, count(*) AS n FROM {register} WHERE {where} GROUP BY 1"
        )
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            t = _tables(conn)
            counts_q = counts.format(key=key, where=where, **t)
            grounds_q = grounds.format(key=key, where=where, **t)
            overdue_q = overdue.format(key=_REGISTER_KEY[group_by], where=overdue_where, **t)
            rows = {row["key"]: dict(row) for row in cur.execute(counts_q, params).fetchall()}
            by_ground: dict[str, dict[str, int]] = {}
            for row in cur.execute(grounds_q, params).fetchall():
                by_ground.setdefault(row["key"], {})[row["ground"]] = int(row["n"])
            overdue_now = {
                row["key"]: int(row["n"])
                for row in cur.execute(overdue_q, overdue_params).fetchall()
            }
        result = []
        for key in sorted(set(rows) | set(overdue_now)):
            row = rows.get(key) or {"key": key} | dict.fromkeys(
                (
                    "received",
                    "decided",
                    "satisfied",
                    "partially_satisfied",
                    "explained",
                    "refused",
                    "decided_late",
                    "redirected",
                    "redirected_late",
                    "reviewed",
                    "upheld",
                    "overturned",
                    "reviews_pending",
                    "deemed_refused",
                ),
                0,
            )
            row = {k: (int(v) if k != "key" else v) for k, v in row.items()}
            row["refusals_by_ground"] = by_ground.get(key, {})
            row["overdue_now"] = overdue_now.get(key, 0)
            result.append(row)
        return result

    def reception_statistics(self, scope: Scope) -> list[dict[str, Any]]:
        """Per reception centre (an office receiving through the Center for Law
        Enforcement Services), visits in the period and the help they got."""
        where, params = self._scope(scope, "v")
        query = sql.SQL(
            """
            SELECT v.office AS centre,
              count(*) AS citizens_received,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM {facts} c
                WHERE c.appeal_id = v.appeal_id AND c.kind = 'consulted'
                AND c.detail->'help' ? 'legal_help')) AS given_legal_help,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM {facts} c
                WHERE c.appeal_id = v.appeal_id AND c.kind = 'instruction_issued'))
                AS applications_accepted,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM {facts} c
                WHERE c.appeal_id = v.appeal_id AND c.kind = 'consulted'
                AND c.detail->>'specialist_role' = 'psychologist')) AS helped_by_psychologist,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM {facts} c
                WHERE c.appeal_id = v.appeal_id AND c.kind = 'consulted'
                AND c.detail->>'specialist_role' = 'lawyer')) AS helped_by_lawyers
            FROM {facts} v
            WHERE v.kind = 'received' AND v.detail->>'channel' = 'law_enforcement_center'
              AND {where}
            GROUP BY 1 ORDER BY 1
            """
        )
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            query_q = query.format(where=where, **_tables(conn))
            return [
                {k: (int(v) if k != "centre" else v) for k, v in row.items()}
                for row in cur.execute(query_q, params).fetchall()
            ]

    def redirects_by_agency(self, scope: Scope) -> list[dict[str, Any]]:
        where, params = self._scope(scope)
        query = sql.SQL(
            """
            SELECT f.detail->>'agency' AS agency, count(*) AS redirected,
              count(*) FILTER (WHERE (f.detail->>'late')::boolean) AS late,
              count(*) FILTER (WHERE (f.detail->>'urgent')::boolean) AS urgent,
              round(avg((f.detail->>'working_days_taken')::int), 2) AS avg_working_days
            FROM {facts} f
            WHERE f.kind = 'redirected' AND {where}
            GROUP BY 1 ORDER BY 2 DESC, 1
            """
        )
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(query.format(where=where, **_tables(conn)), params).fetchall()
        return [
            {
                "agency": row["agency"],
                "redirected": int(row["redirected"]),
                "late": int(row["late"]),
                "urgent": int(row["urgent"]),
                "on_time_rate": _ratio(
                    int(row["redirected"]) - int(row["late"]), int(row["redirected"])
                ),
                "avg_working_days": float(row["avg_working_days"] or 0),
            }
            for row in rows
        ]
