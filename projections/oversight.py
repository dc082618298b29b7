"""Oversight facts: one row per countable event (received, decided, redirected,
reviewed, consulted, ...), so that any period, office, region or prosecutor can be
counted with one indexed GROUP BY. Feeds the oversight report, the reception
statistics and redirects by agency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psycopg import Connection, sql
from psycopg.types.json import Jsonb

from projections.records import EventRecord

# Which public event types become facts, and the short kind each is counted as.
FACT_KINDS = {
    "appeals.appeal.received": "received",
    "appeals.appeal.decided": "decided",
    "appeals.appeal.redirected": "redirected",
    "appeals.appeal.deemed_refused": "deemed_refused",
    "appeals.appeal.decision_reviewed": "reviewed",
    "appeals.appeal.case_file_requested": "case_file_requested",
    "appeals.appeal.case_file_received": "case_file_received",
    "appeals.appeal.consulted": "consulted",
    "appeals.appeal.reopened": "reopened",
    "appeals.instruction.issued": "instruction_issued",
}


class OversightFacts:
    name = "oversight_facts"

    def __init__(self, region_of: Callable[[str], str], table: str | None = None) -> None:
        self.region_of = region_of
        self.table = table or self.name

    def at_table(self, table: str) -> OversightFacts:
        return OversightFacts(self.region_of, table)

    def apply(self, conn: Connection, record: EventRecord) -> None:
        kind = FACT_KINDS.get(record.type)
        if kind is None:
            return
        data = record.data
        appeal_id: Any = record.aggregate_id
        office = record.office
        day = record.time.date()
        if kind == "received":
            day = data["received_on"]
        elif kind == "reviewed":
            # A review counts against the office whose decision was reviewed.
            office = data["decided_by_office"]
        elif kind == "instruction_issued":
            if not data.get("appeal_id"):
                return
            appeal_id = data["appeal_id"]
        detail = {**data, "event_version": record.version}
        conn.execute(
            sql.SQL(
                """
            INSERT INTO {} (event_id, appeal_id, kind, day, office, region, actor, detail)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (event_id) DO NOTHING
            """
            ).format(sql.Identifier(self.table)),
            (
                record.event_id,
                appeal_id,
                kind,
                day,
                office,
                self.region_of(office),
                record.actor,
                Jsonb(detail),
            ),
        )
