"""Where projections write: a connection, or a batch that sends their statements in bulk.

A projection's handler only *issues* statements (``execute``); it never reads their
results. So a feeder can hand it a ``StatementBatch`` in place of the connection and
send a whole batch of events' statements together: each distinct statement once, with
every row's parameters (``executemany``), instead of one round of query building,
sending and waiting per event and projection.

Order. The statements of one aggregate keep their order: the n-th statement issued for
an aggregate in the batch goes in wave n, and waves are sent in order. Within a wave
every statement is of a different aggregate, so grouping them by text reorders only
statements of different aggregates. That is safe because every projection writes, for
an event, only rows of the event's own aggregate (its appeal's register row, its
instruction's row) or inserts keyed by the event itself (history, oversight facts),
which is the rule ``Projection`` states.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from psycopg import Connection

Params = Sequence[Any] | Mapping[str, Any]


class Writes(Protocol):
    """What a projection's handler may do with the database: issue statements."""

    def execute(self, query: str, params: Params | None = None, /) -> object: ...


class StatementBatch:
    """Collects a batch's statements in wave order, then sends them with ``flush``."""

    def __init__(self) -> None:
        self._waves: list[dict[str, list[Params]]] = []
        self._issued: dict[object, int] = defaultdict(int)
        self._aggregate: object = None
        self.statements = 0

    def of(self, aggregate: object) -> StatementBatch:
        """The statements that follow are of this aggregate's next event."""
        self._aggregate = aggregate
        return self

    def execute(self, query: str, params: Params | None = None, /) -> None:
        wave = self._issued[self._aggregate]
        self._issued[self._aggregate] = wave + 1
        if wave == len(self._waves):
            self._waves.append({})
        self._waves[wave].setdefault(query, []).append(params or ())
        self.statements += 1

    def flush(self, conn: Connection) -> None:
        """Send every statement, wave by wave, inside the caller's transaction."""
        with conn.cursor() as cur:
            for wave in self._waves:
                for query, rows in wave.items():
                    cur.executemany(query, rows)
        self._waves.clear()
        self._issued.clear()
