"""`/health` while the Kafka broker is dead, on a real API server in distributed mode:
the probes answer within a second from the background samples (degraded, naming
Kafka; still ready, since commands do not need Kafka), and twenty clients polling
`/health` take no thread from the commands."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from infra.adapters.kafka_admin import ensure_topic
from infra.local.kafka_broker import KafkaBroker
from tests.e2e.processes import api_port, appeals_process, wait_for_api
from tests.support import as_user, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.kafka, pytest.mark.postgres]

POLLERS = 20
COMMANDS = 100
COMMAND_CLIENTS = 2
APPEAL = {
    "channel": "personal_reception",
    "office": "REG-ALA",
    "summary": "No answer to my complaint",
    "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
}


def _timed_get(client: httpx.Client, url: str) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    response = client.get(url)
    return time.monotonic() - started, response


def _timed_post(
    client: httpx.Client, url: str, body: dict[str, Any], headers: dict[str, str]
) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    response = client.post(url, json=body, headers=headers)
    return time.monotonic() - started, response


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * 0.99), len(ordered) - 1)]


def test_health_answers_at_once_and_commands_go_on_while_kafka_is_dead(
    database_url: str, scratch_dir: Path
) -> None:
    broker = KafkaBroker(scratch_dir / "kafka")
    bootstrap = broker.start()
    topic = f"appeals.health.{uuid4().hex[:8]}"
    ensure_topic(bootstrap, topic, 3)
    port = api_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "APPEALS_TOPIC": topic,
        "APPEALS_CONSUMER_GROUP": f"group-{uuid4().hex[:8]}",
        "APPEALS_LOG_FORMAT": "console",
        "APPEALS_LOG_LEVEL": "WARNING",
    }
    log = scratch_dir / "api.log"
    try:
        with appeals_process(["api", "--port", str(port)], env, log) as proc:
            wait_for_api(base, proc, log)
            client = httpx.Client(base_url=base, timeout=30)
            wait_until(
                lambda: client.get("/health").json().get("kafka", {}).get("ok"),
                timeout=60,
                what="Kafka up in /health",
            )

            assert broker.process is not None
            os.killpg(broker.process.pid, signal.SIGKILL)
            broker.process.wait(30)
            killed = time.monotonic()

            def kafka_down() -> dict[str, Any] | None:
                report: dict[str, Any] = client.get("/health").json()
                return report if report["status"] == "degraded" else None

            report = wait_until(kafka_down, timeout=30, what="/health degraded")
            noticed = time.monotonic() - killed
            assert [p["component"] for p in report["problems"]] == ["kafka"]
            assert report["kafka"]["ok"] is False and report["database"]["ok"] is True

            answers = [_timed_get(client, "/health") for _ in range(20)]
            slowest_health = max(t for t, _ in answers)
            assert all(r.status_code == 200 for _, r in answers)
            assert all(r.json()["status"] == "degraded" for _, r in answers)
            assert slowest_health < 1.0
            live_time, live = _timed_get(client, "/health/live")
            ready_time, ready = _timed_get(client, "/health/ready")
            assert live.status_code == 200 and live_time < 1.0
            assert ready.status_code == 200 and ready_time < 1.0
            assert ready.json()["status"] == "ready"

            stop = threading.Event()
            polled: list[float] = []
            poll_statuses: set[int] = set()
            polled_lock = threading.Lock()

            def poll() -> None:
                with httpx.Client(base_url=base, timeout=30) as own:
                    while not stop.is_set():
                        elapsed, response = _timed_get(own, "/health")
                        with polled_lock:
                            polled.append(elapsed)
                            poll_statuses.add(response.status_code)

            pollers = [threading.Thread(target=poll, daemon=True) for _ in range(POLLERS)]
            for thread in pollers:
                thread.start()
            latencies: list[float] = []
            statuses: list[int] = []
            headers = as_user("reg.1", "supervisor", "REG-ALA")

            def file_appeals(count: int) -> None:
                with httpx.Client(base_url=base, timeout=30) as own:
                    for _ in range(count):
                        elapsed, response = _timed_post(own, "/appeals", APPEAL, headers)
                        with polled_lock:
                            latencies.append(elapsed)
                            statuses.append(response.status_code)

            try:
                time.sleep(1.0)  # the pollers are all at it before the first command
                filers = [
                    threading.Thread(target=file_appeals, args=(COMMANDS // COMMAND_CLIENTS,))
                    for _ in range(COMMAND_CLIENTS)
                ]
                for thread in filers:
                    thread.start()
                for thread in filers:
                    thread.join(300)
            finally:
                stop.set()
                for thread in pollers:
                    thread.join(35)
            client.close()

            p99 = _p99(latencies)
            print(
                f"\nkafka killed: /health degraded after {noticed:.1f} s; /health answered "
                f"in at most {slowest_health * 1000:.0f} ms, /health/live "
                f"{live_time * 1000:.0f} ms, /health/ready {ready_time * 1000:.0f} ms; "
                f"with {POLLERS} clients polling /health ({len(polled)} polls, p99 "
                f"{_p99(polled) * 1000:.0f} ms, max {max(polled) * 1000:.0f} ms): "
                f"{len(latencies)} commands, p99 {p99 * 1000:.0f} ms, "
                f"max {max(latencies) * 1000:.0f} ms"
            )
            assert len(latencies) == COMMANDS
            assert not [s for s in statuses if s >= 500], statuses
            assert all(s == 201 for s in statuses), statuses
            assert p99 < 2.0
            assert poll_statuses == {200}
            assert _p99(polled) < 1.0
    finally:
        broker.stop()
