"""The composition root: builds every part from settings. Importing it connects to nothing."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import structlog
from psycopg_pool import ConnectionPool

from consumers.eventstore_feed import EventStoreFeed
from consumers.kafka_consumer import ProjectionConsumer
from consumers.regional import RegionalInstructionConsumer
from domain.clock import Clock
from domain.erasure_service import ErasureService
from domain.instruction_service import InstructionService
from domain.offices import OfficeDirectory
from domain.reception_service import ReceptionService
from domain.service import AppealsService
from infra.adapters import schema
from infra.adapters.applicants import PostgresApplicants
from infra.adapters.audit import AuditLog
from infra.adapters.calendar import KazakhstanCalendar
from infra.adapters.clock import make_clock
from infra.adapters.command_log import StructlogCommandLog
from infra.adapters.database import (
    bound_event_store_pool,
    eventsourcing_env,
    lock_schema,
    open_pool,
)
from infra.adapters.embedded_postgres import EmbeddedPostgres
from infra.adapters.event_recorder import TOPIC as RECORDER_TOPIC
from infra.adapters.kafka_admin import ensure_topic
from infra.adapters.rate_limits import PostgresCounters
from infra.adapters.settings import Settings
from infra.adapters.tokens import TokenService
from infra.contract.topics import regional_topic
from infra.observability.health import HealthCheck
from infra.workers.deadlines import DeadlineWatcher
from infra.workers.relay import Relay, make_producer
from projections.base import Projection
from projections.history import AppealHistory, HistoryQueries
from projections.instructions import InstructionQueries, InstructionStatus
from projections.oversight import OversightFacts
from projections.oversight_queries import OversightQueries
from projections.register import AppealRegister, RegisterQueries

log = structlog.get_logger(__name__)


def all_projections() -> list[Projection]:
    offices = OfficeDirectory.default()
    return [
        AppealHistory(),
        AppealRegister(offices.region_of),
        OversightFacts(offices.region_of),
        InstructionStatus(),
    ]


@dataclass
class Container:
    """Everything one process needs, built once and closed on the way out."""

    settings: Settings
    database_url: str
    service: AppealsService
    pool: ConnectionPool
    history: HistoryQueries
    health: HealthCheck
    reception: ReceptionService
    instructions: InstructionService
    register: RegisterQueries
    oversight: OversightQueries
    tokens: TokenService
    audit: AuditLog
    erasures: ErasureService
    rate_counters: PostgresCounters
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

    def deadline_watcher(self) -> DeadlineWatcher:
        return DeadlineWatcher(
            self.service, self.instructions, self.register, InstructionQueries(self.pool)
        )

    def start_deadline_watcher(self) -> None:
        """Run the deadline watcher in-process every ``deadline_check_seconds``."""
        thread = threading.Thread(
            target=self.deadline_watcher().run,
            args=(self._stop, self.settings.deadline_check_seconds),
            name="deadline-watcher",
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
        self.health.close()
        self.service.close()
        self.pool.close()
        if self.embedded_postgres is not None:
            self.embedded_postgres.stop()


def resolve_database(settings: Settings) -> tuple[str, EmbeddedPostgres | None]:
    if settings.database_url:
        return settings.database_url, None
    embedded = EmbeddedPostgres(settings.data_dir / "postgres")
    return embedded.start(), embedded


def build_service(
    database_url: str, settings: Settings, pool: ConnectionPool, clock: Clock
) -> AppealsService:
    """The event store and its services, with every table they need created.

    Processes starting together on one database take turns creating the schema
    (an advisory lock), because concurrent CREATE TABLE IF NOT EXISTS can fail.
    """
    env: dict[str, Any] = eventsourcing_env(database_url, pool_size=settings.db_pool_size)
    env["APPLICATION_RECORDER_TOPIC"] = RECORDER_TOPIC
    with pool.connection() as conn:
        lock_schema(conn)
        # The library creates its tables on its own connections while we hold the lock.
        service = AppealsService(
            env=env,
            calendar=KazakhstanCalendar(),
            clock=clock,
            applicants=PostgresApplicants(
                pool,
                settings.pseudonym_key.encode(),
                database_url,
                settings.key_encryption_key_bytes,
                settings.active_key_encryption_key,
            ),
            command_log=StructlogCommandLog(),
        )
        bound_event_store_pool(service.recorder.datastore.pool)  # type: ignore[attr-defined]
    return service


def build(settings: Settings, clock: Clock | None = None) -> Container:
    """Everything from settings; ``clock`` (default: from ``settings.clock_start``, else
    the real one) is the services' only source of "now"."""
    database_url, embedded = resolve_database(settings)
    try:
        if embedded is not None:
            # This process owns the embedded database: it keeps its schema current.
            schema.upgrade(database_url)
        else:
            # A shared database is migrated once, by `appeals migrate`, not by each process.
            schema.require_current(database_url)
        pool = open_pool(database_url, size=settings.db_pool_size)
        service = build_service(
            database_url, settings, pool, clock or make_clock(settings.clock_start)
        )
    except Exception:
        if embedded is not None:
            embedded.stop()
        raise
    feeders = [settings.consumer_group] if settings.distributed else ["eventstore"]
    register = RegisterQueries(pool)
    container = Container(
        settings=settings,
        database_url=database_url,
        service=service,
        pool=pool,
        history=HistoryQueries(pool),
        health=HealthCheck(
            settings,
            database_url,
            feeders,
            service.recorder.max_notification_id_statement,  # type: ignore[attr-defined]
        ),
        reception=ReceptionService(
            service, service.offices, service.rules, service.clock, service.calendar
        ),
        embedded_postgres=embedded,
        instructions=InstructionService(service, service.offices, service.calendar, service.clock),
        register=register,
        oversight=OversightQueries(pool),
        tokens=TokenService.from_settings(settings),
        audit=AuditLog(pool),
        erasures=ErasureService(service, service.applicants, service.offices, register),
        rate_counters=PostgresCounters(pool),
    )
    # One bus for every command, whichever aggregate it concerns.
    service.bus.instructions = container.instructions
    service.bus.reception = container.reception
    service.bus.erasures = container.erasures
    return container


def build_relay(container: Container) -> Relay:
    settings = container.settings
    assert settings.kafka_bootstrap_servers, "the relay needs KAFKA_BOOTSTRAP_SERVERS"
    bootstrap = settings.kafka_bootstrap_servers
    ensure_topic(bootstrap, settings.topic, settings.topic_partitions)
    return Relay(
        app=container.service,
        pool=container.pool,
        producer=make_producer(settings.kafka_bootstrap_servers),
        topic=settings.topic,
        source=settings.event_source,
        batch_size=settings.relay_batch_size,
        ensure_topic=lambda topic: ensure_topic(
            bootstrap, topic, settings.regional_topic_partitions
        ),
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


def build_regional_consumer(container: Container, region: str) -> RegionalInstructionConsumer:
    settings = container.settings
    assert settings.kafka_bootstrap_servers, "the consumer needs KAFKA_BOOTSTRAP_SERVERS"
    ensure_topic(
        settings.kafka_bootstrap_servers,
        regional_topic(settings.topic, region),
        settings.regional_topic_partitions,
    )
    return RegionalInstructionConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        base_topic=settings.topic,
        region=region,
        instructions=container.instructions,
        pool=container.pool,
    )
