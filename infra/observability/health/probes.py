"""One measurement of each dependency, as the health samplers take them.

The database probe keeps a connection of its own, not one of the pool's: a probe must
not wait behind commands for a connection, nor take one from them, and its timeouts
are shorter than theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from psycopg import IsolationLevel
from psycopg.sql import Composed

from infra.adapters.heartbeats import Heartbeat, read_heartbeats

CONNECT_SECONDS = 2
"""libpq's smallest connect_timeout."""
STATEMENT_MS = 2000


@dataclass
class Figures:
    """The database's side of the report, read in one snapshot."""

    event_store_head: int
    feeder_positions: dict[str, int]
    relay_positions: dict[str, int]
    stored_offsets: dict[str, dict[int, int]] = field(default_factory=dict)
    """Per consumer group, the next offset stored with the read model, per partition."""
    heartbeats: list[Heartbeat] = field(default_factory=list)
    beat_at: dict[str, datetime] = field(default_factory=dict)
    dead_letters: dict[str, int] = field(default_factory=dict)
    """Unresolved dead letters per consumer (only consumers that have some)."""


class DatabaseProbe:
    def __init__(self, database_url: str, head_statement: Composed, topic: str) -> None:
        self.database_url = database_url
        self.head_statement = head_statement
        self.topic = topic
        self._conn: psycopg.Connection[Any] | None = None

    def __call__(self) -> Figures:
        try:
            return self._read(self._connection())
        except Exception:
            self.close()  # a connection that failed once is not trusted again
            raise

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(
                self.database_url,
                autocommit=True,
                connect_timeout=CONNECT_SECONDS,
                application_name="appeals-health",
                options=f"-c statement_timeout={STATEMENT_MS} -c lock_timeout={STATEMENT_MS}",
            )
            # One snapshot: the head and the positions behind it agree.
            self._conn.isolation_level = IsolationLevel.REPEATABLE_READ
            self._conn.read_only = True
        return self._conn

    def _read(self, conn: psycopg.Connection[Any]) -> Figures:
        with conn.transaction():
            present = conn.execute(
                "SELECT to_regclass('relay_positions') IS NOT NULL,"
                " to_regclass('dead_letters') IS NOT NULL,"
                " to_regclass('worker_heartbeats') IS NOT NULL"
            ).fetchone()
            has_relays, has_dead_letters, has_heartbeats = present or (False, False, False)
            row = conn.execute(self.head_statement).fetchone()
            head = int(row[0] or 0) if row else 0
            positions = {
                str(k): int(v)
                for k, v in conn.execute("SELECT consumer, position FROM projection_positions")
            }
            relays = (
                {
                    str(k): int(v)
                    for k, v in conn.execute("SELECT relay, position FROM relay_positions")
                }
                if has_relays
                else {}
            )
            offsets: dict[str, dict[int, int]] = {}
            for group, partition, next_offset in conn.execute(
                "SELECT consumer, partition, next_offset FROM consumer_offsets WHERE topic = %s",
                (self.topic,),
            ):
                offsets.setdefault(str(group), {})[int(partition)] = int(next_offset)
            dead = (
                {
                    str(k): int(n)
                    for k, n in conn.execute(
                        "SELECT consumer, count(*) FROM dead_letters WHERE NOT resolved"
                        " GROUP BY consumer"
                    )
                }
                if has_dead_letters
                else {}
            )
            beats = read_heartbeats(conn)
            beat_at = (
                {
                    str(w): at
                    for w, at in conn.execute("SELECT worker, beat_at FROM worker_heartbeats")
                }
                if has_heartbeats
                else {}
            )
        return Figures(head, positions, relays, offsets, beats, beat_at, dead)
