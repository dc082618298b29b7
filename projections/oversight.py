"""Oversight facts: one row per countable event (received, decided, redirected,
reviewed, consulted, ...), so that any period, office, region or prosecutor can be
counted with one indexed GROUP BY. Feeds the oversight report, the reception
statistics and redirects by agency."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from psycopg.types.json import Jsonb

from domain.clock import kazakhstan_date
from projections.base import ReadModel, handles
from projections.records import EventRecord
from projections.writes import Writes

# Which public event types become facts, and the short kind each is counted as.
FACT_KINDS = {
    "appeals.appeal.received": "received",
    "appeals.appeal.decided": "decided",
    "appeals.appeal.redirected": "redirected",
    "appeals.appeal.deemed_refused": "deemed_refused",
    "appeals.appeal.not_considered": "not_considered",
    "appeals.appeal.decision_reviewed": "reviewed",
    "appeals.appeal.case_file_requested": "case_file_requested",
    "appeals.appeal.case_file_received": "case_file_received",
    "appeals.appeal.consulted": "consulted",
    "appeals.appeal.reopened": "reopened",
    "appeals.appeal.complaint_decided": "complaint_decided",
    "appeals.appeal.notice_overdue": "notice_overdue",
    "appeals.instruction.issued": "instruction_issued",
}
# The kinds counted on their legal date, at the office that recorded them.
COUNTED_AS_IS = {
    "decided",
    "redirected",
    "deemed_refused",
    "not_considered",
    "notice_overdue",
    "case_file_requested",
    "case_file_received",
    "consulted",
    "reopened",
}


def legal_day(record: EventRecord) -> date:
    """The day an event counts on: its legal date (a deemed refusal's is the working day
    after the term, not the day the watcher ran), else its day in Kazakhstan."""
    return record.effective_on or kazakhstan_date(record.time)


class OversightFacts(ReadModel):
    """One row per countable event; ``region_of`` maps an office to its region."""

    name = "oversight_facts"

    def __init__(self, region_of: Callable[[str], str], table: str | None = None) -> None:
        super().__init__(table)
        self.region_of = region_of

    @handles(*(t for t, kind in FACT_KINDS.items() if kind in COUNTED_AS_IS))
    def counted(self, conn: Writes, record: EventRecord) -> None:
        self._fact(conn, record, legal_day(record), record.office, record.aggregate_id)

    @handles("appeals.appeal.received")
    def received(self, conn: Writes, record: EventRecord) -> None:
        # Counted on the day the appeal was received, which may precede its recording.
        self._fact(conn, record, record.data["received_on"], record.office, record.aggregate_id)

    @handles("appeals.appeal.decision_reviewed")
    def reviewed(self, conn: Writes, record: EventRecord) -> None:
        # A review counts against the office whose decision was reviewed.
        office = record.data["decided_by_office"]
        self._fact(conn, record, legal_day(record), office, record.aggregate_id)

    @handles("appeals.appeal.complaint_decided")
    def complaint_decided(self, conn: Writes, record: EventRecord) -> None:
        # Counts against the office whose decision was complained against.
        office = record.data["against_office"]
        self._fact(conn, record, legal_day(record), office, record.aggregate_id)

    @handles("appeals.instruction.issued")
    def instruction_issued(self, conn: Writes, record: EventRecord) -> None:
        # Counted for the appeal it concerns; one without an appeal is not a fact.
        if record.data.get("appeal_id"):
            appeal_id = record.data["appeal_id"]
            self._fact(conn, record, legal_day(record), record.office, appeal_id)

    def _fact(
        self, conn: Writes, record: EventRecord, day: Any, office: str, appeal_id: Any
    ) -> None:
        detail = {**record.data, "event_version": record.version}
        conn.execute(
            self.statement(
                """
            INSERT INTO {} (event_id, appeal_id, kind, day, office, region, actor, detail)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (event_id) DO NOTHING
            """
            ),
            (
                record.event_id,
                appeal_id,
                FACT_KINDS[record.type],
                day,
                office,
                self.region_of(office),
                record.actor,
                Jsonb(detail),
            ),
        )
