"""Kafka topic set-up and lag figures (kafka-python)."""

from __future__ import annotations

import contextlib

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError


def ensure_topic(bootstrap_servers: str, topic: str, partitions: int) -> None:
    """Create the contract topic if it is missing; an existing one is left as it is."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="appeals-admin")
    try:
        if topic in admin.list_topics():
            return
        # Another process may create it between the check and here.
        with contextlib.suppress(TopicAlreadyExistsError):
            admin.create_topics([NewTopic(topic, partitions, 1)])
    finally:
        admin.close()


def end_offsets(bootstrap_servers: str, topic: str) -> dict[int, int]:
    """The next offset to be written in each partition of ``topic``."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        ends = consumer.end_offsets(tps) if tps else {}
        return {tp.partition: int(offset) for tp, offset in ends.items()}
    finally:
        consumer.close()
