"""Projections' statements sent in bulk (projections/writes.py) leave the read models
exactly as applying each event on its own does, whatever the interleaving of appeals
in the batch, and a failing statement still parks only its own appeal."""

from __future__ import annotations

import random
from typing import Any

import pytest
from psycopg import Connection, sql

from consumers.apply import apply_one, apply_records
from infra.bootstrap import Container, all_projections
from infra.contract.envelope import to_record
from projections.records import EventRecord
from tests.support import every_kind_of_event

pytestmark = pytest.mark.postgres

TABLES = {
    "appeal_history": "appeal_id, version",
    "appeal_register": "appeal_id",
    "oversight_facts": "event_id",
    "instruction_status": "instruction_id",
}


def recorded(container: Container) -> list[EventRecord]:
    """Every kind of appeal event, for a few appeals, in the order they were stored."""
    service = container.service
    start = service.recorder.max_notification_id() or 0
    for _ in range(3):
        every_kind_of_event(service)
    records = []
    for n in service.recorder.select_notifications(start=start + 1, limit=10_000):
        event = service.mapper.to_domain_event(n)
        if type(event).__qualname__.startswith(("Appeal.", "Instruction.")):
            records.append(to_record(event, n.id))
    return records


def interleaved(records: list[EventRecord], seed: int) -> list[EventRecord]:
    """Another order of the same records that keeps each aggregate's own order."""
    queues: dict[Any, list[EventRecord]] = {}
    for record in records:
        queues.setdefault(record.aggregate_id, []).append(record)
    rng = random.Random(seed)
    out: list[EventRecord] = []
    while queues:
        aggregate = rng.choice(sorted(queues, key=str))
        out.append(queues[aggregate].pop(0))
        if not queues[aggregate]:
            del queues[aggregate]
    return out


def snapshot(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: conn.execute(
            sql.SQL("SELECT * FROM {} ORDER BY {}").format(sql.Identifier(table), sql.SQL(order))
        ).fetchall()
        for table, order in TABLES.items()
    }


def test_bulk_statements_leave_the_read_models_as_one_event_at_a_time_does(
    container: Container,
) -> None:
    records = recorded(container)
    kinds = {r.type for r in records}
    assert len(kinds) > 20 and len({r.aggregate_id for r in records}) > 3
    projections = all_projections()

    with container.pool.connection() as conn:
        with conn.transaction(force_rollback=True):
            for record in records:
                apply_one(conn, projections, record)
            one_by_one = snapshot(conn)
        for seed in range(3):
            with conn.transaction(force_rollback=True):
                apply_records(conn, projections, interleaved(records, seed))
                assert snapshot(conn) == one_by_one, f"interleaving {seed}"
        with conn.transaction(force_rollback=True):
            # Applied twice in bulk, as a redelivered batch would be: no change.
            apply_records(conn, projections, records)
            apply_records(conn, projections, interleaved(records, 7))
            assert snapshot(conn) == one_by_one
    assert sum(len(rows) for rows in one_by_one.values()) > len(records)
