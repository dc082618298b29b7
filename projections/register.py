"""The appeal register: one row per appeal with its current status, office, region,
assignee and deadlines, for filtering, sorting, oversight and the deadline watcher."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import Connection, sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from projections.records import EventRecord
from projections.versions import live_table

OPEN_STATUSES = ("received", "in_progress")

_STATUS_AFTER = {
    "appeals.appeal.not_considered": "not_considered",
    "appeals.appeal.assigned": "in_progress",
    "appeals.appeal.redirected": "redirected",
    "appeals.appeal.refusal_explained": "refused",
    "appeals.appeal.deemed_refused": "deemed_refused",
    "appeals.appeal.closed": "closed",
}


class AppealRegister:
    """Keeps ``appeal_register`` current. ``region_of`` maps an office to its region."""

    name = "appeal_register"

    def __init__(self, region_of: Callable[[str], str], table: str | None = None) -> None:
        self.region_of = region_of
        self.table = table or self.name

    def at_table(self, table: str) -> AppealRegister:
        return AppealRegister(self.region_of, table)

    def apply(self, conn: Connection, record: EventRecord) -> None:
        if not record.type.startswith("appeals.appeal."):
            return
        t = sql.Identifier(self.table)
        data = record.data
        if record.type == "appeals.appeal.received":
            conn.execute(
                sql.SQL(
                    """
                    INSERT INTO {} (appeal_id, version, status, channel, receiving_office, office,
                        region, assignee, anonymous, received_on, due_on, updated_at)
                    VALUES (%s, %s, 'received', %s, %s, %s, %s, NULL, %s, %s, %s, %s)
                    ON CONFLICT (appeal_id) DO NOTHING
                    """
                ).format(t),
                (
                    record.aggregate_id,
                    record.version,
                    data["channel"],
                    data["office"],
                    data["office"],
                    self.region_of(data["office"]),
                    data["anonymous"],
                    data["received_on"],
                    data["due_on"],
                    record.time,
                ),
            )
            return
        changes: dict[str, Any] = {}
        status = _STATUS_AFTER.get(record.type)
        if status is not None:
            changes["status"] = status
        if record.type == "appeals.appeal.assigned":
            changes.update(
                assignee=data["assignee"],
                office=data["office"],
                region=self.region_of(data["office"]),
            )
        elif record.type == "appeals.appeal.extended":
            changes["due_on"] = data["new_due_on"]
        elif record.type == "appeals.appeal.decided":
            changes["outcome"] = data["outcome"]
            changes["refusal_ground"] = data["ground"]
            if data["outcome"] != "refused":
                changes["status"] = "decided"
            elif data["explanation_required"]:
                changes["status"] = "refusal_pending_explanation"
            else:
                changes["status"] = "refused"
        elif record.type == "appeals.appeal.reopened":
            changes["due_on"] = data["new_due_on"]
            changes["outcome"] = None
            changes["refusal_ground"] = None
        assignments: list[sql.Composable] = [
            sql.SQL("{} = %s").format(sql.Identifier(column)) for column in changes
        ]
        if record.type == "appeals.appeal.reopened":
            assignments.append(
                sql.SQL(
                    "status = CASE WHEN assignee IS NULL THEN 'received' ELSE 'in_progress' END"
                )
            )
        assignments += [sql.SQL("version = %s"), sql.SQL("updated_at = %s")]
        # Applying only newer versions makes a redelivered event a no-op.
        conn.execute(
            sql.SQL("UPDATE {} SET {} WHERE appeal_id = %s AND version < %s").format(
                t, sql.SQL(", ").join(assignments)
            ),
            (*changes.values(), record.version, record.time, record.aggregate_id, record.version),
        )


@dataclass(frozen=True)
class RegisterFilter:
    status: str | None = None
    region: str | None = None
    office: str | None = None
    assignee: str | None = None
    channel: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    due_before: date | None = None
    overdue_on: date | None = None  # open and past due on this day
    within: Sequence[str] | None = None  # offices the reader may see (None: all)


SORTABLE = ("received_on", "due_on", "status", "office", "region", "updated_at")


class RegisterQueries:
    """Reads whichever table version serves the register now (see ``appeals rebuild``)."""

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def _where(self, f: RegisterFilter) -> tuple[sql.Composable, list[Any]]:
        clauses: list[sql.Composable] = []
        params: list[Any] = []
        for column in ("status", "region", "office", "assignee", "channel"):
            value = getattr(f, column)
            if value is not None:
                clauses.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
                params.append(value)
        if f.received_from is not None:
            clauses.append(sql.SQL("received_on >= %s"))
            params.append(f.received_from)
        if f.received_to is not None:
            clauses.append(sql.SQL("received_on <= %s"))
            params.append(f.received_to)
        if f.due_before is not None:
            clauses.append(sql.SQL("due_on < %s"))
            params.append(f.due_before)
        if f.within is not None:
            clauses.append(sql.SQL("(office = ANY(%s) OR receiving_office = ANY(%s))"))
            params += [list(f.within), list(f.within)]
        if f.overdue_on is not None:
            clauses.append(sql.SQL("status IN ('received', 'in_progress') AND due_on < %s"))
            params.append(f.overdue_on)
        where = sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("TRUE")
        return where, params

    def search(
        self,
        f: RegisterFilter,
        *,
        sort: str = "received_on",
        descending: bool = True,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[dict[str, Any]]]:
        if sort not in SORTABLE:
            raise ValueError(f"sort must be one of {SORTABLE}")
        where, params = self._where(f)
        order = sql.SQL("DESC" if descending else "ASC")
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            t = sql.Identifier(live_table(conn, AppealRegister.name))
            cur.execute(sql.SQL("SELECT count(*) AS n FROM {} WHERE {}").format(t, where), params)
            total_row = cur.fetchone()
            cur.execute(
                sql.SQL(
                    "SELECT * FROM {} WHERE {} ORDER BY {} {}, appeal_id LIMIT %s OFFSET %s"
                ).format(t, where, sql.Identifier(sort), order),
                [*params, limit, offset],
            )
            rows = cur.fetchall()
        return int(total_row["n"]) if total_row else 0, rows

    def overdue_ids(self, today: date, limit: int = 1000) -> list[UUID]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                sql.SQL(
                    "SELECT appeal_id FROM {} WHERE status IN ('received', 'in_progress') "
                    "AND due_on < %s ORDER BY due_on LIMIT %s"
                ).format(sql.Identifier(live_table(conn, AppealRegister.name))),
                (today, limit),
            ).fetchall()
        return [row[0] for row in rows]
