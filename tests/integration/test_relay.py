"""The relay against the real broker: contract, order per appeal, restart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import pytest

from domain.commands import AssignAppeal
from infra.bootstrap import Container, build_relay
from infra.contract.envelope import validate_envelope
from infra.contract.events import CONTRACT
from tests.support import (
    envelopes,
    every_kind_of_event,
    new_appeal,
    read_topic,
    staff,
)

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(kafka=True, relay_batch_size=4)


def make_appeals(container: Container, count: int) -> list[object]:
    ids = []
    for i in range(count):
        outcome = container.service.bus.send(
            new_appeal(office="REG-KAR", summary=f"appeal {i}"), staff("reg1")
        )
        container.service.bus.send(
            AssignAppeal(appeal_id=outcome.appeal_id, assignee=f"p{i}", office="REG-KAR"),
            staff("head", "REG-KAR"),
        )
        ids.append(outcome.appeal_id)
    return ids


def test_every_event_published_valid_and_in_order_per_appeal(container: Container) -> None:
    ids = make_appeals(container, 5)
    relay = build_relay(container)
    while relay.run_once():
        pass
    settings = container.settings
    assert settings.kafka_bootstrap_servers
    messages = read_topic(settings.kafka_bootstrap_servers, settings.topic, 10)
    assert len(messages) == 10
    by_appeal: dict[str, list[int]] = defaultdict(list)
    partitions: dict[str, set[int]] = defaultdict(set)
    for message, envelope in zip(messages, envelopes(messages), strict=True):
        validate_envelope(envelope)
        assert message.key.decode() == envelope["subject"]
        by_appeal[envelope["subject"]].append(envelope["aggregateversion"])
        partitions[envelope["subject"]].add(message.partition)
    assert set(by_appeal) == {str(i) for i in ids}
    assert all(versions == [1, 2] for versions in by_appeal.values())
    assert all(len(p) == 1 for p in partitions.values())
    assert relay.position() == container.service.recorder.max_notification_id()


def test_restart_resumes_after_last_acknowledged_position(container: Container) -> None:
    make_appeals(container, 5)  # 10 events, batches of 4
    first = build_relay(container)
    assert first.run_once() == 4
    first.producer.close()

    # A crash after the broker acknowledged a batch but before its position was stored:
    second = build_relay(container)

    def crash(position: int) -> None:
        raise RuntimeError("killed before storing the position")

    second.store_position = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        second.run_once()
    second.producer.close()

    third = build_relay(container)
    assert third.position() == 4
    while third.run_once():
        pass
    settings = container.settings
    assert settings.kafka_bootstrap_servers
    ids = [
        e["id"] for e in envelopes(read_topic(settings.kafka_bootstrap_servers, settings.topic, 14))
    ]
    # Nothing missed; the unacknowledged batch was sent again, nothing else twice.
    assert len(set(ids)) == 10
    assert len(ids) == 14
    assert third.position() == 10


def test_every_event_type_published_to_kafka_matches_its_schema(container: Container) -> None:
    every_kind_of_event(container.service)
    relay = build_relay(container)
    while relay.run_once():
        pass
    settings = container.settings
    assert settings.kafka_bootstrap_servers
    total = container.service.recorder.max_notification_id()
    published = envelopes(read_topic(settings.kafka_bootstrap_servers, settings.topic, total))
    assert len(published) == total
    for envelope in published:
        validate_envelope(envelope)
    appeal_types = {p.type for p in CONTRACT.values() if p.type.startswith("appeals.appeal.")}
    assert {e["type"] for e in published} == appeal_types
