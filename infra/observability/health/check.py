"""The health samplers of one API process, and what `/health`, `/health/ready` and
`/metrics` read from them."""

from __future__ import annotations

import time
from typing import Any

from psycopg.sql import Composed

from infra.adapters.kafka_admin import EndOffsets
from infra.adapters.settings import Settings
from infra.observability.health.probes import DatabaseProbe, Figures
from infra.observability.health.report import Snapshot, build_report, consumer_lag
from infra.observability.health.sampler import Sampler

SAMPLE_EVERY_SECONDS = 1.0
DATABASE_STALE_AFTER_SECONDS = 5.0
"""A database sample older than this means the probe hangs: the database is reported
down (its own timeouts are 2 s, so a live database always answers sooner)."""
KAFKA_STALE_AFTER_SECONDS = 8.0
"""Kafka's probe can take up to two 2 s timeouts (connect, then the request) plus a
close, so it is given longer than the database's."""
FIRST_SAMPLE_SECONDS = 5.0
"""How long start-up waits for the first samples, so that the first requests see
figures, not "not measured yet"."""


class FiguresUnavailable(RuntimeError):
    """The figures asked for are not fresh; the reason is the message."""


class HealthCheck:
    """Owns one sampler per dependency (a hung Kafka does not delay the database's
    figures). Started by the API (``start``), stopped by ``Container.close``; workers
    build the same container and never start it."""

    def __init__(
        self,
        settings: Settings,
        database_url: str,
        feeders: list[str],
        head_statement: Composed,
        *,
        every: float = SAMPLE_EVERY_SECONDS,
    ) -> None:
        self.settings = settings
        self.feeders = feeders
        probe = DatabaseProbe(database_url, head_statement, settings.topic)
        self.database = Sampler(
            "database",
            probe,
            every=every,
            stale_after=DATABASE_STALE_AFTER_SECONDS,
            close=probe.close,
        )
        self.kafka: Sampler[dict[int, int]] | None = None
        if settings.kafka_bootstrap_servers:
            ends = EndOffsets(settings.kafka_bootstrap_servers)
            topic = settings.topic
            self.kafka = Sampler(
                "kafka",
                lambda: ends(topic),
                every=every,
                stale_after=KAFKA_STALE_AFTER_SECONDS,
                close=ends.close,
            )
        self.consumers_seen: set[str] = set()
        """Consumers that ever had dead letters: their gauge goes back to 0, not away."""

    def start(self, first_within: float = FIRST_SAMPLE_SECONDS) -> None:
        """Start sampling (again is harmless) and wait, bounded, for the first samples."""
        samplers = [s for s in (self.database, self.kafka) if s is not None]
        for sampler in samplers:
            sampler.start()
        deadline = time.monotonic() + first_within
        for sampler in samplers:
            sampler.wait_first(max(deadline - time.monotonic(), 0.0))

    def close(self) -> None:
        for sampler in (self.database, self.kafka):
            if sampler is not None:
                sampler.stop()

    def snapshot(self) -> Snapshot:
        return Snapshot(
            mode="distributed" if self.settings.distributed else "embedded",
            topic=self.settings.topic,
            consumer_group=self.settings.consumer_group,
            feeders=tuple(self.feeders),
            database=self.database.reading(),
            kafka=self.kafka.reading() if self.kafka is not None else None,
        )

    def report(self) -> dict[str, Any]:
        return build_report(self.snapshot())

    # The figures infra/observability/metrics.py's pipeline collector reads, from the samples only.

    def figures(self) -> Figures:
        reading = self.database.reading()
        if reading.value is None:
            raise FiguresUnavailable(f"database: {reading.error}")
        return reading.value

    def consumer_lag(self, figures: Figures) -> dict[str, dict[int, int]]:
        """End offset minus stored offset per group and partition, from fresh samples."""
        reading = self.kafka.reading() if self.kafka is not None else None
        if reading is None or reading.value is None:
            raise FiguresUnavailable(f"kafka: {reading.error if reading else 'not configured'}")
        return consumer_lag(figures, reading.value, self.settings.consumer_group)

    def check(self) -> tuple[bool, dict[str, Any]]:
        """The report, and whether the API can serve (the database is up)."""
        report = self.report()
        return report["status"] != "unavailable", report
