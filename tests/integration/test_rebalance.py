"""Two consumers in one group on a three-partition topic, events flowing, one leaves
mid-way (a rebalance): the other takes its partitions over and in the end every event
has been applied exactly once, and the group's position covers them all."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from consumers.kafka_consumer import ProjectionConsumer
from consumers.positions import load_position
from domain.commands import AssignAppeal
from infra.bootstrap import Container, all_projections, build_relay
from tests.integration.counting import CountingProjection, applied_counts, create_test_tables
from tests.support import new_appeal, staff, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    c = make_container(kafka=True, consumer_batch_size=5)
    create_test_tables(c.pool, CountingProjection())
    return c


class Member:
    """One group member polling in its own thread, as a separate process would."""

    def __init__(self, container: Container, name: str) -> None:
        s = container.settings
        assert s.kafka_bootstrap_servers
        self.consumer = ProjectionConsumer(
            bootstrap_servers=s.kafka_bootstrap_servers,
            topic=s.topic,
            group_id=s.consumer_group,
            pool=container.pool,
            projections=[*all_projections(), CountingProjection()],
            batch_size=s.consumer_batch_size,
        )
        self.stop = threading.Event()
        self.partitions: set[int] = set()
        self.polled = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.loop, name=name, daemon=True)
        self.thread.start()

    def loop(self) -> None:
        try:
            while not self.stop.is_set():
                self.polled += self.consumer.poll_once(timeout_ms=200)
                self.partitions = {tp.partition for tp in self.consumer.consumer.assignment()}
        except BaseException as exc:  # surfaced by the test
            self.error = exc
        finally:
            self.consumer.close()

    def leave(self) -> None:
        self.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive()


def applied(container: Container) -> dict[str, int]:
    with container.pool.connection() as conn:
        return applied_counts(conn)


def test_rebalance_mid_stream_applies_every_event_exactly_once(container: Container) -> None:
    relay = build_relay(container)
    relay_stop = threading.Event()
    relay_thread = threading.Thread(target=relay.run, args=(relay_stop, 0.05), daemon=True)
    relay_thread.start()
    created = 0

    def file_appeals(n: int) -> None:
        nonlocal created
        for _ in range(n):
            outcome = container.service.bus.send(
                new_appeal(channel="written", office="REG-ATY", summary=f"a{created}"), staff("reg")
            )
            container.service.bus.send(
                AssignAppeal(appeal_id=outcome.appeal_id, assignee="p", office="REG-ATY"),
                staff("head", "REG-ATY"),
            )
            created += 1
            time.sleep(0.01)

    first = Member(container, "first")
    second = Member(container, "second")
    members = (first, second)
    try:
        wait_until(
            lambda: first.partitions and second.partitions,
            timeout=60,
            what="both members to own partitions",
        )

        def both_applying() -> bool:
            file_appeals(3)
            return bool(first.polled and second.polled)

        wait_until(both_applying, timeout=60, what="both members to apply events")
        assert first.partitions.isdisjoint(second.partitions)
        file_appeals(10)
        first.leave()  # the group rebalances while events keep coming
        file_appeals(20)
        total = 2 * created
        wait_until(
            lambda: second.partitions == {0, 1, 2} and sum(applied(container).values()) >= total,
            timeout=90,
            what=f"the second member to take over and apply {total} events",
        )
        head = container.service.recorder.max_notification_id()
        wait_until(
            lambda: relay.position() == head and load_position_of(container) == head,
            timeout=30,
            what="the group's position to reach the event store head",
        )
    finally:
        relay_stop.set()
        relay_thread.join(10)
        relay.producer.close()
        for member in members:
            if member.thread.is_alive():
                member.leave()
    assert first.error is None and second.error is None
    counts = applied(container)
    assert len(counts) == total and set(counts.values()) == {1}
    with container.pool.connection() as conn:
        rows = conn.execute("SELECT count(*) FROM appeal_history").fetchone()
    assert rows is not None and rows[0] == total


def load_position_of(container: Container) -> int:
    with container.pool.connection() as conn:
        return load_position(conn, container.settings.consumer_group)
