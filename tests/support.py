"""Helpers shared by the tests: waiting, reading topics, settings for one test."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import uuid4

from kafka import KafkaConsumer, KafkaProducer

from infra.settings import Settings

T = TypeVar("T")


def wait_until(
    probe: Callable[[], T | None], timeout: float = 60.0, interval: float = 0.2, what: str = ""
) -> T:
    """Poll ``probe`` until it returns something truthy; fail with ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or probe}; last={last!r}")


def settings_for(database_url: str, bootstrap: str | None = None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "kafka_bootstrap_servers": bootstrap,
        "topic": f"appeals.test.{uuid4().hex[:10]}",
        "topic_partitions": 3,
        "consumer_group": f"group-{uuid4().hex[:8]}",
        "poll_interval_seconds": 0.05,
        "log_format": "console",
    }
    values.update(overrides)
    return Settings(**values)


def read_topic(bootstrap: str, topic: str, expected: int, timeout: float = 30.0) -> list[Any]:
    """Every message of ``topic`` from the start, waiting until at least ``expected``."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=1000,
    )
    messages: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while len(messages) < expected and time.monotonic() < deadline:
            messages.extend(consumer)
    finally:
        consumer.close()
    return messages


def envelopes(messages: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(m.value) for m in messages]


def republish(bootstrap: str, topic: str, messages: list[Any]) -> None:
    """Send copies of messages again, as a relay restarted mid-batch would."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for m in messages:
        producer.send(topic, key=m.key, value=m.value, headers=m.headers)
    producer.flush()
    producer.close()
