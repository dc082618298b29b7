"""Applying events to projections: the same code whichever feeder calls it.

``apply_batch`` is what both live feeders (Kafka and the embedded event-store feed)
call inside their batch transaction: the batch under one savepoint, or, when a record
fails, each record in its own savepoint, poison records and the records of the same
appeal behind them parked as dead letters, the live table
of each rebuildable projection looked up under a shared lock so a rebuild's swap
cannot interleave with a batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from psycopg import Connection

from consumers import dead_letters
from infra.adapters.outages import is_outage
from projections import versions
from projections.base import Projection, Rebuildable
from projections.records import EventRecord
from projections.writes import StatementBatch


def prepare(conn: Connection, projections: Sequence[Projection]) -> None:
    """Point each projection at its live table version (the tables themselves are the
    migrations' own, infra/adapters/migrations)."""
    follow_live_tables(conn, projections, lock=False)


def advisory_lock(conn: Connection, key: str, *, shared: bool) -> None:
    """A transaction-scoped advisory lock on ``key``."""
    fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    conn.execute(f"SELECT {fn}(hashtext(%s))", (key,))


def follow_live_tables(
    conn: Connection, projections: Sequence[Projection], *, lock: bool = True
) -> None:
    """Point each rebuildable projection at its live table version."""
    for projection in projections:
        if isinstance(projection, Rebuildable):
            if lock:
                advisory_lock(conn, versions.lock_key(projection.name), shared=True)
            projection.table = versions.live_table(conn, projection.name)


def apply_one(conn: Connection, projections: Sequence[Projection], record: EventRecord) -> None:
    """Apply one record to every projection in a savepoint: all or nothing."""
    with conn.transaction():
        for projection in projections:
            projection.apply(conn, record)


def apply_records(
    conn: Connection, projections: Sequence[Projection], records: Iterable[EventRecord]
) -> int:
    """Apply records in order inside the caller's transaction, their statements sent in
    bulk; returns the highest position. No dead letters: an error propagates (rebuilds
    use this)."""
    batch = StatementBatch()
    highest = 0
    for record in records:
        _collect(batch, projections, record)
        highest = max(highest, record.position)
    batch.flush(conn)
    return highest


def _collect(batch: StatementBatch, projections: Sequence[Projection], record: EventRecord) -> None:
    writes = batch.of(record.aggregate_id)
    for projection in projections:
        projection.apply(writes, record)


@dataclass
class Incoming:
    """One thing a feeder read: a decoded record, or the error decoding it."""

    topic: str
    partition: int
    offset: int
    payload: bytes
    record: EventRecord | None = None
    error: str | None = None
    key: str | None = None
    event_id: str | None = None
    type: str | None = None

    @property
    def aggregate_id(self) -> str | None:
        return str(self.record.aggregate_id) if self.record else self.key


@dataclass
class BatchResult:
    applied: int = 0
    parked: int = 0
    highest: int = 0
    highest_by_partition: dict[int, int] = field(default_factory=dict)


class _Poison(Exception):
    """A record of the batch could not be applied: roll the batch's savepoint back and
    apply it again record by record (as does any database error the pipeline reports)."""


def apply_batch(
    conn: Connection, consumer: str, projections: Sequence[Projection], items: Sequence[Incoming]
) -> BatchResult:
    """Apply a batch inside the caller's transaction, parking what cannot be applied.

    The whole batch is tried under one savepoint first, its statements sent in bulk (a
    savepoint and a round of statements per event cost most of an event's time); only
    when a record fails is the batch rolled back to it and applied again with a
    savepoint per record, so that just the poison record (and what follows it of the
    same appeal) is parked, in order."""
    advisory_lock(conn, dead_letters.lock_key(consumer), shared=True)
    follow_live_tables(conn, projections)
    blocked = dead_letters.blocking(
        conn, consumer, (a for a in (i.aggregate_id for i in items) if a)
    )
    try:
        with conn.transaction():
            # Pipelined: the statements go out without waiting for each answer; a failed
            # one is reported by the sync at the latest, still inside the savepoint.
            with conn.pipeline() as pipeline:
                bulk = StatementBatch()
                result = _apply_items(conn, consumer, projections, items, dict(blocked), bulk=bulk)
                bulk.flush(conn)
                pipeline.sync()
            return result
    except Exception as exc:
        if is_outage(exc):
            raise
    return _apply_items(conn, consumer, projections, items, blocked, bulk=None)


def _apply_items(
    conn: Connection,
    consumer: str,
    projections: Sequence[Projection],
    items: Sequence[Incoming],
    blocked: dict[str, str],
    *,
    bulk: StatementBatch | None,
) -> BatchResult:
    """With ``bulk``, every record's statements go into it (sent by the caller);
    without, each record is applied in its own savepoint and parked if it fails."""
    result = BatchResult()
    for item in items:
        record = item.record
        aggregate_id = item.aggregate_id
        error: str | None = item.error
        if record is not None:
            if aggregate_id in blocked:
                error = f"waiting behind {blocked[aggregate_id]}"
            elif bulk is not None:
                try:
                    _collect(bulk, projections, record)
                except Exception as exc:
                    if is_outage(exc):
                        raise
                    raise _Poison from exc
            else:
                try:
                    apply_one(conn, projections, record)
                except Exception as exc:
                    if is_outage(exc):
                        raise
                    error = dead_letters.describe(exc)
            result.highest = max(result.highest, record.position)
            result.highest_by_partition[item.partition] = max(
                result.highest_by_partition.get(item.partition, 0), record.position
            )
        if error is None:
            result.applied += 1
            continue
        event_id = record.event_id if record else item.event_id
        dead_letters.park(
            conn,
            consumer=consumer,
            topic=item.topic,
            partition=item.partition,
            offset=item.offset,
            aggregate_id=aggregate_id,
            event_id=event_id,
            type=record.type if record else item.type,
            position=record.position if record else None,
            payload=item.payload,
            error=error,
        )
        result.parked += 1
        if aggregate_id and aggregate_id not in blocked:
            blocked[aggregate_id] = event_id or f"{item.topic}/{item.partition}@{item.offset}"
    return result


def retry_dead_letters(
    conn: Connection,
    consumer: str,
    projections: Sequence[Projection],
    decode: dead_letters.Decoder,
) -> dead_letters.RetryReport:
    """``dlq retry`` for one consumer, in one transaction, exclusive of its batches."""
    with conn.transaction():
        advisory_lock(conn, dead_letters.lock_key(consumer), shared=False)
        follow_live_tables(conn, projections)
        return dead_letters.retry(
            conn, consumer, decode, lambda record: apply_one(conn, projections, record)
        )
