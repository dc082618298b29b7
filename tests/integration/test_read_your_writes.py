"""Read-your-writes and the operational figures, over HTTP: a query waits for the
position a command returned (embedded and distributed), or answers 503 with
Retry-After; /health and /metrics show lag per consumer group and partition."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.bootstrap import Container, build, build_consumer, build_relay
from tests.support import as_user, settings_for, wait_until

pytestmark = pytest.mark.postgres

ACTOR = as_user("reg.2", "registrar", "REG-ZHA")
VALID = {
    "channel": "electronic_portal",
    "office": "REG-ZHA",
    "summary": "Inquiry stalled",
    "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    container = build(settings_for(database_url, read_your_writes_timeout_seconds=0.5))
    container.start_feed()
    with TestClient(create_app(container), headers=as_user()) as c:
        yield c
    container.close()


def test_query_waits_for_the_commands_position(client: TestClient) -> None:
    created = client.post("/appeals", json=VALID, headers=ACTOR).json()
    assigned = client.post(
        f"/appeals/{created['appeal_id']}/assignment",
        json={"assignee": "p.9", "office": "REG-ZHA"},
        headers=ACTOR,
    ).json()
    r = client.get(
        f"/appeals/{created['appeal_id']}/history",
        params={"min_position": assigned["position"]},
    )
    assert r.status_code == 200, r.text
    assert [e["version"] for e in r.json()["events"]] == [1, 2]


def test_an_appeal_with_a_parked_event_is_never_reported_caught_up(client: TestClient) -> None:
    from api.consistency import feeder_name
    from consumers.dead_letters import park

    created = client.post("/appeals", json=VALID, headers=ACTOR).json()
    appeal_id = created["appeal_id"]
    url = f"/appeals/{appeal_id}/history"
    params = {"min_position": created["position"]}
    assert client.get(url, params=params).status_code == 200
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    event_id = f"{appeal_id}/2"
    with container.pool.connection() as conn:
        park(
            conn,
            consumer=feeder_name(container),
            topic="eventstore",
            partition=0,
            offset=created["position"] + 1,
            aggregate_id=appeal_id,
            event_id=event_id,
            type="appeals.appeal.assigned",
            position=created["position"] + 1,
            payload=b"{}",
            error="refused by a read model",
        )
    r = client.get(url, params=params)
    assert r.status_code == 409 and r.json()["rule"] == "event-parked", r.text
    assert event_id in r.json()["detail"] and "appeals dlq" in r.json()["detail"]
    # Without min_position nothing is claimed: the history as it stands.
    assert client.get(url).status_code == 200


@pytest.fixture
def stalled_client(database_url: str) -> Iterator[TestClient]:
    """The read models are never fed: every recorded position stays out of reach."""
    container = build(settings_for(database_url, read_your_writes_timeout_seconds=0.5))
    with TestClient(create_app(container), headers=as_user()) as c:
        yield c
    container.close()


def test_a_position_not_reached_in_time_is_503_with_retry_after(
    stalled_client: TestClient,
) -> None:
    client = stalled_client
    created = client.post("/appeals", json=VALID, headers=ACTOR).json()
    r = client.get(
        f"/appeals/{created['appeal_id']}/history", params={"min_position": created["position"]}
    )
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert int(r.headers["retry-after"]) >= 1
    body = r.json()
    assert body["rule"] == "read-model-behind" and body["field"] == "min_position"
    assert body["position"] == 0


def test_a_position_no_event_has_is_422_at_once(client: TestClient) -> None:
    """Found by the OpenAPI contract test: a min_position past the event store's head
    waited the whole bound and answered 503, a server error, for a client's mistake."""
    created = client.post("/appeals", json=VALID, headers=ACTOR).json()
    r = client.get(
        f"/appeals/{created['appeal_id']}/history",
        params={"min_position": created["position"] + 1},
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert (body["rule"], body["field"]) == ("position-not-recorded", "min_position")
    bad = client.get(f"/appeals/{created['appeal_id']}/history", params={"min_position": 0})
    assert bad.status_code == 422


def test_metrics_count_commands_and_time_requests(client: TestClient) -> None:
    created = client.post("/appeals", json=VALID, headers=ACTOR).json()
    assign = {"assignee": "p.1", "office": "REG-ZHA"}
    url = f"/appeals/{created['appeal_id']}/assignment"
    client.post(url, json=assign, headers=ACTOR)
    client.post(url, json=assign, headers=ACTOR)  # already assigned: 409
    client.get(f"/appeals/{created['appeal_id']}/history")
    text = client.get("/metrics").text
    assert 'appeals_commands_total{outcome="ok",type="receive_appeal"}' in text
    assert 'appeals_commands_total{outcome="conflict",type="assign_appeal"}' in text
    assert (
        'appeals_http_request_duration_seconds_count{method="GET",'
        'route="/appeals/{appeal_id}/history",status="200"}'
    ) in text
    assert 'appeals_projection_lag_events{consumer="eventstore"}' in text
    assert "appeals_pipeline_scrape_ok 1.0" in text


@pytest.mark.kafka
def test_distributed_read_your_writes_and_lag_per_partition(
    database_url: str, kafka_bootstrap: str
) -> None:
    container: Container = build(settings_for(database_url, kafka_bootstrap))
    relay = build_relay(container)
    consumer = build_consumer(container)
    stop = threading.Event()
    threads = [
        threading.Thread(target=relay.run, args=(stop, 0.05), daemon=True),
        threading.Thread(target=consumer.run, args=(stop,), daemon=True),
    ]
    for t in threads:
        t.start()
    try:
        with TestClient(create_app(container), headers=as_user()) as client:
            created = client.post("/appeals", json=VALID, headers=ACTOR).json()
            r = client.get(
                f"/appeals/{created['appeal_id']}/history",
                params={"min_position": created["position"]},
            )
            assert r.status_code == 200, r.text
            assert len(r.json()["events"]) == 1
            group = container.settings.consumer_group

            def sampled_after_the_command() -> dict[str, Any] | None:
                # /health reports background samples, a second or so old.
                report: dict[str, Any] = client.get("/health").json()
                seen = report.get("event_store", {}).get("position", 0)
                relayed = report.get("relays", {}).get("kafka", {}).get("behind_event_store")
                return report if seen >= created["position"] and relayed == 0 else None

            health = wait_until(sampled_after_the_command, timeout=10, what="a fresh sample")
            lag = health["kafka"]["consumer_lag"][group]
            assert set(lag["partitions"]) == {"0", "1", "2"}
            assert health["relays"]["kafka"]["behind_event_store"] == 0

            def caught_up() -> str | None:
                text = client.get("/metrics").text
                zeros = [
                    f'appeals_consumer_lag_messages{{group="{group}",partition="{p}",'
                    f'topic="{container.settings.topic}"}} 0.0'
                    for p in range(3)
                ] + ['appeals_relay_lag_events{relay="kafka"} 0.0']
                return text if all(z in text for z in zeros) else None

            wait_until(caught_up, timeout=10, what="lag 0 in /metrics")
            assert client.get("/health").json()["kafka"]["consumer_lag"][group]["total"] == 0
    finally:
        stop.set()
        for t in threads:
            t.join(15)
        relay.producer.close()
        container.close()
