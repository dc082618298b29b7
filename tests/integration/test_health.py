"""/health, /health/live, /health/ready and /metrics on real PostgreSQL: figures come
from background samples, a worker whose heartbeat is too old shows as down, dead
letters show, and a database that cannot be reached makes the API unready."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from psycopg.sql import SQL

from api.app import create_app
from consumers import dead_letters
from infra.adapters.heartbeats import DOWN_AFTER_SECONDS, beat
from infra.bootstrap import Container
from infra.local.kafka_broker import free_port
from infra.observability.health import HealthCheck
from infra.observability.health.report import Snapshot, build_report
from infra.observability.health.sampler import Reading, Sampler
from tests.support import wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container)) as c:
        yield c


def report_where(client: TestClient, probe: Any, what: str) -> dict[str, Any]:
    def matching() -> dict[str, Any] | None:
        report: dict[str, Any] = client.get("/health").json()
        return report if probe(report) else None

    return wait_until(matching, timeout=15, what=what)


def test_a_healthy_api_is_ok_live_and_ready(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["status"] == "ok" and report["problems"] == []
    assert report["database"]["ok"] and report["database"]["age_seconds"] < 5
    assert report["event_store"] == {"position": 0}
    assert report["projections"]["eventstore"]["behind_event_store"] == 0
    assert report["workers"] == {}
    assert report["dead_letters"] == {"unresolved": 0, "by_consumer": {}}
    assert "kafka" not in report  # embedded
    assert client.get("/health/live").json() == {"status": "live"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    text = client.get("/metrics").text
    assert 'appeals_dependency_up{component="database"} 1.0' in text
    assert 'appeals_health_sample_age_seconds{component="database"}' in text


def test_a_silent_worker_shows_as_down_in_health_and_metrics(
    client: TestClient, container: Container
) -> None:
    with container.pool.connection() as conn:
        beat(conn, worker="relay:kafka", kind="relay", state="running", lag=7, started=True)
        beat(conn, worker="consumer:g1", kind="consumer", state="running", lag=0)
        conn.execute(
            "UPDATE worker_heartbeats SET beat_at = now() - interval '2 minutes'"
            " WHERE worker = 'relay:kafka'"
        )
    report = report_where(
        client, lambda r: "relay:kafka" in r.get("workers", {}), "the heartbeats in /health"
    )
    relay = report["workers"]["relay:kafka"]
    assert relay["worker"] == "relay:kafka" and relay["kind"] == "relay"
    assert relay["down"] is True and relay["state"] == "running" and relay["lag"] == 7
    assert relay["age_seconds"] > DOWN_AFTER_SECONDS and relay["last_beat_at"]
    assert report["workers"]["consumer:g1"]["down"] is False
    assert report["status"] == "degraded"
    assert [p["component"] for p in report["problems"]] == ["worker:relay:kafka"]
    assert client.get("/health/ready").status_code == 200
    text = client.get("/metrics").text
    assert 'appeals_worker_up{kind="relay",worker="relay:kafka"} 0.0' in text
    assert 'appeals_worker_up{kind="consumer",worker="consumer:g1"} 1.0' in text
    assert 'appeals_worker_lag{kind="relay",worker="relay:kafka"} 7.0' in text
    assert 'appeals_worker_heartbeat_age_seconds{kind="relay",worker="relay:kafka"} 1' in text


def test_a_failing_or_stopped_worker_degrades_health(
    client: TestClient, container: Container
) -> None:
    with container.pool.connection() as conn:
        beat(conn, worker="regional:REG-ALA", kind="regional", state="failing", error="boom")
        beat(conn, worker="deadlines", kind="deadlines", state="stopped")
    report = report_where(client, lambda r: len(r["problems"]) == 2, "two problems")
    assert report["status"] == "degraded"
    assert {p["component"]: p["detail"] for p in report["problems"]} == {
        "worker:deadlines": "stopped",
        "worker:regional:REG-ALA": "failing: boom",
    }


def test_unresolved_dead_letters_show_in_health_and_metrics(
    client: TestClient, container: Container
) -> None:
    with container.pool.connection() as conn:
        dead_letters.park(
            conn,
            consumer="regional-REG-ALA",
            topic="appeals.events.instructions.REG-ALA",
            partition=0,
            offset=3,
            aggregate_id="poison-1",
            event_id=None,
            type=None,
            position=None,
            payload=b"garbage",
            error="not a CloudEvent",
        )
    report = report_where(client, lambda r: r["dead_letters"]["unresolved"], "the dead letter")
    assert report["dead_letters"] == {"unresolved": 1, "by_consumer": {"regional-REG-ALA": 1}}
    assert report["status"] == "degraded"
    assert report["problems"][0]["component"] == "dead_letters:regional-REG-ALA"
    text = client.get("/metrics").text
    assert 'appeals_dead_letters_unresolved{consumer="regional-REG-ALA"} 1.0' in text

    with container.pool.connection() as conn:
        conn.execute("UPDATE dead_letters SET resolved = true")
    report_where(client, lambda r: r["status"] == "ok", "ok once resolved")
    text = client.get("/metrics").text
    assert 'appeals_dead_letters_unresolved{consumer="regional-REG-ALA"} 0.0' in text


def test_an_unreachable_database_is_unavailable_and_unready_at_once(
    container: Container,
) -> None:
    """Nothing listens on the port: the probe fails, and the API says so in well under
    a second without waiting for the database on the request."""
    container.health.close()
    container.health = HealthCheck(
        container.settings,
        f"postgresql://appeals@127.0.0.1:{free_port()}/nowhere",
        ["eventstore"],
        SQL("SELECT 1").format(),
    )
    with TestClient(create_app(container)) as client:
        started = time.monotonic()
        r = client.get("/health")
        assert time.monotonic() - started < 1.0
        assert r.status_code == 503
        report = r.json()
        assert report["status"] == "unavailable" and not report["database"]["ok"]
        assert report["problems"][0]["component"] == "database"
        assert "event_store" not in report and "workers" not in report
        ready = client.get("/health/ready")
        assert ready.status_code == 503 and ready.json()["status"] == "not_ready"
        assert client.get("/health/live").status_code == 200
        assert 'appeals_dependency_up{component="database"} 0.0' in client.get("/metrics").text


def test_a_hung_probe_is_reported_down_once_its_figure_is_too_old() -> None:
    """A probe that never returns (a dependency that accepts and never answers)."""
    release = threading.Event()
    calls = iter(range(1_000_000))

    def measure() -> int:
        if next(calls) > 0:
            release.wait(30)
        return 1

    sampler = Sampler("hung", measure, every=0.05, stale_after=0.5)
    sampler.start()
    try:
        assert sampler.wait_first(5)
        assert sampler.reading().value == 1

        def stale() -> Reading[int] | None:
            reading = sampler.reading()
            return None if reading.up else reading

        reading = wait_until(stale, timeout=5, what="the figure to grow stale")
        assert reading.error and "stuck" in reading.error and reading.age_seconds
    finally:
        release.set()
        sampler.stop()


def test_the_openapi_document_describes_the_probes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    health = paths["/health"]["get"]["responses"]
    assert set(health) >= {"200", "503"}
    assert "application/json" in health["503"]["content"]  # a report, not a problem
    assert {"/health/live", "/health/ready"} <= set(paths)


def test_without_fresh_database_figures_no_lag_is_reported() -> None:
    """With the database down, the stored offsets are unknown: the topic's end offsets
    alone must not be shown as lag (they once reported the whole topic as lag)."""
    snapshot = Snapshot(
        mode="distributed",
        topic="appeals.events",
        consumer_group="projections",
        feeders=(),
        database=Reading(None, 12.0, "no answer for 12 s: the check is stuck on the dependency"),
        kafka=Reading({0: 500, 1: 700}, 0.3, None),
    )
    report = build_report(snapshot)
    assert report["status"] == "unavailable"
    assert [p["component"] for p in report["problems"]] == ["database"]
    assert report["kafka"]["ok"] is True and report["kafka"]["consumer_lag"] == {}
    assert report["kafka"]["consumer_lag_unknown"]
