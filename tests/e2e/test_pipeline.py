"""End to end over HTTP: command -> event store -> (relay -> Kafka -> consumer) ->
read model -> query, in distributed mode and in embedded mode (`make run`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.processes import api_port, appeals_process, wait_for_api
from tests.support import as_user, wait_until

pytestmark = pytest.mark.e2e

HEADERS = as_user("registrar.almaty", "registrar", "REG-ALA")
APPEAL = {
    "channel": "personal_reception",
    "office": "REG-ALA",
    "summary": "No answer",
    "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
}


def file_and_assign(base: str) -> tuple[str, dict[str, Any]]:
    created = httpx.post(
        f"{base}/appeals",
        json=APPEAL,
        headers={**HEADERS, "Idempotency-Key": "e2e-1"},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["version"] == 1 and body["position"] >= 1
    appeal_id = body["appeal_id"]
    assigned = httpx.post(
        f"{base}/appeals/{appeal_id}/assignment",
        json={"assignee": "prosecutor.7", "office": "DIS-ALA-MEDEU"},
        headers=as_user("head.almaty", "supervisor", "REG-ALA", **{"If-Match": '"1"'}),
        timeout=10,
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["position"] > body["position"]
    return appeal_id, body


def wait_for_history(base: str, appeal_id: str, events: int) -> list[dict[str, Any]]:
    def probe() -> list[dict[str, Any]] | None:
        r = httpx.get(f"{base}/appeals/{appeal_id}/history", timeout=5, headers=HEADERS)
        if r.status_code == 200 and len(r.json()["events"]) >= events:
            result: list[dict[str, Any]] = r.json()["events"]
            return result
        return None

    return wait_until(probe, timeout=60, what=f"{events} events in the history of {appeal_id}")


def check_history(history: list[dict[str, Any]]) -> None:
    assert [e["type"] for e in history] == ["appeals.appeal.received", "appeals.appeal.assigned"]
    assert [e["actor"] for e in history] == ["registrar.almaty", "head.almaty"]
    assert history[1]["data"] == {
        "assignee": "prosecutor.7",
        "office": "DIS-ALA-MEDEU",
        "previous_assignee": None,
    }
    assert history[0]["position"] < history[1]["position"]


@pytest.mark.kafka
@pytest.mark.postgres
def test_distributed_pipeline(database_url: str, kafka_bootstrap: str, scratch_dir: Path) -> None:
    port = api_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "APPEALS_TOPIC": f"e2e.{scratch_dir.name}",
        "APPEALS_TOPIC_PARTITIONS": "3",
        "APPEALS_CONSUMER_GROUP": f"e2e-{scratch_dir.name}",
        "APPEALS_LOG_FORMAT": "json",
    }
    logs = {name: scratch_dir / f"{name}.log" for name in ("api", "relay", "consume")}
    with (
        appeals_process(["api", "--port", str(port)], env, logs["api"]) as api,
        appeals_process(["relay"], env, logs["relay"]),
        appeals_process(["consume"], env, logs["consume"]),
    ):
        wait_for_api(base, api, logs["api"])
        appeal_id, _ = file_and_assign(base)
        check_history(wait_for_history(base, appeal_id, 2))

        # A retried create with the same key creates nothing new.
        retry = httpx.post(
            f"{base}/appeals",
            json=APPEAL,
            headers={**HEADERS, "Idempotency-Key": "e2e-1"},
            timeout=10,
        )
        assert retry.status_code == 201 and retry.json()["appeal_id"] == appeal_id
        assert retry.headers["Idempotent-Replayed"] == "true"

        def caught_up() -> dict[str, Any] | None:
            report: dict[str, Any] = httpx.get(f"{base}/health", timeout=10).json()
            lag = report["kafka"]["consumer_lag"][env["APPEALS_CONSUMER_GROUP"]]["total"]
            # The group's position (all partitions applied up to it) follows the offsets
            # within a watermark interval.
            behind = report["projections"][env["APPEALS_CONSUMER_GROUP"]]["behind_event_store"]
            # /health reports background samples: wait for one taken after the commands.
            recorded = report["event_store"]["position"] >= 2
            return (
                report if recorded and report["kafka"]["ok"] and lag == 0 and behind == 0 else None
            )

        report = wait_until(caught_up, timeout=60, what="consumer lag 0 in /health")
        history = httpx.get(
            f"{base}/appeals/{appeal_id}/history",
            params={"min_position": report["event_store"]["position"]},
            timeout=10,
            headers=HEADERS,
        )
        assert history.status_code == 200 and len(history.json()["events"]) == 2
        assert report["mode"] == "distributed"
        assert report["projections"][env["APPEALS_CONSUMER_GROUP"]]["behind_event_store"] == 0
        applicant = httpx.get(f"{base}/appeals/{appeal_id}/applicant", headers=HEADERS, timeout=10)
        assert applicant.json()["name"] == "Aigerim Nurlanovna"
        metrics = httpx.get(f"{base}/metrics", timeout=10).text
    # Personal data never reaches the services' logs or metrics.
    for text in [*(log.read_text(errors="replace") for log in logs.values()), metrics]:
        assert "791028302728" not in text and "Aigerim" not in text and "No answer" not in text


@pytest.mark.postgres
def test_embedded_make_run(scratch_dir: Path) -> None:
    """What `make run` does on a fresh machine: its own PostgreSQL, no Kafka."""
    port = api_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "APPEALS_DATA_DIR": str(scratch_dir / "data"),
        "DATABASE_URL": "",
        "KAFKA_BOOTSTRAP_SERVERS": "",
    }
    log = scratch_dir / "run.log"
    with appeals_process(["run", "--port", str(port)], env, log) as proc:
        wait_for_api(base, proc, log)
        health = httpx.get(f"{base}/health", timeout=10).json()
        assert health["mode"] == "embedded" and health["database"]["ok"]
        appeal_id, _ = file_and_assign(base)
        check_history(wait_for_history(base, appeal_id, 2))

    # Running it again keeps the data.
    with appeals_process(["run", "--port", str(port)], env, log) as proc:
        wait_for_api(base, proc, log)
        check_history(wait_for_history(base, appeal_id, 2))
