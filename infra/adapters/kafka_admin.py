"""Kafka topic set-up and lag figures (kafka-python)."""

from __future__ import annotations

import contextlib
import threading

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


def _ends(consumer: KafkaConsumer, topic: str, timeout_ms: int | None = None) -> dict[int, int]:
    partitions = consumer.partitions_for_topic(topic) or set()
    tps = [TopicPartition(topic, p) for p in sorted(partitions)]
    ends = consumer.end_offsets(tps, timeout_ms=timeout_ms) if tps else {}
    return {tp.partition: int(offset) for tp, offset in ends.items()}


def end_offsets(bootstrap_servers: str, topic: str) -> dict[int, int]:
    """The next offset to be written in each partition of ``topic`` (one-off client)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        return _ends(consumer, topic)
    finally:
        consumer.close()


HEALTH_TIMEOUT_MS = 2000
"""Bound of each broker call made for /health and /metrics: connecting, bootstrapping
and the end-offsets request. kafka-python's defaults (30 s each) held a probe, and the
thread it ran on, for half a minute per call while the broker was away."""


class EndOffsets:
    """End offsets for callers that ask often (the health sampler): one client kept
    open and shared under a lock (kafka-python clients are not thread-safe), replaced
    after an error so that a broker restart heals itself. Every call is bounded by
    ``timeout_ms`` except a metadata refresh for a topic the client has never seen,
    which kafka-python does not bound: callers must not wait on it (the sampler runs
    it on its own thread and reports a sample that grows old as down)."""

    def __init__(self, bootstrap_servers: str, *, timeout_ms: int = HEALTH_TIMEOUT_MS) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.timeout_ms = timeout_ms
        self._consumer: KafkaConsumer | None = None
        self._lock = threading.Lock()

    def __call__(self, topic: str) -> dict[int, int]:
        with self._lock:
            if self._consumer is None:
                self._consumer = KafkaConsumer(
                    bootstrap_servers=self.bootstrap_servers,
                    client_id="appeals-health",
                    enable_auto_commit=False,
                    request_timeout_ms=self.timeout_ms,
                    bootstrap_timeout_ms=self.timeout_ms,
                    reconnect_backoff_max_ms=self.timeout_ms,
                )
            try:
                return _ends(self._consumer, topic, self.timeout_ms)
            except Exception:
                self._close()
                raise

    def _close(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            with contextlib.suppress(Exception):
                consumer.close(autocommit=False, timeout_ms=self.timeout_ms)

    def close(self) -> None:
        with self._lock:
            self._close()
