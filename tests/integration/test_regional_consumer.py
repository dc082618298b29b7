"""A regional office consumes the instructions addressed to its region from Kafka."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kafka import KafkaProducer

from consumers import dead_letters
from domain.instruction import Instruction
from infra.bootstrap import Container, build_regional_consumer, build_relay
from infra.cli import dlq
from infra.workers.relay import regional_topic
from tests.pipeline import issue, receipts
from tests.support import envelopes, read_topic, republish, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(kafka=True)


def relay_all(container: Container) -> None:
    relay = build_relay(container)
    while relay.run_once():
        pass
    relay.producer.close()


def test_region_receives_only_its_instructions_each_once(container: Container) -> None:
    almaty = [issue(container, "REG-ALA"), issue(container, "DIS-ALA-MEDEU")]
    astana = issue(container, "DIS-AST-YESIL")
    relay_all(container)
    s = container.settings
    assert s.kafka_bootstrap_servers
    topic = regional_topic(s.topic, "REG-ALA")
    on_topic = envelopes(read_topic(s.kafka_bootstrap_servers, topic, 2))
    assert {e["subject"] for e in on_topic} == {str(i) for i in almaty}

    consumer = build_regional_consumer(container, "REG-ALA")
    try:
        wait_until(
            lambda: consumer.poll_once() or all(receipts(container, i) for i in almaty),
            timeout=60,
            what="both Almaty instructions received",
        )
        # Every message delivered again, as after a crash before the offset commit.
        republish(s.kafka_bootstrap_servers, topic, read_topic(s.kafka_bootstrap_servers, topic, 2))
        for _ in range(5):
            consumer.poll_once(timeout_ms=300)
    finally:
        consumer.consumer.close()
    assert [receipts(container, i) for i in almaty] == [1, 1]
    assert receipts(container, astana) == 0
    received = container.instructions.get(almaty[1])
    assert received.status.value == "received"
    last = list(container.service.events.get(almaty[1]))[-1]
    assert isinstance(last, Instruction.ReceivedByAddressee)
    assert last.actor == "system:regional-consumer:REG-ALA"


def test_poison_on_a_regional_topic_is_parked_and_later_instructions_still_arrive(
    container: Container,
) -> None:
    s = container.settings
    assert s.kafka_bootstrap_servers
    topic = regional_topic(s.topic, "REG-ALA")
    first = issue(container, "DIS-ALA-MEDEU")
    relay_all(container)
    producer = KafkaProducer(bootstrap_servers=s.kafka_bootstrap_servers, acks="all")
    producer.send(topic, key=b"not-an-instruction", value=b"\x00 not a CloudEvent")
    producer.send(topic, key=str(first).encode(), value=b"{broken json")
    producer.flush()
    producer.close()
    later = issue(container, "DIS-ALA-MEDEU")
    relay_all(container)

    consumer = build_regional_consumer(container, "REG-ALA")
    try:
        wait_until(
            lambda: consumer.poll_once() or receipts(container, later),
            timeout=60,
            what="the instruction issued after the poison",
        )
    finally:
        consumer.consumer.close()
    assert receipts(container, first) == 1 and receipts(container, later) == 1
    with container.pool.connection() as conn:
        letters = dead_letters.list_dead_letters(conn, "regional-REG-ALA")
    assert {(d.topic, d.aggregate_id) for d in letters} == {
        (topic, "not-an-instruction"),
        (topic, str(first)),
    }
    assert all(d.partition >= 0 and d.offset >= 0 and d.error for d in letters)
    # A later message of the parked instruction waits behind it: order per key holds.
    republish(s.kafka_bootstrap_servers, topic, read_topic(s.kafka_bootstrap_servers, topic, 1)[:1])
    again = build_regional_consumer(container, "REG-ALA")
    try:

        def parked_behind() -> list[dead_letters.DeadLetter]:
            again.poll_once(timeout_ms=300)
            with container.pool.connection() as conn:
                return [
                    d
                    for d in dead_letters.list_dead_letters(conn, "regional-REG-ALA")
                    if d.error.startswith("waiting behind")
                ]

        [waiting] = wait_until(parked_behind, timeout=60, what="the copy parked behind")
    finally:
        again.consumer.close()
    assert waiting.aggregate_id == str(first)


def test_dlq_retry_of_a_regional_letter_records_the_receipt(container: Container) -> None:
    s = container.settings
    assert s.kafka_bootstrap_servers
    topic = regional_topic(s.topic, "REG-ALA")
    parked = issue(container, "DIS-ALA-MEDEU")
    relay_all(container)
    [message] = read_topic(s.kafka_bootstrap_servers, topic, 1)
    with container.pool.connection() as conn:
        # As the consumer parks a message whose receipt was refused at the time.
        dead_letters.park(
            conn,
            consumer="regional-REG-ALA",
            topic=topic,
            partition=message.partition,
            offset=message.offset,
            aggregate_id=str(parked),
            event_id=None,
            type="appeals.instruction.issued",
            position=None,
            payload=message.value,
            error="refused then",
        )
        conn.execute(
            'INSERT INTO dead_letters (consumer, topic, partition, "offset", aggregate_id, '
            "payload, error) VALUES ('regional-REG-ALA', %s, 0, 999, 'junk', %s, 'bad')",
            (topic, b"not a CloudEvent"),
        )
    report = dlq.retry(container, "regional-REG-ALA")
    assert receipts(container, parked) == 1
    assert len(report.applied) == 1 and len(report.failed) == 1
    with container.pool.connection() as conn:
        left = dead_letters.list_dead_letters(conn, "regional-REG-ALA")
    assert [d.aggregate_id for d in left] == ["junk"]
