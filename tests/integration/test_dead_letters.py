"""Poison events on the real broker and PostgreSQL: parked with their error, the same
appeal's later events waiting behind them, other appeals going on; `appeals dlq`
lists, discards and retries them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from kafka import KafkaProducer
from typer.testing import CliRunner, Result

from consumers.apply import retry_dead_letters
from consumers.dead_letters import DeadLetter, list_dead_letters
from consumers.eventstore_feed import EventStoreFeed
from consumers.kafka_consumer import ProjectionConsumer
from domain.commands import AssignAppeal
from infra.adapters.kafka_admin import ensure_topic
from infra.bootstrap import Container, build_relay
from infra.cli import dlq
from infra.cli.main import app as cli
from infra.contract.envelope import to_kafka_message, to_record
from infra.observability.logging import configure_logging
from projections.history import AppealHistory
from tests.integration.counting import create_test_tables
from tests.integration.flaky import FlakyProjection, applied_order
from tests.support import new_appeal as appeal_input
from tests.support import read_topic, republish, staff, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(kafka=True)


def cli_env(container: Container) -> dict[str, str]:
    s = container.settings
    return {
        "DATABASE_URL": container.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": s.kafka_bootstrap_servers or "",
        "APPEALS_TOPIC": s.topic,
        "APPEALS_CONSUMER_GROUP": s.consumer_group,
        "APPEALS_LOG_FORMAT": "console",
        "APPEALS_LOG_LEVEL": "WARNING",
    }


def run_cli(container: Container, *args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), env=cli_env(container))
    # The command pointed the loggers at the runner's stream, closed by now.
    configure_logging("console", "WARNING")
    return result


def new_appeal(container: Container, summary: str) -> UUID:
    appeal_id = container.service.bus.send(
        appeal_input(channel="written", office="REG-PAV", summary=summary), staff("reg")
    ).appeal_id
    container.service.bus.send(
        AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-PAV"), staff("head", "REG-PAV")
    )
    return appeal_id


def history(container: Container) -> dict[str, list[int]]:
    with container.pool.connection() as conn:
        rows = conn.execute(
            "SELECT appeal_id, version FROM appeal_history ORDER BY appeal_id, version"
        ).fetchall()
    out: dict[str, list[int]] = {}
    for appeal_id, version in rows:
        out.setdefault(str(appeal_id), []).append(version)
    return out


def letters(container: Container, consumer: str) -> list[DeadLetter]:
    with container.pool.connection() as conn:
        return list_dead_letters(conn, consumer)


def poison_for(container: Container, appeal_id: UUID) -> list[bytes]:
    """A message that is not JSON, and a CloudEvent whose data breaks its schema."""
    first = container.service.recorder.select_notifications(start=1, limit=100)
    notification = next(n for n in first if n.originator_id == appeal_id)
    record = to_record(container.service.mapper.to_domain_event(notification), notification.id)
    envelope: dict[str, Any] = json.loads(to_kafka_message(record, "urn:test").value)
    envelope["id"] = f"{appeal_id}/99"
    envelope["data"] = {"channel": "pigeon"}
    return [b"{ this is not json", json.dumps(envelope).encode()]


def drain(consumer: ProjectionConsumer, container: Container, total: int) -> None:
    s = container.settings

    def done() -> bool:
        consumer.poll_once(timeout_ms=300)
        with container.pool.connection() as conn:
            row = conn.execute(
                "SELECT coalesce(sum(next_offset), 0) FROM consumer_offsets WHERE consumer = %s",
                (s.consumer_group,),
            ).fetchone()
        return bool(row and row[0] >= total)

    wait_until(done, timeout=60, interval=0, what=f"{total} messages consumed")


def test_poison_events_park_their_appeal_and_others_go_on(container: Container) -> None:
    s = container.settings
    assert s.kafka_bootstrap_servers
    a = new_appeal(container, "poisoned")
    b = new_appeal(container, "healthy")
    c = new_appeal(container, "projection fails on its assignment")
    ensure_topic(s.kafka_bootstrap_servers, s.topic, s.topic_partitions)
    producer = KafkaProducer(bootstrap_servers=s.kafka_bootstrap_servers, acks="all")
    for value in poison_for(container, a):  # ahead of A's real events in its partition
        producer.send(s.topic, key=str(a).encode(), value=value)
    producer.flush()
    producer.close()
    relay = build_relay(container)
    while relay.run_once():
        pass
    relay.producer.close()

    flaky = FlakyProjection(fail_on={f"{c}/2"})
    create_test_tables(container.pool, flaky)
    consumer = ProjectionConsumer(
        bootstrap_servers=s.kafka_bootstrap_servers,
        topic=s.topic,
        group_id=s.consumer_group,
        pool=container.pool,
        projections=[AppealHistory(), flaky],
    )
    try:
        drain(consumer, container, 8)
    finally:
        consumer.close()

    # B goes on; C's first event applied, its second parked; nothing of A applied.
    assert history(container) == {str(b): [1, 2], str(c): [1]}
    parked = letters(container, s.consumer_group)
    by_appeal: dict[str | None, list[DeadLetter]] = {}
    for letter in parked:
        by_appeal.setdefault(letter.aggregate_id, []).append(letter)
    assert set(by_appeal) == {str(a), str(c)}
    not_json, bad_schema, a1, a2 = by_appeal[str(a)]
    assert "not a JSON CloudEvent" in not_json.error and not_json.event_id is None
    assert bad_schema.event_id == f"{a}/99" and "data.channel" in bad_schema.error
    ref = f"{s.topic}/{not_json.partition}@{not_json.offset}"
    assert (a1.event_id, a1.error) == (f"{a}/1", f"waiting behind {ref}")
    assert (a2.event_id, a2.error) == (f"{a}/2", f"waiting behind {ref}")
    (c2,) = by_appeal[str(c)]
    assert c2.event_id == f"{c}/2" and c2.error == f"RuntimeError: cannot project {c}/2"

    listed = run_cli(container, "dlq", "list")
    assert listed.exit_code == 0, listed.output
    assert "5 dead letter(s)" in listed.output and f"{a}/2" in listed.output

    # Nothing is fixed yet: a retry changes nothing and says so.
    with container.pool.connection() as conn:
        report = retry_dead_letters(
            conn, s.consumer_group, [AppealHistory(), flaky], dlq.decoder(container)
        )
    assert report.applied == [] and len(report.failed) == 2 and report.waiting == 3
    assert len(letters(container, s.consumer_group)) == 5

    # The fix: the garbage is discarded, the projection repaired; then retry.
    resolved = run_cli(container, "dlq", "resolve", str(not_json.id), str(bad_schema.id))
    assert resolved.exit_code == 0 and "resolved 2" in resolved.output
    flaky.broken = False
    with container.pool.connection() as conn:
        before = len(applied_order(conn))
        report = retry_dead_letters(
            conn, s.consumer_group, [AppealHistory(), flaky], dlq.decoder(container)
        )
        order = applied_order(conn)[before:]
    assert report.failed == [] and sorted(report.applied) == sorted([a1.id, a2.id, c2.id])
    assert order.index(f"{a}/1") < order.index(f"{a}/2")
    assert history(container) == {str(a): [1, 2], str(b): [1, 2], str(c): [1, 2]}
    assert letters(container, s.consumer_group) == []

    # A copy of A's events delivered again now meets no dead letter and changes nothing.
    a_messages = [
        m for m in read_topic(s.kafka_bootstrap_servers, s.topic, 8) if m.key == str(a).encode()
    ]
    republish(s.kafka_bootstrap_servers, s.topic, a_messages[2:])
    consumer = ProjectionConsumer(
        bootstrap_servers=s.kafka_bootstrap_servers,
        topic=s.topic,
        group_id=s.consumer_group,
        pool=container.pool,
        projections=[AppealHistory()],
    )
    try:
        drain(consumer, container, 10)
    finally:
        consumer.close()
    assert letters(container, s.consumer_group) == []
    assert history(container) == {str(a): [1, 2], str(b): [1, 2], str(c): [1, 2]}


def test_embedded_feed_parks_the_same_way_and_cli_retry_applies(container: Container) -> None:
    a = new_appeal(container, "fails at first")
    b = new_appeal(container, "fine")
    flaky = FlakyProjection(fail_on={f"{a}/1"})
    create_test_tables(container.pool, flaky)
    feed = EventStoreFeed(
        app=container.service,
        pool=container.pool,
        projections=[AppealHistory(), flaky],
        name="embedded-test",
    )
    while feed.run_once():
        pass
    assert history(container) == {str(b): [1, 2]}
    parked = letters(container, "embedded-test")
    assert [(d.event_id, d.offset) for d in parked] == [(f"{a}/1", 1), (f"{a}/2", 2)]
    assert parked[1].error == f"waiting behind {a}/1"
    assert feed.position() == 4  # parked events count as consumed

    # The fixed projection is simply the standard set, which `dlq retry` applies.
    done = run_cli(container, "dlq", "retry", "--consumer", "embedded-test")
    assert done.exit_code == 0, done.output
    assert "applied 2, still failing 0" in done.output
    assert history(container) == {str(a): [1, 2], str(b): [1, 2]}
    assert letters(container, "embedded-test") == []
