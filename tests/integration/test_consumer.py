"""The Kafka consumer against the real broker: duplicates, a kill mid-batch, restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from consumers.kafka_consumer import ProjectionConsumer
from domain.commands import AssignAppeal
from infra.adapters.settings import PROJECT_ROOT
from infra.bootstrap import Container, all_projections, build_relay
from tests.integration.counting import CountingProjection, applied_counts, create_test_tables
from tests.support import new_appeal, read_topic, republish, staff, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(kafka=True)


def publish_appeals(container: Container, count: int) -> int:
    """Record ``count`` appeals of two events each and relay them; returns events sent."""
    for i in range(count):
        outcome = container.service.bus.send(
            new_appeal(channel="electronic_portal", office="REG-SHY", summary=f"a{i}"), staff("reg")
        )
        container.service.bus.send(
            AssignAppeal(appeal_id=outcome.appeal_id, assignee="p", office="REG-SHY"),
            staff("head", "REG-SHY"),
        )
    relay = build_relay(container)
    sent = 0
    while batch := relay.run_once():
        sent += batch
    relay.producer.close()
    return sent


def consumer_for(container: Container, *extra: object) -> ProjectionConsumer:
    s = container.settings
    assert s.kafka_bootstrap_servers
    create_test_tables(container.pool, *extra)
    return ProjectionConsumer(
        bootstrap_servers=s.kafka_bootstrap_servers,
        topic=s.topic,
        group_id=s.consumer_group,
        pool=container.pool,
        projections=[*all_projections(), *extra],  # type: ignore[list-item]
        batch_size=s.consumer_batch_size,
    )


def history_rows(container: Container) -> list[tuple[object, ...]]:
    with container.pool.connection() as conn:
        return conn.execute(
            "SELECT appeal_id, version FROM appeal_history ORDER BY appeal_id, version"
        ).fetchall()


def consume_until(consumer: ProjectionConsumer, container: Container, total: int) -> None:
    def enough() -> bool:
        consumer.poll_once(timeout_ms=300)
        return len(history_rows(container)) >= total

    wait_until(enough, timeout=60, interval=0, what=f"{total} history rows")


def test_duplicate_delivery_changes_nothing(container: Container) -> None:
    sent = publish_appeals(container, 3)
    s = container.settings
    assert s.kafka_bootstrap_servers
    # Every message delivered a second time, at new offsets, as after a relay restart.
    republish(
        s.kafka_bootstrap_servers, s.topic, read_topic(s.kafka_bootstrap_servers, s.topic, sent)
    )
    consumer = consumer_for(container)
    try:
        consume_until(consumer, container, sent)
        # Drain the copies too, then check nothing changed.
        for _ in range(5):
            consumer.poll_once(timeout_ms=300)
    finally:
        consumer.close()
    rows = history_rows(container)
    assert len(rows) == sent == len(set(rows))
    with container.pool.connection() as conn:
        stored = conn.execute(
            "SELECT sum(next_offset) FROM consumer_offsets WHERE consumer = %s",
            (s.consumer_group,),
        ).fetchone()
    assert stored is not None and stored[0] == 2 * sent  # every copy was read past


def test_consumer_killed_mid_batch_applies_each_event_exactly_once(
    container: Container, scratch_dir: Path
) -> None:
    sent = publish_appeals(container, 4)  # 8 events
    s = container.settings
    env = {
        **os.environ,
        "DATABASE_URL": container.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": s.kafka_bootstrap_servers or "",
        "APPEALS_TOPIC": s.topic,
        "APPEALS_CONSUMER_GROUP": s.consumer_group,
        "APPEALS_LOG_FORMAT": "json",
    }
    marker = scratch_dir / "stalled"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.stalling_consumer", "5", str(marker)],
        cwd=PROJECT_ROOT,
        env=env,
    )
    try:
        wait_until(
            lambda: marker.exists() or proc.poll() is not None,
            timeout=90,
            what="the consumer to reach its 5th event",
        )
        assert proc.poll() is None, "the stalling consumer died on its own"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()

    with container.pool.connection() as conn:
        CountingProjection().create_tables(conn)
        partial = sum(applied_counts(conn).values())
    assert partial < 5, "the killed batch must not have left any trace"

    counting = CountingProjection()
    consumer = consumer_for(container, counting)
    try:
        consume_until(consumer, container, sent)
    finally:
        consumer.close()
    with container.pool.connection() as conn:
        counts = applied_counts(conn)
    assert len(history_rows(container)) == sent
    assert len(counts) == sent and set(counts.values()) == {1}

    # A later restart starts where the read model stands: only new events are applied.
    more = publish_appeals(container, 1)
    consumer = consumer_for(container, counting)
    try:
        consume_until(consumer, container, sent + more)
    finally:
        consumer.close()
    with container.pool.connection() as conn:
        counts = applied_counts(conn)
    assert len(counts) == sent + more and set(counts.values()) == {1}
