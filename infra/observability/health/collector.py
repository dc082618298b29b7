"""Prometheus figures of the health samples: workers, dead letters, dependencies and
the age of each sample. Read from the samples only, so a scrape never waits on a
dependency."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from infra.adapters.heartbeats import Heartbeat
from infra.observability.health.check import HealthCheck
from infra.observability.health.probes import Figures
from infra.observability.health.sampler import Reading


class HealthCollector(Collector):
    def __init__(self, health: HealthCheck) -> None:
        self.health = health

    def collect(self) -> Iterator[Metric]:
        snapshot = self.health.snapshot()
        dependency_up = GaugeMetricFamily(
            "appeals_dependency_up",
            "1 while the dependency answered its last probe and that answer is fresh.",
            labels=["component"],
        )
        sample_age = GaugeMetricFamily(
            "appeals_health_sample_age_seconds",
            "Seconds since the dependency was last measured successfully.",
            labels=["component"],
        )
        readings: dict[str, Reading[Any]] = {"database": snapshot.database}
        if snapshot.kafka is not None:
            readings["kafka"] = snapshot.kafka
        for name, reading in readings.items():
            dependency_up.add_metric([name], 1.0 if reading.up else 0.0)
            if reading.age_seconds is not None:
                sample_age.add_metric([name], reading.age_seconds)
        yield dependency_up
        yield sample_age
        yield from self._workers(snapshot.workers())
        yield self._dead_letters(snapshot.database.value)

    def _workers(self, heartbeats: list[Heartbeat]) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "appeals_worker_up",
            "0 when the worker stopped or has not beaten for DOWN_AFTER_SECONDS.",
            labels=["worker", "kind"],
        )
        age = GaugeMetricFamily(
            "appeals_worker_heartbeat_age_seconds",
            "Seconds since the worker's last heartbeat.",
            labels=["worker", "kind"],
        )
        lag = GaugeMetricFamily(
            "appeals_worker_lag",
            "The lag the worker reported with its heartbeat.",
            labels=["worker", "kind"],
        )
        for h in heartbeats:
            labels = [h.worker, h.kind]
            up.add_metric(labels, 0.0 if h.down else 1.0)
            age.add_metric(labels, h.age_seconds)
            if h.lag is not None:
                lag.add_metric(labels, h.lag)
        yield from (up, age, lag)

    def _dead_letters(self, figures: Figures | None) -> Metric:
        family = GaugeMetricFamily(
            "appeals_dead_letters_unresolved",
            "Dead letters waiting for `appeals dlq retry` or `resolve`, per consumer.",
            labels=["consumer"],
        )
        if figures is not None:
            self.health.consumers_seen.update(figures.dead_letters)
            for consumer in sorted(self.health.consumers_seen):
                family.add_metric([consumer], figures.dead_letters.get(consumer, 0))
        return family
