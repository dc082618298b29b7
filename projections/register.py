"""The appeal register: one row per appeal with its current status, office, region,
assignee and deadlines, for filtering, sorting, oversight and the deadline watcher."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from psycopg import ClientCursor, Connection, sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from projections.base import ReadModel, handles
from projections.records import EventRecord
from projections.versions import live_table
from projections.writes import Writes

OPEN_STATUSES = ("received", "in_progress")

# Events that change nothing but the status, and the status after each.
_STATUS_AFTER = {
    "appeals.appeal.not_considered": "not_considered",
    "appeals.appeal.deemed_refused": "deemed_refused",
    "appeals.appeal.closed": "closed",
}


class AppealRegister(ReadModel):
    """Keeps ``appeal_register`` current. ``region_of`` maps an office to its region."""

    name = "appeal_register"

    def __init__(self, region_of: Callable[[str], str], table: str | None = None) -> None:
        super().__init__(table)
        self.region_of = region_of

    @handles("appeals.appeal.received")
    def received(self, conn: Writes, record: EventRecord) -> None:
        data = record.data
        conn.execute(
            self.statement(
                """
                INSERT INTO {} (appeal_id, version, status, channel, receiving_office, office,
                    region, assignee, anonymous, received_on, due_on, updated_at,
                    notices_pending, kind, applicant_ref)
                VALUES (%s, %s, 'received', %s, %s, %s, %s, NULL, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (appeal_id) DO NOTHING
                """
            ),
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
                Jsonb({} if data["anonymous"] else {"receipt": data["received_on"]}),
                data.get("kind"),
                data.get("applicant_ref"),
            ),
        )

    @handles("appeals.appeal.*")
    def touched(self, conn: Writes, record: EventRecord) -> None:
        # Any other event of the appeal: the row follows its version all the same.
        self._update(conn, record, {})

    @handles(*_STATUS_AFTER)
    def status_changed(self, conn: Writes, record: EventRecord) -> None:
        self._update(conn, record, {"status": _STATUS_AFTER[record.type]})

    @handles("appeals.appeal.assigned")
    def assigned(self, conn: Writes, record: EventRecord) -> None:
        office = record.data["office"]
        changes = {
            "status": "in_progress",
            "assignee": record.data["assignee"],
            "office": office,
            "region": self.region_of(office),
        }
        self._update(conn, record, changes)

    @handles("appeals.appeal.extended")
    def extended(self, conn: Writes, record: EventRecord) -> None:
        self._update(conn, record, {"due_on": record.data["new_due_on"]})

    @handles("appeals.appeal.decided")
    def decided(self, conn: Writes, record: EventRecord) -> None:
        data = record.data
        if data["explanation_required"]:
            status = "refusal_pending_explanation"
        elif data["outcome"] == "refused":
            status = "refused"
        else:
            status = "decided"
        changes = {"outcome": data["outcome"], "refusal_ground": data["ground"], "status": status}
        self._update(conn, record, changes, _notice_due(record, "answer"))

    @handles("appeals.appeal.refusal_explained")
    def refusal_explained(self, conn: Writes, record: EventRecord) -> None:
        # A partial refusal, explained, is a decision; a full one a refusal.
        status = "status = CASE WHEN outcome = 'refused' THEN 'refused' ELSE 'decided' END"
        self._update(conn, record, {}, (status, ()))

    @handles("appeals.appeal.complaint_decided")
    def complaint_decided(self, conn: Writes, record: EventRecord) -> None:
        data = record.data
        answer = _notice_due(record, "answer")
        if data["returned"]:
            changes = {"due_on": data["new_due_on"], "outcome": None, "refusal_ground": None}
            self._update(conn, record, changes, _BACK_TO_WORK, answer)
        elif data["outcome"] is not None:
            status = "refused" if data["outcome"] == "refused" else "decided"
            changes = {"outcome": data["outcome"], "refusal_ground": data["ground"]}
            self._update(conn, record, {**changes, "status": status}, answer)
        else:
            self._update(conn, record, {}, answer)

    @handles("appeals.appeal.case_file_received")
    def case_file_received(self, conn: Writes, record: EventRecord) -> None:
        # The file moves to the office that demanded it (the event's office).
        self._update(conn, record, {"file_held_by": record.office})

    @handles("appeals.appeal.redirected")
    def redirected(self, conn: Writes, record: EventRecord) -> None:
        self._update(conn, record, {"status": "redirected"}, _notice_due(record, "redirect"))

    @handles("appeals.appeal.term_suspended")
    def term_suspended(self, conn: Writes, record: EventRecord) -> None:
        changes = {"suspended_since": record.data["suspended_on"]}
        self._update(conn, record, changes, _notice_due(record, "suspension"))

    @handles("appeals.appeal.applicant_notified")
    def applicant_notified(self, conn: Writes, record: EventRecord) -> None:
        kind = record.data["kind"]
        sent = (
            "notices_pending = notices_pending - %s::text, "
            "notices_overdue = array_remove(notices_overdue, %s::text)"
        )
        self._update(conn, record, {}, (sent, (kind, kind)))

    @handles("appeals.appeal.notice_overdue")
    def notice_overdue(self, conn: Writes, record: EventRecord) -> None:
        kind = record.data["kind"]
        overdue = (
            "notices_pending = notices_pending - %s::text, "
            "notices_overdue = array_append(array_remove(notices_overdue, %s::text), %s::text)"
        )
        self._update(conn, record, {}, (overdue, (kind, kind, kind)))

    @handles("appeals.appeal.term_resumed")
    def term_resumed(self, conn: Writes, record: EventRecord) -> None:
        changes = {"suspended_since": None, "due_on": record.data["new_due_on"]}
        self._update(conn, record, changes)

    @handles("appeals.appeal.reopened")
    def reopened(self, conn: Writes, record: EventRecord) -> None:
        changes = {"due_on": record.data["new_due_on"], "outcome": None, "refusal_ground": None}
        self._update(conn, record, changes, _BACK_TO_WORK)

    def _update(
        self,
        conn: Writes,
        record: EventRecord,
        changes: dict[str, Any],
        *more: Assignment,
    ) -> None:
        # Applying only newer versions makes a redelivered event a no-op.
        conn.execute(
            _update_statement(self.table, tuple(changes), tuple(text for text, _ in more)),
            (
                *changes.values(),
                *(value for _, values in more for value in values),
                record.version,
                record.time,
                record.aggregate_id,
                record.version,
            ),
        )


Assignment = tuple[str, tuple[Any, ...]]
"""A ``SET`` clause with its ``%s`` placeholders, and their values."""

_BACK_TO_WORK: Assignment = (
    "status = CASE WHEN assignee IS NULL THEN 'received' ELSE 'in_progress' END",
    (),
)


@lru_cache(maxsize=512)
def _update_statement(table: str, columns: tuple[str, ...], more: tuple[str, ...]) -> str:
    """The same update text for the same shape of change, so a batch sends it once."""
    assignments: list[sql.Composable] = [
        sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns
    ]
    assignments += [sql.SQL(text) for text in more]
    assignments += [sql.SQL("version = %s"), sql.SQL("updated_at = %s")]
    return (
        sql.SQL("UPDATE {} SET {} WHERE appeal_id = %s AND version < %s")
        .format(sql.Identifier(table), sql.SQL(", ").join(assignments))
        .as_string()
    )


def past_due(alias: str | None = None) -> sql.Composable:
    """The one rule of an overdue appeal, as SQL over the register (one ``%s``: today):
    open, its term running (not suspended, not an enquiry, which has none), and past its
    due date. The register's filter, the deadline watcher, the oversight report and the
    dashboard all ask it."""
    column = (
        (lambda name: sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(name)))
        if alias
        else sql.Identifier
    )
    return sql.SQL(
        "({status} IN ('received', 'in_progress') AND {suspended} IS NULL "
        "AND {kind} IS DISTINCT FROM 'enquiry' AND {due} < %s)"
    ).format(
        status=column("status"),
        suspended=column("suspended_since"),
        kind=column("kind"),
        due=column("due_on"),
    )


def _notice_due(record: EventRecord, kind: str) -> Assignment:
    """The applicant is to be told of this step (unless the appeal is anonymous)."""
    day = (record.effective_on or record.time.date()).isoformat()
    return (
        "notices_pending = CASE WHEN anonymous THEN notices_pending "
        "ELSE notices_pending || jsonb_build_object(%s::text, %s::text) END",
        (kind, day),
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


EXACT_TOTAL_UP_TO = 1_000
"""Matches counted one by one up to here; beyond, the total is the planner's estimate,
and says so. Counting them all took 75-130 ms at a million appeals, counting 10,000
still 20-30 ms where no index serves the filter (a supervisor's whole region);
docs/benchmarks.md. An assumption about what a reader needs: a page's neighbourhood
exactly, the size of a large set roughly."""


@dataclass(frozen=True)
class Total:
    count: int
    exact: bool


def _total(
    conn: Connection, table: sql.Identifier, where: sql.Composable, params: list[Any]
) -> Total:
    counted = conn.execute(
        sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT %s) AS page").format(
            table, where
        ),
        [*params, EXACT_TOTAL_UP_TO + 1],
    ).fetchone()
    n = int(counted[0]) if counted else 0
    if n <= EXACT_TOTAL_UP_TO:
        return Total(n, exact=True)
    # The planner's estimate (EXPLAIN takes no bound parameters: bound client-side).
    with ClientCursor(conn) as explain:
        explain.execute(
            sql.SQL("EXPLAIN (FORMAT JSON) SELECT 1 FROM {} WHERE {}").format(table, where),
            params,
        )
        plan = explain.fetchone()
    estimate = int(plan[0][0]["Plan"]["Plan Rows"]) if plan else 0
    # Never below what was counted: more than EXACT_TOTAL_UP_TO match, for certain.
    return Total(max(estimate, EXACT_TOTAL_UP_TO + 1), exact=False)


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
            clauses.append(past_due())
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
        today: date | None = None,
    ) -> tuple[Total, list[dict[str, Any]]]:
        """A page of the register and how many match (exact up to ``EXACT_TOTAL_UP_TO``,
        the planner's estimate beyond); with ``today``, each row says whether it is
        overdue."""
        if sort not in SORTABLE:
            raise ValueError(f"sort must be one of {SORTABLE}")
        where, params = self._where(f)
        order = sql.SQL("DESC" if descending else "ASC")
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            t = sql.Identifier(live_table(conn, AppealRegister.name))
            total = _total(conn, t, where, params)
            overdue = past_due() if today is not None else sql.SQL("NULL")
            cur.execute(
                sql.SQL(
                    "SELECT *, {} AS overdue FROM {} WHERE {} ORDER BY {} {}, appeal_id "
                    "LIMIT %s OFFSET %s"
                ).format(overdue, t, where, sql.Identifier(sort), order),
                [*([today] if today is not None else []), *params, limit, offset],
            )
            rows = cur.fetchall()
        return total, rows

    def offices_of(self, applicant_ref: str) -> list[str]:
        """The offices holding the person's appeals now."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                sql.SQL(
                    "SELECT DISTINCT office FROM {} WHERE applicant_ref = %s ORDER BY office"
                ).format(sql.Identifier(live_table(conn, AppealRegister.name))),
                (applicant_ref,),
            ).fetchall()
        return [str(row[0]) for row in rows]

    def notice_candidates(self, today: date, limit: int = 1000) -> list[UUID]:
        """Appeals with a notice due since before ``today``: the watcher checks each."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                sql.SQL(
                    "SELECT appeal_id FROM {} WHERE EXISTS (SELECT 1 FROM "
                    "jsonb_each_text(notices_pending) AS n(kind, since) WHERE n.since::date < %s) "
                    "LIMIT %s"
                ).format(sql.Identifier(live_table(conn, AppealRegister.name))),
                (today, limit),
            ).fetchall()
        return [row[0] for row in rows]

    def overdue_ids(self, today: date, limit: int = 1000) -> list[UUID]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                sql.SQL("SELECT appeal_id FROM {} WHERE {} ORDER BY due_on LIMIT %s").format(
                    sql.Identifier(live_table(conn, AppealRegister.name)), past_due()
                ),
                (today, limit),
            ).fetchall()
        return [row[0] for row in rows]
