"""The composition root: builds every part from settings. Importing it connects to nothing."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import psycopg
import structlog
from psycopg_pool import ConnectionPool

from consumers.apply import prepare
from consumers.eventstore_feed import EventStoreFeed
from consumers.kafka_consumer import ProjectionConsumer
from domain.service import AppealsService
from infra.database import eventsourcing_env, open_pool
from infra.embedded_postgres import EmbeddedPostgres
from infra.health import HealthCheck
from infra.kafka_admin import ensure_topic
from infra.relay import Relay, make_producer
from infra.settings import Settings
from projections.base import Projection
from projections.history import AppealHistory, HistoryQueries

log = structlog.get_logger(__name__)


def all_projections() -> list[Projection]:
    return [AppealHistory()]


@dataclass
class Container:
    """Everything one process needs, built once and closed on the way out."""

    settings: Settings
    database_url: str
    service: AppealsService
    pool: ConnectionPool
    history: HistoryQueries
    health: HealthCheck
    feed: EventStoreFeed | None = None
    embedded_postgres: EmbeddedPostgres | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start_feed(self) -> None:
        """Feed projections in-process from the event store (embedded mode)."""
        if self.feed is None:
            self.feed = EventStoreFeed(
                app=self.service,
                pool=self.pool,
                projections=all_projections(),
                batch_size=self.settings.consumer_batch_size,
            )
            self.health.feeders.append(self.feed.name)
        feed = self.feed
        thread = threading.Thread(
            target=feed.run,
            args=(self._stop, self.settings.poll_interval_seconds),
            name="eventstore-feed",
            daemon=True,
        )
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        self._stop.set()
        if self.feed is not None:
            self.feed.wakeup.set()
        for thread in self._threads:
            thread.join(timeout=10)
        self.service.close()
        self.pool.close()
        if self.embedded_postgres is not None:
            self.embedded_postgres.stop()


def resolve_database(settings: Settings) -> tuple[str, EmbeddedPostgres | None]:
    if settings.database_url:
        return settings.database_url, None
    embedded = EmbeddedPostgres(settings.data_dir / "postgres")
    return embedded.start(), embedded


def build_service(database_url: str, settings: Settings) -> AppealsService:
    env: dict[str, Any] = eventsourcing_env(database_url, pool_size=settings.db_pool_size)
    return AppealsService(env=env)


def build(settings: Settings) -> Container:
    database_url, embedded = resolve_database(settings)
    try:
        # Processes starting together (API, relay, consumers) must not create the event
        # store's tables and types at the same moment: PostgreSQL refuses the loser.
        with psycopg.connect(database_url, autocommit=True) as guard:
            guard.execute("SELECT pg_advisory_lock(hashtext('appeals:event-store-schema'))")
            service = build_service(database_url, settings)
        pool = open_pool(database_url, size=settings.db_pool_size)
    except Exception:
        if embedded is not None:
            embedded.stop()
        raise
    feeders = [settings.consumer_group] if settings.distributed else ["eventstore"]
    container = Container(
        settings=settings,
        database_url=database_url,
        service=service,
        pool=pool,
        history=HistoryQueries(pool),
        health=HealthCheck(
            settings, pool, feeders, lambda: service.recorder.max_notification_id() or 0
        ),
        embedded_postgres=embedded,
    )
    with pool.connection() as conn:
        prepare(conn, all_projections())
    return container


def build_relay(container: Container) -> Relay:
    settings = container.settings
    assert settings.kafka_bootstrap_servers, "the relay needs KAFKA_BOOTSTRAP_SERVERS"
    ensure_topic(settings.kafka_bootstrap_servers, settings.topic, settings.topic_partitions)
    return Relay(
        app=container.service,
        pool=container.pool,
        producer=make_producer(settings.kafka_bootstrap_servers),
        topic=settings.topic,
        source=settings.event_source,
        batch_size=settings.relay_batch_size,
    )


def build_consumer(container: Container, group_id: str | None = None) -> ProjectionConsumer:
    settings = container.settings
    assert settings.kafka_bootstrap_servers, "the consumer needs KAFKA_BOOTSTRAP_SERVERS"
    ensure_topic(settings.kafka_bootstrap_servers, settings.topic, settings.topic_partitions)
    return ProjectionConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        topic=settings.topic,
        group_id=group_id or settings.consumer_group,
        pool=container.pool,
        projections=all_projections(),
        batch_size=settings.consumer_batch_size,
    )
