"""Tell an idle Kafka consumer from one whose broker is away.

kafka-python's ``poll`` does not raise while no broker answers: it returns nothing, as
it does when there is simply nothing to read. A consumer on the worker loop would beat
``running`` through a whole outage, and ``/health`` would call a stalled pipeline fine.
After an empty poll the consumer asks its ``BrokerWatch``; once no broker connection
has been up for ``UNREACHABLE_AFTER_SECONDS`` the step fails, so the loop beats
``failing`` with the reason and backs off like after any other outage.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

UNREACHABLE_AFTER_SECONDS = 3.0
"""Long enough for a starting consumer to open its first connection, short enough that
``/health`` names the broker within a few seconds of it going away."""


class BrokerUnreachable(ConnectionError):
    """No connection to any broker: an outage, retried, never a dead letter."""


def connected_to_a_broker(consumer: Any) -> bool:
    """Whether the consumer holds an open connection to any broker it knows of.

    kafka-python has no public call for this; the pinned version (see pyproject.toml)
    keeps its connections on the client's connection manager.
    """
    manager = getattr(getattr(consumer, "_client", None), "_manager", None)
    connections = getattr(manager, "_conns", None)
    if connections is None:  # another client layout: do not claim an outage
        return True
    return any(getattr(conn, "connected", False) for conn in list(connections.values()))


class BrokerWatch:
    def __init__(
        self,
        consumer: Any,
        bootstrap_servers: str,
        *,
        after: float = UNREACHABLE_AFTER_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        probe: Callable[[Any], bool] = connected_to_a_broker,
    ) -> None:
        self.consumer = consumer
        self.bootstrap_servers = bootstrap_servers
        self.after = after
        self.monotonic = monotonic
        self.probe = probe
        self._since: float | None = None

    def seen(self) -> None:
        """Messages arrived: the broker is there."""
        self._since = None

    def check(self) -> None:
        """Raise ``BrokerUnreachable`` once no broker has been connected for a while."""
        if self.probe(self.consumer):
            self._since = None
            return
        now = self.monotonic()
        if self._since is None:
            self._since = now
        elif now - self._since >= self.after:
            raise BrokerUnreachable(
                f"no broker of {self.bootstrap_servers} connected for "
                f"{now - self._since:.0f} s; retrying"
            )
