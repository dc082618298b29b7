"""Distributed mode: a Kafka consumer group that feeds projections.

Exactly-once effect: each polled batch is applied in one PostgreSQL transaction that
also stores, per partition, the next offset to read. Offsets are committed to Kafka
only afterwards and only for monitoring; on (re)assignment the consumer seeks to the
offsets stored in PostgreSQL, so a crash anywhere replays at most an uncommitted
batch, and a redelivered event meets an idempotent projection. A consumer that lost
its partitions without noticing (a zombie after a rebalance) is fenced: its batch is
refused when the stored offset of a partition is already past the batch's start.

Positions: per partition, ``consumer_offsets.applied_position`` is the event-store
position up to which that partition is applied. It rises with each batch and, when a
partition is found caught up with the broker, to the relay's acknowledged position
read just before asking the broker for its end offsets. ``projection_positions`` of
the group holds the minimum over all partitions: every event up to it is applied
(or parked as a dead letter), which is what read-your-writes waits for.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from typing import Any

import structlog
from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from psycopg import Connection
from psycopg_pool import ConnectionPool

from consumers.apply import Incoming, apply_batch, prepare
from consumers.dead_letters import DeadLetter
from consumers.positions import load_offsets, save_offsets, save_position, watermark
from infra.adapters.kafka_reach import BrokerWatch
from infra.adapters.kafka_timeouts import CLIENT_TIMEOUTS
from infra.contract.envelope import from_kafka_value
from infra.workers.loop import run_worker
from projections.base import Projection
from projections.records import EventRecord

log = structlog.get_logger(__name__)

WATERMARK_TIMEOUT_MS = 1_000
"""``end_offsets`` for the watermark is an extra, skippable round trip: while the broker
is away it must not hold up ``poll``, which rediscovers the group coordinator and
rejoins the group (a consumer kept out longer than its session is expelled)."""

WATERMARK_PAUSE_SECONDS = 3.0
"""After a failed watermark round trip, leave the broker to ``poll`` for this long."""


class _SeekToStoredOffsets(ConsumerRebalanceListener):
    def __init__(self, owner: ProjectionConsumer) -> None:
        self.owner = owner

    def on_partitions_revoked(self, revoked: Any) -> None:
        log.info("consumer.revoked", partitions=sorted(tp.partition for tp in revoked))

    def on_partitions_assigned(self, assigned: Any) -> None:
        self.owner.seek_to_stored(list(assigned))


class _Fenced(Exception):
    def __init__(self, stored: dict[int, int]) -> None:
        super().__init__(f"stored offsets are past this batch: {stored}")
        self.stored = stored


def decode_message(
    topic: str, partition: int, offset: int, key: bytes | None, value: bytes
) -> Incoming:
    """A message as the feeder hands it on: decoded, or with the reason it is not."""
    text_key = key.decode("utf-8", "replace") if key is not None else None
    try:
        record = from_kafka_value(key, value)
    except Exception as exc:
        event_id = event_type = None
        try:
            envelope = json.loads(value)
            if isinstance(envelope, dict):
                event_id = str(envelope["id"]) if "id" in envelope else None
                event_type = str(envelope["type"]) if "type" in envelope else None
        except ValueError:
            pass
        return Incoming(
            topic=topic,
            partition=partition,
            offset=offset,
            payload=value,
            error=f"{type(exc).__name__}: {exc}",
            key=text_key,
            event_id=event_id,
            type=event_type,
        )
    return Incoming(
        topic=topic, partition=partition, offset=offset, payload=value, record=record, key=text_key
    )


class ProjectionConsumer:
    def __init__(
        self,
        *,
        bootstrap_servers: str,
        topic: str,
        group_id: str,
        pool: ConnectionPool,
        projections: Sequence[Projection],
        batch_size: int = 500,
        relay_name: str = "kafka",
        watermark_interval: float = 0.1,
    ) -> None:
        self.topic = topic
        self.group_id = group_id
        self.pool = pool
        self.projections = projections
        self.batch_size = batch_size
        self.relay_name = relay_name
        self.watermark_interval = watermark_interval
        self._last_watermark = 0.0
        with pool.connection() as conn:
            prepare(conn, projections)
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap_servers,
            group_id=group_id,
            client_id=f"{group_id}-consumer",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=batch_size,
            session_timeout_ms=10_000,
            heartbeat_interval_ms=1_000,
            **CLIENT_TIMEOUTS,
        )
        self.consumer.subscribe([topic], listener=_SeekToStoredOffsets(self))
        self.broker = BrokerWatch(self.consumer, bootstrap_servers)
        # End offsets are asked on a connection of their own: a broker answers one
        # connection's requests in order, so on the group consumer's the question
        # waited behind its long-polling fetch (290 ms of every watermark in a profile).
        self.offsets = KafkaConsumer(
            bootstrap_servers=bootstrap_servers,
            client_id=f"{group_id}-watermark",
            enable_auto_commit=False,
            **CLIENT_TIMEOUTS,
        )

    def seek_to_stored(self, assigned: list[TopicPartition]) -> None:
        with self.pool.connection() as conn:
            stored = load_offsets(
                conn, self.group_id, self.topic, [tp.partition for tp in assigned]
            )
        for tp in assigned:
            if tp.partition in stored:
                self.consumer.seek(tp, stored[tp.partition])
            else:
                self.consumer.seek_to_beginning(tp)
        log.info(
            "consumer.assigned", partitions=sorted(tp.partition for tp in assigned), offsets=stored
        )

    def partition_count(self) -> int:
        return len(self.consumer.partitions_for_topic(self.topic) or ())

    def poll_once(self, timeout_ms: int = 500) -> int:
        """Poll one batch and apply it; returns how many messages it held."""
        batches = self.consumer.poll(timeout_ms=timeout_ms, max_records=self.batch_size)
        if not batches:
            self.broker.check()
            self.advance_watermark()
            return 0
        self.broker.seen()
        next_offsets: dict[int, int] = {}
        first_offsets: dict[int, int] = {}
        items: list[Incoming] = []
        for tp, messages in batches.items():
            for message in messages:
                items.append(
                    decode_message(
                        tp.topic, tp.partition, message.offset, message.key, message.value
                    )
                )
            first_offsets[tp.partition] = messages[0].offset
            next_offsets[tp.partition] = messages[-1].offset + 1
        try:
            with self.pool.connection() as conn, conn.transaction():
                self._fence(conn, first_offsets)
                result = apply_batch(conn, self.group_id, self.projections, items)
                save_offsets(
                    conn, self.group_id, self.topic, next_offsets, result.highest_by_partition
                )
                save_position(
                    conn,
                    self.group_id,
                    watermark(conn, self.group_id, self.topic, self.partition_count()),
                )
        except _Fenced as fenced:
            log.warning("consumer.fenced", stored=fenced.stored)
            self._reseek(fenced.stored)
            return 0
        except Exception:
            # Nothing of the batch was stored: read it again on the next poll, or the
            # worker loop's retry would go on after it and skip it.
            self._reseek(first_offsets)
            raise
        # Kafka's committed offsets only serve lag monitoring; PostgreSQL holds the truth.
        try:
            self.consumer.commit()
        except Exception as exc:
            log.warning("consumer.commit_failed", error=str(exc))
        log.info(
            "consumer.applied",
            count=len(items),
            parked=result.parked,
            position=result.highest,
        )
        if len(items) < self.batch_size:
            # A full batch means more is waiting: no partition is caught up to check.
            self.advance_watermark()
        return len(items)

    def _fence(self, conn: Connection, first_offsets: dict[int, int]) -> None:
        rows = conn.execute(
            "SELECT partition, next_offset FROM consumer_offsets "
            "WHERE consumer = %s AND topic = %s AND partition = ANY(%s) FOR UPDATE",
            (self.group_id, self.topic, sorted(first_offsets)),
        ).fetchall()
        ahead = {int(p): int(o) for p, o in rows if int(o) > first_offsets[int(p)]}
        if ahead:
            raise _Fenced(ahead)

    def _reseek(self, stored: dict[int, int]) -> None:
        for partition, offset in stored.items():
            try:
                self.consumer.seek(TopicPartition(self.topic, partition), offset)
            except Exception as exc:  # no longer ours: the new owner carries on
                log.info("consumer.reseek_skipped", partition=partition, error=str(exc))

    def advance_watermark(self, force: bool = False) -> None:
        """Raise caught-up partitions' applied positions to the relay's position.

        The relay stores its position only after the broker acknowledged every event
        up to it, so once a partition's stored offset reaches the end offset the
        broker reports *after* that position was read, every event up to it in that
        partition has been applied. Throttled to one broker round trip per interval.
        """
        now = time.monotonic()
        if not force and now - self._last_watermark < self.watermark_interval:
            return
        self._last_watermark = now
        assigned = list(self.consumer.assignment())
        if not assigned:
            return
        try:
            with self.pool.connection() as conn:
                relay_position = _relay_position(conn, self.relay_name)
            if relay_position == 0:
                return
            ends = self.offsets.end_offsets(assigned, timeout_ms=WATERMARK_TIMEOUT_MS)
            with self.pool.connection() as conn, conn.transaction():
                rows = conn.execute(
                    "SELECT partition, next_offset FROM consumer_offsets "
                    "WHERE consumer = %s AND topic = %s AND partition = ANY(%s) FOR UPDATE",
                    (self.group_id, self.topic, [tp.partition for tp in assigned]),
                ).fetchall()
                stored = {int(p): int(o) for p, o in rows}
                caught_up = {
                    tp.partition: stored.get(tp.partition, 0)
                    for tp in assigned
                    if stored.get(tp.partition, 0) >= int(ends.get(tp, 0))
                }
                if not caught_up:
                    return
                save_offsets(
                    conn,
                    self.group_id,
                    self.topic,
                    caught_up,
                    dict.fromkeys(caught_up, relay_position),
                )
                save_position(
                    conn,
                    self.group_id,
                    watermark(conn, self.group_id, self.topic, self.partition_count()),
                )
        except Exception as exc:
            log.warning("consumer.watermark_failed", error=str(exc))
            self._last_watermark = time.monotonic() + WATERMARK_PAUSE_SECONDS

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set, retrying through outages; closes the consumer."""
        try:
            # poll() itself waits for messages, so an idle turn needs no extra wait.
            run_worker(
                self.poll_once,
                stop,
                self.pool,
                name=f"consumer:{self.group_id}",
                kind="consumer",
                idle_wait=0,
            )
        finally:
            self.close()

    def close(self) -> None:
        try:
            self.consumer.close(autocommit=False)
        finally:
            self.offsets.close(autocommit=False)


def _relay_position(conn: Connection, relay: str) -> int:
    exists = conn.execute("SELECT to_regclass('relay_positions') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT position FROM relay_positions WHERE relay = %s", (relay,)).fetchone()
    return int(row[0]) if row else 0


def decode_dead_letter(letter: DeadLetter) -> EventRecord:
    """Decode a parked Kafka message again (``dlq retry``)."""
    key = letter.aggregate_id.encode() if letter.aggregate_id is not None else None
    return from_kafka_value(key, letter.payload)
