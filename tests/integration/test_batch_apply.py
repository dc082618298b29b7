"""`apply_batch`: a batch is applied under one savepoint; when a record fails, the
batch is applied again record by record, so that only the poison record and the records
of its appeal behind it are parked, and nothing is applied twice."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from psycopg import Connection

from consumers import dead_letters
from consumers.apply import Incoming, apply_batch
from infra.bootstrap import Container
from projections.records import EventRecord
from tests.integration.counting import CountingProjection, applied_counts, create_test_tables

pytestmark = pytest.mark.postgres


class Poisoned:
    """Refuses the events named poison, as a projection meeting bad data would."""

    name = "poisoned"

    def apply(self, conn: Connection, record: EventRecord) -> None:
        if record.data.get("poison"):
            raise ValueError(f"cannot apply {record.event_id}")


class PoisonedInTheDatabase:
    """Refuses them in a statement, whose error a pipelined batch reports only later."""

    name = "poisoned_sql"

    def apply(self, conn: Connection, record: EventRecord) -> None:
        divisor = 0 if record.data.get("poison") else 1
        conn.execute("SELECT 1 / %s", (divisor,))


def incoming(n: int, appeal: UUID, *, poison: bool = False) -> Incoming:
    record = EventRecord(
        event_id=f"e{n}",
        type="appeals.appeal.received",
        aggregate_id=appeal,
        version=n,
        position=n,
        time=datetime(2026, 12, 1, tzinfo=UTC),
        actor="a",
        office="REG-ALA",
        data={"poison": poison},
    )
    return Incoming(topic="t", partition=0, offset=n, payload=b"{}", record=record)


@pytest.mark.parametrize("poisoned", [Poisoned(), PoisonedInTheDatabase()], ids=["python", "sql"])
def test_a_clean_batch_is_applied_once_and_a_poisoned_one_parks_only_its_appeal(
    container: Container, poisoned: object
) -> None:
    counting = CountingProjection()
    create_test_tables(container.pool, counting)
    projections = [counting, poisoned]
    one, two = uuid4(), uuid4()
    clean = [incoming(n, one if n % 2 else two) for n in range(1, 5)]
    with container.pool.connection() as conn, conn.transaction():
        result = apply_batch(conn, "batch-test", projections, clean)
    assert (result.applied, result.parked, result.highest) == (4, 0, 4)

    poisoned = [
        incoming(5, one),
        incoming(6, two, poison=True),
        incoming(7, one),
        incoming(8, two),  # behind the poison record of its appeal
    ]
    with container.pool.connection() as conn, conn.transaction():
        result = apply_batch(conn, "batch-test", projections, poisoned)
    assert (result.applied, result.parked, result.highest) == (2, 2, 8)
    with container.pool.connection() as conn:
        counts = applied_counts(conn)
        parked = dead_letters.list_dead_letters(conn, "batch-test")
    # Records before and after the poison one went in exactly once, though the first
    # try of the batch had applied some of them before it was rolled back.
    assert counts == {f"e{n}": 1 for n in (1, 2, 3, 4, 5, 7)}
    assert [(p.event_id, p.aggregate_id) for p in parked] == [("e6", str(two)), ("e8", str(two))]
