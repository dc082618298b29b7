"""Timeouts every Kafka client of a worker is built with, so that no call a step makes
blocks for long and a client notices a restarted broker within seconds.

kafka-python's defaults are made for long-lived, patient clients: requests wait 30 s
and reconnecting backs off up to 30 s, so after a broker restart a consumer sat idle
for 23-37 s before it applied events again.
"""

from __future__ import annotations

REQUEST_TIMEOUT_MS = 5_000
"""Broker calls (metadata, ``end_offsets``, commits, produce acknowledgements) give up
after this. kafka-python requires it above ``fetch_max_wait_ms`` (500 ms by default)."""

RECONNECT_BACKOFF_MAX_MS = 1_000
"""The longest wait between attempts to reconnect to a broker that went away."""

CLIENT_TIMEOUTS: dict[str, int] = {
    "request_timeout_ms": REQUEST_TIMEOUT_MS,
    "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS,
}
"""Keyword arguments for ``KafkaConsumer`` and ``KafkaProducer``."""
