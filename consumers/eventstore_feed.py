"""Embedded mode: projections fed in-process straight from the event store."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import structlog
from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from psycopg_pool import ConnectionPool

from consumers.apply import Incoming, apply_batch, prepare
from consumers.dead_letters import EVENT_STORE_TOPIC, DeadLetter, Decoder, describe
from consumers.positions import load_position, save_position
from infra.contract.envelope import to_record
from infra.workers.loop import run_worker
from projections.base import Projection
from projections.records import EventRecord

log = structlog.get_logger(__name__)

CONSUMER_NAME = "eventstore"


def decode_notification(app: Application[Any], notification: Notification) -> Incoming:
    """A stored event as the feeder hands it on: in its public form, or with the
    reason it has none (it is then parked as a dead letter)."""
    base = Incoming(
        topic=EVENT_STORE_TOPIC,
        partition=0,
        offset=notification.id,
        payload=bytes(notification.state),
        key=str(notification.originator_id),
        event_id=f"{notification.originator_id}/{notification.originator_version}",
        type=notification.topic,
    )
    try:
        base.record = to_record(app.mapper.to_domain_event(notification), notification.id)
    except Exception as exc:
        base.error = describe(exc)
    return base


def dead_letter_decoder(app: Application[Any]) -> Decoder:
    """For ``dlq retry``: read a parked event again from the event store by position."""

    def decode(letter: DeadLetter) -> EventRecord:
        found = app.recorder.select_notifications(start=letter.offset, limit=1)
        if not found or found[0].id != letter.offset:
            raise LookupError(f"no event at position {letter.offset}")
        return to_record(app.mapper.to_domain_event(found[0]), found[0].id)

    return decode


class EventStoreFeed:
    """Reads the notification log after its stored position and applies each batch
    to the projections in one transaction together with the new position. Events that
    cannot be applied are parked as dead letters (``consumers.dead_letters``)."""

    def __init__(
        self,
        *,
        app: Application[Any],
        pool: ConnectionPool,
        projections: Sequence[Projection],
        batch_size: int = 500,
        name: str = CONSUMER_NAME,
    ) -> None:
        self.app = app
        self.pool = pool
        self.projections = projections
        self.batch_size = batch_size
        self.name = name
        self.wakeup = threading.Event()
        with pool.connection() as conn:
            prepare(conn, projections)

    def position(self) -> int:
        with self.pool.connection() as conn:
            return load_position(conn, self.name)

    def run_once(self) -> int:
        with self.pool.connection() as conn, conn.transaction():
            # Row lock: two API processes on one database must not apply the same batch.
            conn.execute(
                "INSERT INTO projection_positions (consumer, position) VALUES (%s, 0) "
                "ON CONFLICT DO NOTHING",
                (self.name,),
            )
            row = conn.execute(
                "SELECT position FROM projection_positions WHERE consumer = %s FOR UPDATE",
                (self.name,),
            ).fetchone()
            start = int(row[0]) if row else 0
            notifications = self.app.recorder.select_notifications(
                start=start, limit=self.batch_size, inclusive_of_start=False
            )
            if not notifications:
                return 0
            items = [decode_notification(self.app, n) for n in notifications]
            result = apply_batch(conn, self.name, self.projections, items)
            save_position(conn, self.name, notifications[-1].id)
        if result.parked:
            log.warning("feed.parked", count=result.parked, position=notifications[-1].id)
        return len(notifications)

    def lag(self) -> int:
        """Events in the store not yet applied (or parked)."""
        head = self.app.recorder.max_notification_id() or 0
        return max(head - self.position(), 0)

    def run(self, stop: threading.Event, poll_interval: float = 0.2) -> None:
        """Feed until ``stop`` is set; idle waits end early on ``wakeup`` (a write)."""
        run_worker(
            self.run_once,
            stop,
            self.pool,
            name=f"feed:{self.name}",
            kind="feed",
            idle_wait=poll_interval,
            lag=self.lag,
            wakeup=self.wakeup,
        )
