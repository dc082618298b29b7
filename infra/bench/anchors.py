"""The yardsticks `appeals bench` measures beside our own stages, in the same run and
the same PostgreSQL (issue 12): what the `eventsourcing` library does alone with the
same events, and what the database does with the plainest write.

- ``save``: the library's ``Application.save`` of the same ``Received`` events, built
  by the same domain code, in a loop: no registry, no seal, no outbox.
- ``project``: the library's ``ProjectionRunner`` applying those events to a one-row-
  per-appeal table, with its tracking record in the same transaction.
- ``insert``: single-row inserts, each its own transaction (the floor of any write).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID, uuid4

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from psycopg.sql import SQL, Composed

from domain.appeal import Appeal
from domain.clock import events_on
from domain.service import AppealsService, DateAsISO
from infra.adapters.database import eventsourcing_env


class AnchorAppeals(Application[UUID]):
    """The library's application, alone: the events saved as they are."""

    name = "BenchAnchor"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())  # as the appeals' own store does


class AnchorView(PostgresTrackingRecorder):
    """One row per appeal, written with the tracking record in one transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sql_create_statements.append(
            Composed(
                [
                    SQL(
                        "CREATE TABLE IF NOT EXISTS bench_anchor_view (appeal_id uuid "
                        "PRIMARY KEY, office text NOT NULL, version int NOT NULL)"
                    )
                ]
            )
        )

    def upsert(self, appeal_id: UUID, office: str, version: int, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                "INSERT INTO bench_anchor_view (appeal_id, office, version) "
                "VALUES (%s, %s, %s) ON CONFLICT (appeal_id) DO UPDATE "
                "SET office = EXCLUDED.office, version = EXCLUDED.version",
                (appeal_id, office, version),
            )
            self._insert_tracking(curs, tracking)


class AnchorProjection(Projection[AnchorView]):
    name = "bench_anchor"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.upsert(
            domain_event.originator_id,
            str(getattr(domain_event, "office", "")),
            domain_event.originator_version,
            tracking,
        )


def received(service: AppealsService, office: str = "REG-ALA") -> Appeal:
    """A new appeal received today by ``office``, built by the domain code as a command
    would build it (within ``events_on``: its events take the service's clock)."""
    today = service.today()
    return Appeal.receive(
        appeal_id=uuid4(),
        channel="written",
        office=office,
        summary="bench",
        actor="bench",
        received_on=today,
        rules=service.rules.on(today),
        calendar=service.calendar,
        offices=service.offices,
    )


def _env(url: str) -> dict[str, str]:
    return eventsourcing_env(url, pool_size=2)


def save_loop(url: str, service: AppealsService, count: int, tick: Callable[[], None]) -> float:
    """Seconds the library takes to save ``count`` appeals' ``Received`` events."""
    app = AnchorAppeals(env=_env(url))
    try:
        started = time.perf_counter()
        for _ in range(count):
            with events_on(service.clock):
                appeal = received(service)
            app.save(appeal)
            tick()
        return time.perf_counter() - started
    finally:
        app.close()


def projection_run(url: str, count: int, tick: Callable[[int], None]) -> tuple[int, float]:
    """(events, seconds) of the library's ProjectionRunner applying the ``count`` events
    that ``save_loop`` stored, from its first applied event on: its start-up is left out,
    as the consumer's joining its group is."""
    env = {**_env(url), "BENCH_ANCHOR_CREATE_TABLE": "y"}
    with ProjectionRunner(
        application_class=AnchorAppeals,
        projection_class=AnchorProjection,
        view_class=AnchorView,
        env=env,
    ) as runner:
        done = 0
        first: tuple[int, float] | None = None
        while done < count:
            reached = runner.view.max_tracking_id(runner.app_name) or 0
            if reached and first is None:
                first = (reached, time.perf_counter())
            tick(reached - done)
            done = reached
            if done < count:
                time.sleep(0.002)
        assert first is not None
        return count - first[0], time.perf_counter() - first[1]


def insert_loop(url: str, count: int, tick: Callable[[], None]) -> float:
    """Seconds for ``count`` single-row inserts, one transaction each."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_anchor_rows "
            "(id uuid PRIMARY KEY, office text NOT NULL, received_on date NOT NULL)"
        )
        started = time.perf_counter()
        for _ in range(count):
            conn.execute(
                "INSERT INTO bench_anchor_rows (id, office, received_on) VALUES (%s, %s, %s)",
                (uuid4(), "REG-ALA", date(2026, 1, 5)),
            )
            tick()
        return time.perf_counter() - started
