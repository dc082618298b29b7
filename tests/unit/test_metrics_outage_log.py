"""/metrics during an outage: the scrape says so in a figure, the log says it once."""

from __future__ import annotations

from typing import Any, cast

from structlog.testing import capture_logs

from infra.observability.health import HealthCheck
from infra.observability.metrics import PipelineCollector


class Health:
    """Stands in for HealthCheck: figures fail while ``down`` is set."""

    def __init__(self) -> None:
        self.down = True
        self.feeders: list[str] = []
        self.settings = type("S", (), {"distributed": False, "topic": "t"})()

    def figures(self) -> Any:
        if self.down:
            raise TimeoutError("no answer from the database")
        return type(
            "F", (), {"event_store_head": 5, "relay_positions": {}, "feeder_positions": {}}
        )()


def scrape_ok(collector: PipelineCollector) -> float:
    metrics = {m.name: m for m in collector.collect()}
    return float(metrics["appeals_pipeline_scrape_ok"].samples[0].value)


def test_a_long_outage_is_logged_once_and_the_next_one_again() -> None:
    health = Health()
    collector = PipelineCollector(cast(HealthCheck, health))
    with capture_logs() as logs:
        assert [scrape_ok(collector) for _ in range(5)] == [0.0] * 5
        health.down = False
        assert scrape_ok(collector) == 1.0
        failures_logged = [e["event"] for e in logs].count("metrics.lag_failed")
        health.down = True  # a new outage is news again
        assert scrape_ok(collector) == 0.0
    assert failures_logged == 1
    assert [e["event"] for e in logs].count("metrics.lag_failed") == 2
