"""The relay: follows the event store's notification log and publishes each event to
Kafka as a CloudEvent, keyed by aggregate id.

At least once, in order per aggregate: a batch is sent, every send is acknowledged by
the broker (``acks=all``, idempotent producer), and only then is the batch's last
position stored. A restart resumes after that position, so a crash between the
acknowledgement and the store re-sends a few events; consumers ignore such copies.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import structlog
from eventsourcing.application import Application
from kafka import KafkaProducer
from psycopg_pool import ConnectionPool

from infra.adapters.kafka_timeouts import CLIENT_TIMEOUTS
from infra.contract.envelope import to_kafka_message, to_record
from infra.contract.topics import regional_topic
from infra.workers.loop import run_worker
from projections.records import EventRecord

log = structlog.get_logger(__name__)

__all__ = ["Relay", "make_producer", "regional_topic"]

SEND_TIMEOUT_SECONDS = 10.0
"""How long a batch may wait for the broker's acknowledgements. While the broker is
away the step fails after this and the worker loop beats ``failing``; a longer wait
would leave the relay silent long enough to look dead."""


def make_producer(bootstrap_servers: str) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id="appeals-relay",
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        **CLIENT_TIMEOUTS,
        # Waiting for metadata of a broker that is away: fail the step, let the loop retry.
        max_block_ms=10_000,
        # A batch the broker cannot take fails the step well before a silent worker
        # looks down on /health (heartbeats are written between steps).
        delivery_timeout_ms=20_000,
    )


class Relay:
    def __init__(
        self,
        *,
        app: Application[Any],
        pool: ConnectionPool,
        producer: KafkaProducer,
        topic: str,
        source: str,
        name: str = "kafka",
        batch_size: int = 500,
        send_timeout: float = SEND_TIMEOUT_SECONDS,
        ensure_topic: Callable[[str], None] | None = None,
    ) -> None:
        self.app = app
        self.pool = pool
        self.producer = producer
        self.topic = topic
        self.source = source
        self.name = name
        self.batch_size = batch_size
        self.send_timeout = send_timeout
        self.ensure_topic = ensure_topic
        self.known_topics: set[str] = {topic}

    def position(self) -> int:
        """The last position the broker acknowledged (0 before the first)."""
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT position FROM relay_positions WHERE relay = %s", (self.name,)
            ).fetchone()
        return int(row[0]) if row else 0

    def store_position(self, position: int) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                """
                INSERT INTO relay_positions (relay, position) VALUES (%s, %s)
                ON CONFLICT (relay) DO UPDATE
                SET position = GREATEST(relay_positions.position, EXCLUDED.position),
                    updated_at = now()
                """,
                (self.name, position),
            )

    def routed_topics(self, record: EventRecord) -> list[str]:
        """Extra topics an event goes to besides the main one: instructions also go to
        their addressee region's own topic, so a region's consumer sees nothing else."""
        region = record.data.get("addressee_region")
        if not record.type.startswith("appeals.instruction.") or not region:
            return []
        topic = regional_topic(self.topic, str(region))
        if topic not in self.known_topics:
            if self.ensure_topic is not None:
                self.ensure_topic(topic)
            self.known_topics.add(topic)
        return [topic]

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def run_once(self) -> int:
        """Publish the next batch; returns how many events were sent."""
        start = self.position()
        notifications = self.app.recorder.select_notifications(
            start=start, limit=self.batch_size, inclusive_of_start=False
        )
        if not notifications:
            return 0
        futures = []
        for notification in notifications:
            record = to_record(self.app.mapper.to_domain_event(notification), notification.id)
            message = to_kafka_message(record, self.source)
            for topic in [self.topic, *self.routed_topics(record)]:
                futures.append(
                    self.producer.send(
                        topic,
                        key=str(record.aggregate_id).encode(),
                        value=message.value,
                        headers=list(message.headers.items()),
                    )
                )
        self.producer.flush(self.send_timeout)
        for future in futures:
            future.get(self.send_timeout)  # raises if the broker did not acknowledge
        last = notifications[-1].id
        self.store_position(last)
        log.info("relay.published", count=len(notifications), position=last)
        return len(notifications)

    def lag(self) -> int:
        """Events committed to the store but not yet acknowledged by the broker."""
        return max(self.head() - self.position(), 0)

    def run(self, stop: threading.Event, poll_interval: float = 0.2) -> None:
        """Relay until ``stop`` is set, retrying through broker and database outages."""
        run_worker(
            self.run_once,
            stop,
            self.pool,
            name=f"relay:{self.name}",
            kind="relay",
            idle_wait=poll_interval,
            lag=self.lag,
        )
