"""Workers on the worker loop against real faults: a poison message on a regional
instruction topic, and a Kafka broker killed and restarted under a running consumer."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaProducer
from typer.testing import CliRunner

from consumers import dead_letters
from infra.adapters.heartbeats import Heartbeat
from infra.bootstrap import Container, build, build_consumer, build_regional_consumer, build_relay
from infra.cli.main import app as cli
from infra.contract.topics import regional_topic
from infra.local.kafka_broker import KafkaBroker
from infra.observability.logging import configure_logging
from tests.pipeline import applied_up_to, heartbeat, issue, receipts, record_appeal
from tests.support import settings_for, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.kafka, pytest.mark.postgres]


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(kafka=True)


def produce_poison(bootstrap: str, topic: str, key: bytes) -> Any:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    try:
        return producer.send(topic, key=key, value=b"\xff\xfe not a CloudEvent at all").get(30)
    finally:
        producer.close()


def test_poison_on_the_main_and_a_regional_topic_is_parked_and_both_go_on(
    container: Container,
) -> None:
    s = container.settings
    assert s.kafka_bootstrap_servers
    regional = regional_topic(s.topic, "REG-ALA")
    stop = threading.Event()
    relay = build_relay(container)
    consumer = build_consumer(container)
    region = build_regional_consumer(container, "REG-ALA")
    threads = [
        threading.Thread(target=relay.run, args=(stop, 0.05), daemon=True),
        threading.Thread(target=consumer.run, args=(stop,), daemon=True),
        threading.Thread(target=region.run, args=(stop,), daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        before = issue(container, "DIS-ALA-MEDEU")
        wait_until(lambda: receipts(container, before), timeout=60, what="the first receipt")
        poison_main = produce_poison(s.kafka_bootstrap_servers, s.topic, b"poison-main")
        poison_regional = produce_poison(s.kafka_bootstrap_servers, regional, b"poison-1")
        after = issue(container, "DIS-ALA-MEDEU")
        appeal_after = record_appeal(container)
        wait_until(
            lambda: receipts(container, after),
            timeout=60,
            what="the instruction issued after the poison message",
        )
        wait_until(
            lambda: applied_up_to(container, appeal_after),
            timeout=60,
            what="the appeal recorded after the poison message applied",
        )
        for worker, kind in (
            ("regional:REG-ALA", "regional"),
            (f"consumer:{s.consumer_group}", "consumer"),
        ):
            running = heartbeat(container.pool, worker)
            assert running is not None and running.state == "running" and running.kind == kind
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        relay.producer.close()
    assert not any(t.is_alive() for t in threads)

    with container.pool.connection() as conn:
        [regional_letter] = dead_letters.list_dead_letters(conn, "regional-REG-ALA")
        [main_letter] = dead_letters.list_dead_letters(conn, s.consumer_group)
    assert (regional_letter.topic, regional_letter.partition, regional_letter.offset) == (
        regional,
        poison_regional.partition,
        poison_regional.offset,
    )
    assert (main_letter.topic, main_letter.partition, main_letter.offset) == (
        s.topic,
        poison_main.partition,
        poison_main.offset,
    )
    assert regional_letter.aggregate_id == "poison-1" and regional_letter.error
    assert main_letter.aggregate_id == "poison-main" and main_letter.error
    assert receipts(container, before) == receipts(container, after) == 1
    stopped = heartbeat(container.pool, "regional:REG-ALA")
    assert stopped is not None and stopped.state == "stopped"

    env = {
        "DATABASE_URL": container.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": s.kafka_bootstrap_servers,
        "APPEALS_TOPIC": s.topic,
        "APPEALS_CONSUMER_GROUP": s.consumer_group,
        "APPEALS_LOG_FORMAT": "console",
        "APPEALS_LOG_LEVEL": "WARNING",
        "COLUMNS": "250",
    }
    everything = CliRunner().invoke(cli, ["dlq", "list", "--all"], env=env)
    default = CliRunner().invoke(cli, ["dlq", "list"], env=env)
    configure_logging("console", "WARNING")  # the commands pointed logs at a closed stream
    assert everything.exit_code == 0, everything.output
    assert f"{regional}/{poison_regional.partition}@{poison_regional.offset}" in everything.output
    assert f"{s.topic}/{poison_main.partition}@{poison_main.offset}" in everything.output
    # The projection consumer's listing shows its own letter and points at the region's.
    assert f"{s.topic}/{poison_main.partition}@{poison_main.offset}" in default.output
    assert "--consumer regional-REG-ALA" in default.output


def _kill(broker: KafkaBroker) -> None:
    assert broker.process is not None
    os.killpg(broker.process.pid, signal.SIGKILL)
    broker.process.wait(30)


def test_a_consumer_on_the_worker_loop_resumes_soon_after_a_broker_restart(
    database_url: str, scratch_dir: Path
) -> None:
    broker = KafkaBroker(scratch_dir / "kafka")
    bootstrap = broker.start()
    port = broker.port
    container = build(settings_for(database_url, bootstrap))
    stop = threading.Event()
    threads: list[threading.Thread] = []
    relay = None
    try:
        relay = build_relay(container)
        consumer = build_consumer(container)
        group = container.settings.consumer_group
        threads = [
            threading.Thread(target=relay.run, args=(stop, 0.05), daemon=True),
            threading.Thread(target=consumer.run, args=(stop,), daemon=True),
        ]
        for thread in threads:
            thread.start()

        first = record_appeal(container)
        wait_until(
            lambda: applied_up_to(container, first), timeout=90, what="the first appeal applied"
        )

        _kill(broker)
        down = time.monotonic()
        # Recorded while the broker is away: relayed only once it is back.
        during = record_appeal(container)

        # What an operator sees meanwhile: the consumer is failing, and says why.
        def consumer_failing() -> Heartbeat | None:
            beat = heartbeat(container.pool, f"consumer:{group}")
            return beat if beat is not None and beat.state == "failing" else None

        failing = wait_until(
            consumer_failing,
            timeout=20,
            what="the consumer's heartbeat to say failing while the broker is away",
        )
        assert "broker" in (failing.error or "")
        broker.start()  # returns once the broker logged its start and accepts connections
        assert broker.port == port
        back = time.monotonic()
        after = record_appeal(container)
        wait_until(
            lambda: applied_up_to(container, during),
            timeout=90,
            interval=0.05,
            what="the appeal recorded during the outage",
        )
        during_applied = time.monotonic() - back
        wait_until(
            lambda: applied_up_to(container, after),
            timeout=90,
            interval=0.05,
            what="the appeal recorded after the restart",
        )
        after_applied = time.monotonic() - back
        print(
            f"\nbroker restart: down {back - down:.1f}s; after the broker accepted connections "
            f"again, the event recorded during the outage was applied in {during_applied:.1f}s "
            f"and one recorded after the restart in {after_applied:.1f}s"
        )
        assert during_applied < 10.0 and after_applied < 10.0
        running = heartbeat(container.pool, f"consumer:{group}")
        assert running is not None and running.state == "running"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        if relay is not None:
            relay.producer.close(timeout=5)
        container.close()
        broker.stop()
