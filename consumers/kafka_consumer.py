"""Distributed mode: a Kafka consumer group that feeds projections.

Exactly-once effect: each polled batch is applied in one PostgreSQL transaction that
also stores, per partition, the next offset to read. Offsets are committed to Kafka
only afterwards and only for monitoring; on (re)assignment the consumer seeks to the
offsets stored in PostgreSQL, so a crash anywhere replays at most an uncommitted
batch, and a redelivered event meets an idempotent projection.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import structlog
from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from psycopg_pool import ConnectionPool

from consumers.apply import apply_records, prepare
from consumers.positions import load_offsets, save_offsets, save_position
from infra.contract import from_kafka_value
from projections.base import Projection

log = structlog.get_logger(__name__)


class _SeekToStoredOffsets(ConsumerRebalanceListener):
    def __init__(self, owner: ProjectionConsumer) -> None:
        self.owner = owner

    def on_partitions_revoked(self, revoked: Any) -> None:
        log.info("consumer.revoked", partitions=sorted(tp.partition for tp in revoked))

    def on_partitions_assigned(self, assigned: Any) -> None:
        self.owner.seek_to_stored(list(assigned))


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
    ) -> None:
        self.topic = topic
        self.group_id = group_id
        self.pool = pool
        self.projections = projections
        self.batch_size = batch_size
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
        )
        self.consumer.subscribe([topic], listener=_SeekToStoredOffsets(self))

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

    def poll_once(self, timeout_ms: int = 500) -> int:
        """Poll one batch and apply it; returns how many messages it held."""
        batches = self.consumer.poll(timeout_ms=timeout_ms, max_records=self.batch_size)
        if not batches:
            return 0
        next_offsets: dict[int, int] = {}
        records = []
        for tp, messages in batches.items():
            for message in messages:
                records.append(from_kafka_value(message.key, message.value))
            next_offsets[tp.partition] = messages[-1].offset + 1
        with self.pool.connection() as conn, conn.transaction():
            highest = apply_records(conn, self.projections, records)
            save_offsets(conn, self.group_id, self.topic, next_offsets)
            save_position(conn, self.group_id, highest)
        # Kafka's committed offsets only serve lag monitoring; PostgreSQL holds the truth.
        try:
            self.consumer.commit()
        except Exception as exc:
            log.warning("consumer.commit_failed", error=str(exc))
        log.info("consumer.applied", count=len(records), position=highest)
        return len(records)

    def run(self, stop: threading.Event) -> None:
        log.info("consumer.started", topic=self.topic, group=self.group_id)
        try:
            while not stop.is_set():
                self.poll_once()
        finally:
            self.close()
            log.info("consumer.stopped", group=self.group_id)

    def close(self) -> None:
        self.consumer.close(autocommit=False)
