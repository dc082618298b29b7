"""Prometheus metrics: definitions here, exposed at GET /metrics.

Request latency and command outcomes are counted as requests pass; the pipeline's lag
(relay behind the event store, feeders behind it, Kafka consumer lag per group and
partition) is computed at scrape time from the same figures as `/health`.
"""

from __future__ import annotations

from collections.abc import Iterator

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from infra.observability.health import HealthCheck

log = structlog.get_logger(__name__)

REQUEST_LATENCY = Histogram(
    "appeals_http_request_duration_seconds",
    "HTTP request latency by route template, method and status.",
    ["route", "method", "status"],
    registry=None,
)
SECURITY_EVENTS = Counter(
    "appeals_security_events_total",
    "Security events by kind: authentication_failed, forbidden, rate_limited, "
    "personal_data_read, erasure_requested, erasure_approved.",
    ["kind"],
    registry=None,
)
COMMANDS = Counter(
    "appeals_commands_total",
    "Commands by type (the operation) and outcome (ok, rejected, conflict, not_found, error).",
    ["type", "outcome"],
    registry=None,
)


def command_outcome(status: int) -> str:
    if status < 400:
        return "ok"
    return {404: "not_found", 409: "conflict", 422: "rejected", 400: "rejected"}.get(
        status, "error" if status >= 500 else "refused"
    )


class PipelineCollector(Collector):
    """Lag figures, read from PostgreSQL (and Kafka in distributed mode) per scrape."""

    def __init__(self, health: HealthCheck) -> None:
        self.health = health
        # The error last logged: a scraper asks every few seconds, and an outage
        # logged on each scrape would bury everything else in the log.
        self._failing: str | None = None

    def collect(self) -> Iterator[Metric]:
        head = GaugeMetricFamily(
            "appeals_event_store_position", "Position of the newest event in the event store."
        )
        relay_lag = GaugeMetricFamily(
            "appeals_relay_lag_events",
            "Event-store head minus the relay's acknowledged position.",
            labels=["relay"],
        )
        feeder_lag = GaugeMetricFamily(
            "appeals_projection_lag_events",
            "Event-store head minus the position up to which a feeder has applied every event.",
            labels=["consumer"],
        )
        consumer_lag = GaugeMetricFamily(
            "appeals_consumer_lag_messages",
            "Kafka end offset minus the offset stored with the read model.",
            labels=["group", "topic", "partition"],
        )
        up = GaugeMetricFamily("appeals_pipeline_scrape_ok", "1 if every lag figure was read.")
        ok = 1.0
        try:
            figures = self.health.figures()
            head.add_metric([], figures.event_store_head)
            for name, pos in figures.relay_positions.items():
                relay_lag.add_metric([name], max(figures.event_store_head - pos, 0))
            for name in sorted({*self.health.feeders, *figures.feeder_positions}):
                pos = figures.feeder_positions.get(name, 0)
                feeder_lag.add_metric([name], max(figures.event_store_head - pos, 0))
            if self.health.settings.distributed:
                topic = self.health.settings.topic
                for group, parts in self.health.consumer_lag(figures).items():
                    for partition, lag in parts.items():
                        consumer_lag.add_metric([group, topic, str(partition)], lag)
        except Exception as exc:
            ok = 0.0
            if str(exc) != self._failing:
                log.warning("metrics.lag_failed", error=str(exc))
            self._failing = str(exc)
        else:
            if self._failing is not None:
                log.info("metrics.lag_recovered")
            self._failing = None
        up.add_metric([], ok)
        yield from (head, relay_lag, feeder_lag, consumer_lag, up)


def make_registry(health: HealthCheck) -> CollectorRegistry:
    """One registry per application, so that several apps in one process (tests) do
    not collide; the request metrics are shared by all of them."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(REQUEST_LATENCY)
    registry.register(COMMANDS)
    registry.register(SECURITY_EVENTS)
    registry.register(PipelineCollector(health))
    return registry
