"""Embedded mode: projections fed in-process straight from the event store."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import structlog
from eventsourcing.application import Application
from psycopg_pool import ConnectionPool

from consumers.apply import apply_records, prepare
from consumers.positions import load_position, save_position
from infra.contract import to_record
from projections.base import Projection

log = structlog.get_logger(__name__)

CONSUMER_NAME = "eventstore"


class EventStoreFeed:
    """Reads the notification log after its stored position and applies each batch
    to the projections in one transaction together with the new position."""

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
            records = [to_record(self.app.mapper.to_domain_event(n), n.id) for n in notifications]
            apply_records(conn, self.projections, records)
            save_position(conn, self.name, notifications[-1].id)
        return len(notifications)

    def run(self, stop: threading.Event, poll_interval: float = 0.2) -> None:
        log.info("feed.started", position=self.position())
        while not stop.is_set():
            try:
                applied = self.run_once()
            except Exception as exc:
                log.error("feed.failed", error=str(exc))
                applied = 0
                stop.wait(1.0)
            if applied < self.batch_size:
                self.wakeup.wait(poll_interval)
                self.wakeup.clear()
        log.info("feed.stopped")
