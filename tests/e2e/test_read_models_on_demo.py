"""Every read model answers its questions on the demo data set, and the answers are the
same whether the projections are fed in-process from the event store (embedded) or
through the relay, Kafka and a consumer group (distributed).

The services run on fixed days, chosen where the calendar is hardest: inside the
Nauryz holidays, on 31 December, on a Monday after a day off transferred from a
Sunday; the suite gives the same answers whatever day it is run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.adapters.kafka_admin import end_offsets
from infra.bootstrap import Container, build, build_consumer, build_relay
from infra.demo.generate import generate
from tests.support import HARD_DAYS, as_user, evening_of, fresh_database, settings_for, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.kafka]

SCALE = 0.03
SUPERVISOR = as_user("sup.gpo", role="supervisor", office="GPO")


@pytest.fixture
def two_databases(postgres_server: str, migrated_template: str) -> Iterator[tuple[str, str]]:
    with (
        fresh_database(postgres_server, migrated_template) as first,
        fresh_database(postgres_server, migrated_template) as second,
    ):
        yield first, second


def answers(container: Container) -> dict[str, Any]:
    """What each read model says, through the API, as a GPO supervisor sees it."""
    today = container.service.today()
    period = {"from": (today - timedelta(days=120)).isoformat(), "to": today.isoformat()}
    with TestClient(create_app(container), headers=SUPERVISOR) as client:

        def get(path: str, **params: Any) -> Any:
            r = client.get(path, params=params)
            assert r.status_code == 200, f"{path}: {r.text}"
            return r.json()

        register = {
            status: get("/appeals", status=status, limit=1)["total"]
            for status in (
                "received",
                "in_progress",
                "not_considered",
                "redirected",
                "decided",
                "refusal_pending_explanation",
                "refused",
                "deemed_refused",
                "closed",
            )
        }
        by_region = get("/oversight/decisions", **period)["rows"]
        inbox = get("/instructions", limit=1000)["instructions"]
        almaty = get("/instructions", region="REG-ALA", limit=1000)["instructions"]
        first = get("/appeals", sort="received_on", order="asc", limit=1)["items"][0]
        history = get(f"/appeals/{first['appeal_id']}/history")["events"]
        return {
            "register": register,
            "overdue_now": get("/appeals", overdue="true", limit=1)["total"],
            "decisions_by_region": by_region,
            "reception": get("/oversight/reception-statistics", **period)["centres"],
            "redirects": get("/oversight/redirects", **period)["agencies"],
            "inbox": sorted((i["instruction_id"], i["status"], i["overdue"]) for i in inbox),
            "almaty_inbox": sorted(i["instruction_id"] for i in almaty),
            "history_of_first": [(e["version"], e["type"], e["actor"]) for e in history],
        }


@pytest.mark.parametrize("day", HARD_DAYS.values(), ids=HARD_DAYS.keys())
def test_read_models_answer_the_same_embedded_and_distributed(
    two_databases: tuple[str, str], kafka_bootstrap: str, day: date
) -> None:
    embedded_url, distributed_url = two_databases

    embedded = build(settings_for(embedded_url, deadline_check_seconds=3600), evening_of(day))
    try:
        summary = generate(embedded, today=day, scale=SCALE, seed=11, progress=lambda *_: None)
        assert embedded.service.recorder.max_notification_id()
        embedded.start_feed()
        head = embedded.service.recorder.max_notification_id() or 0
        feed = embedded.feed
        assert feed is not None
        wait_until(lambda: feed.position() >= head, timeout=120, what="the embedded feed")
        expected = answers(embedded)
    finally:
        embedded.close()

    distributed = build(settings_for(distributed_url, kafka_bootstrap), evening_of(day))
    try:
        again = generate(distributed, today=day, scale=SCALE, seed=11, progress=lambda *_: None)
        assert again.appeal_states == summary.appeal_states
        relay = build_relay(distributed)
        while relay.run_once():
            pass
        relay.producer.close()
        consumer = build_consumer(distributed)
        try:
            wait_until(
                lambda: (
                    consumer.poll_once(timeout_ms=300) >= 0 and consumed_everything(distributed)
                ),
                timeout=180,
                interval=0,
                what="the Kafka consumer to apply every event",
            )
        finally:
            consumer.close()
        actual = answers(distributed)
    finally:
        distributed.close()

    # The questions are answered, on data of every kind...
    assert all(expected["register"].values()), expected["register"]
    assert expected["reception"] and expected["reception"][0]["citizens_received"] > 0
    assert any(row["refusals_by_ground"] for row in expected["decisions_by_region"])
    assert expected["redirects"] and expected["inbox"]
    # ...and identically whichever way the read models were fed.
    assert actual == expected


def consumed_everything(container: Container) -> bool:
    """The offsets stored with the read model have reached the end of every partition."""
    settings = container.settings
    assert settings.kafka_bootstrap_servers
    ends = end_offsets(settings.kafka_bootstrap_servers, settings.topic)
    with container.pool.connection() as conn:
        rows = conn.execute(
            "SELECT partition, next_offset FROM consumer_offsets WHERE consumer = %s "
            "AND topic = %s",
            (settings.consumer_group, settings.topic),
        ).fetchall()
    stored = {int(p): int(o) for p, o in rows}
    return bool(ends) and all(stored.get(p, 0) >= end for p, end in ends.items())
