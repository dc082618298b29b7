"""Oversight facts: one row per countable event (received, decided, redirected,
reviewed, consulted, ...), so that any period, office, region or prosecutor can be
counted with one indexed GROUP BY. Feeds the oversight report, the reception
statistics and redirects by agency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psycopg import Connection
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

    def __init__(self, region_of: Callable[[str], str]) -> None:
        self.region_of = region_of

    def create_tables(self, conn: Connection) -> None:
        conn.execute(
            """
            CREATE TABLE IF NOT EXISTS oversight_facts (
                event_id text PRIMARY KEY,
                appeal_id uuid NOT NULL,
                kind text NOT NULL,
                day date NOT NULL,
                office text NOT NULL,
                region text NOT NULL,
                actor text NOT NULL,
                detail jsonb NOT NULL
            )
            """
        )
        conn.execute(
            "CREATE INDEX IF NOT EXISTS oversight_facts_kind_day ON oversight_facts "
            "(kind, day, region, office)"
        )
        conn.execute(
            "CREATE INDEX IF NOT EXISTS oversight_facts_appeal ON oversight_facts (appeal_id, kind)"
        )

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
            """
            INSERT INTO oversight_facts (event_id, appeal_id, kind, day, office, region, actor,
                detail)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (event_id) DO NOTHING
            """,
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
