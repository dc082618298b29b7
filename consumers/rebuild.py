"""Rebuild a read model into a new table version while the live one keeps serving.

1. Take a session lock so only one rebuild of a projection runs at a time.
2. Create ``<name>_v<N+1>`` (dropping a leftover of a failed attempt) and replay into
   it, batch by batch, from the event store's notification log or from the start of
   every partition of the Kafka topic (a fresh consumer, manually assigned, no group).
3. In one transaction: take the projection's advisory lock exclusively (live feeders
   take it shared per batch, so they pause for this moment), replay the remaining
   tail, and point ``read_model_versions`` at the new table. Live feeders pick the
   new table up at their next batch; queries at their next request.

The old table is kept (for comparison or a manual switch back) unless ``drop_old``;
dropping it may fail a query that looked up the old name an instant before the swap.
Undecodable Kafka messages are skipped and counted (the live consumer has them as
dead letters); an event the projection cannot apply aborts the rebuild, leaving the
live table as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from eventsourcing.application import Application
from kafka import KafkaConsumer, TopicPartition
from psycopg import Connection, sql
from psycopg_pool import ConnectionPool

from consumers.apply import advisory_lock, apply_records
from infra.contract.envelope import from_kafka_value, to_record
from projections import versions
from projections.base import Rebuildable
from projections.records import EventRecord

log = structlog.get_logger(__name__)


class ProgressSink(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


@dataclass
class RebuildResult:
    projection: str
    table: str
    version: int
    source: str
    applied: int
    skipped: int
    old_table: str
    dropped_old: bool


class RebuildInProgress(RuntimeError):
    """Another rebuild of the same projection holds its lock."""


Batches = Callable[[], list[EventRecord] | None]
"""Returns the next batch ([] when nothing decodable arrived yet), None once done."""


def rebuild_from_event_store(
    pool: ConnectionPool,
    app: Application[Any],
    projection: Rebuildable,
    *,
    batch_size: int = 500,
    progress: ProgressSink | None = None,
    drop_old: bool = False,
) -> RebuildResult:
    sink = progress or _Silent()
    position = 0
    skipped = 0

    def next_batch() -> list[EventRecord] | None:
        nonlocal position, skipped
        notifications = app.recorder.select_notifications(
            start=position, limit=batch_size, inclusive_of_start=False
        )
        if not notifications:
            return None
        records = []
        for n in notifications:
            try:
                records.append(to_record(app.mapper.to_domain_event(n), n.id))
            except Exception as exc:
                skipped += 1
                log.warning("rebuild.skipped", position=n.id, error=str(exc))
        position = notifications[-1].id
        sink.advance(len(notifications))
        return records

    sink.start(app.recorder.max_notification_id() or 0)
    return _rebuild(
        pool, projection, "eventstore", next_batch, next_batch, lambda: skipped, drop_old
    )


def rebuild_from_kafka(
    pool: ConnectionPool,
    bootstrap_servers: str,
    topic: str,
    projection: Rebuildable,
    *,
    batch_size: int = 500,
    progress: ProgressSink | None = None,
    drop_old: bool = False,
) -> RebuildResult:
    sink = progress or _Silent()
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=None,
        client_id="appeals-rebuild",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=batch_size,
    )
    skipped = 0
    try:
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not tps:
            raise LookupError(f"topic {topic!r} has no partitions (does it exist?)")
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        begins = consumer.beginning_offsets(tps)
        ends = consumer.end_offsets(tps)
        sink.start(sum(max(int(ends[tp]) - int(begins[tp]), 0) for tp in tps))

        def next_batch() -> list[EventRecord]:
            nonlocal skipped
            polled = consumer.poll(timeout_ms=500, max_records=batch_size)
            records = []
            count = 0
            for messages in polled.values():
                for message in messages:
                    count += 1
                    try:
                        records.append(from_kafka_value(message.key, message.value))
                    except Exception as exc:
                        skipped += 1
                        log.warning("rebuild.skipped", offset=message.offset, error=str(exc))
            sink.advance(count)
            return records

        def at_end(targets: dict[TopicPartition, int]) -> bool:
            return all(consumer.position(tp) >= targets[tp] for tp in tps)

        def bulk() -> list[EventRecord] | None:
            if at_end(ends):
                return None
            return next_batch()

        tail_ends: dict[TopicPartition, int] = {}

        def tail() -> list[EventRecord] | None:
            if not tail_ends:  # asked inside the swap transaction, with feeders paused
                tail_ends.update({tp: int(o) for tp, o in consumer.end_offsets(tps).items()})
            if at_end(tail_ends):
                return None
            return next_batch()

        return _rebuild(pool, projection, "kafka", bulk, tail, lambda: skipped, drop_old)
    finally:
        consumer.close()


def _rebuild(
    pool: ConnectionPool,
    projection: Rebuildable,
    source: str,
    bulk: Batches,
    tail: Batches,
    skipped: Callable[[], int],
    drop_old: bool,
) -> RebuildResult:
    name = projection.name
    with pool.connection() as guard:
        row = guard.execute(
            "SELECT pg_try_advisory_lock(hashtext(%s))", (f"rebuild:{name}",)
        ).fetchone()
        if not row or not row[0]:
            raise RebuildInProgress(f"another rebuild of {name} is running")
        try:
            with pool.connection() as conn:
                version = versions.live_version(conn, name) + 1
                table = versions.versioned_table(name, version)
                conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))
                target = projection.at_table(table)
                # The new version has the live one's shape, which migrations define.
                conn.execute(
                    sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(
                        sql.Identifier(table),
                        sql.Identifier(versions.live_table(conn, name)),
                    )
                )
                deferred = _defer_secondary_indexes(conn, table)
            applied = 0
            log.info("rebuild.started", projection=name, table=table, source=source)
            while (records := bulk()) is not None:
                if records:
                    # Pipelined: the batch's statements go out without waiting for each.
                    with pool.connection() as conn, conn.pipeline(), conn.transaction():
                        apply_records(conn, [target], records)
                    applied += len(records)
            with pool.connection() as conn:
                # Built once over the loaded rows, not kept up row by row during the load.
                for definition in deferred:
                    conn.execute(definition)
                conn.commit()
            with pool.connection() as conn, conn.transaction():
                advisory_lock(conn, versions.lock_key(name), shared=False)
                applied += _drain(conn, target, tail)
                old = versions.live_table(conn, name)
                versions.set_live(conn, name, table, version, source)
                if drop_old:
                    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(old)))
        finally:
            guard.execute("SELECT pg_advisory_unlock(hashtext(%s))", (f"rebuild:{name}",))
    log.info("rebuild.swapped", projection=name, table=table, old=old, applied=applied)
    return RebuildResult(name, table, version, source, applied, skipped(), old, drop_old)


def _defer_secondary_indexes(conn: Connection, table: str) -> list[sql.SQL]:
    """Drop ``table``'s indexes other than its unique ones (which the projections'
    upserts need) and return the statements that build them again."""
    rows = conn.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = to_regclass(%s) AND NOT i.indisunique",
        (table,),
    ).fetchall()
    for index, _ in rows:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index)))
    return [sql.SQL(definition) for _, definition in rows]


def _drain(conn: Connection, target: Rebuildable, tail: Batches) -> int:
    applied = 0
    while (records := tail()) is not None:
        apply_records(conn, [target], records)
        applied += len(records)
    return applied
