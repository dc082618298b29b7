"""An idle consumer is not a failing one; one without a broker for a while is."""

from __future__ import annotations

import pytest

from infra.adapters.kafka_reach import BrokerUnreachable, BrokerWatch, connected_to_a_broker


class Ticks:
    """Monotonic seconds, moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def watch(connected: list[bool], clock: Ticks) -> BrokerWatch:
    return BrokerWatch(
        object(), "broker:9092", after=3.0, monotonic=clock, probe=lambda _c: connected[0]
    )


def test_connected_idle_consumer_never_fails() -> None:
    clock = Ticks()
    w = watch([True], clock)
    for _ in range(10):
        w.check()
        clock.now += 5


def test_a_brief_gap_is_tolerated_and_a_long_one_fails_with_the_broker_named() -> None:
    clock, state = Ticks(), [False]
    w = watch(state, clock)
    w.check()
    clock.now += 2.9
    w.check()  # not yet: a starting consumer may still be connecting
    clock.now += 0.2
    with pytest.raises(BrokerUnreachable, match="broker:9092"):
        w.check()
    state[0] = True
    w.check()  # back: the streak ends
    state[0] = False
    clock.now += 10
    w.check()  # a new streak starts from here


def test_messages_end_a_streak() -> None:
    clock, state = Ticks(), [False]
    w = watch(state, clock)
    w.check()
    clock.now += 2
    w.seen()
    clock.now += 2
    w.check()  # counted from after the messages, not from the first empty poll


def test_an_unknown_client_layout_does_not_claim_an_outage() -> None:
    assert connected_to_a_broker(object()) is True
