"""Fixed-window request counters in PostgreSQL, shared by every API process: one
statement per request counts it under all its keys at once."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool

_COUNT = """
    INSERT INTO rate_limits (key, window_start, hits)
    SELECT key, window_start, 1 FROM unnest(%s::text[], %s::timestamptz[]) AS k(key, window_start)
    ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
    RETURNING key, hits
"""


class PostgresCounters:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def hit(self, windows: dict[str, datetime]) -> dict[str, int]:
        """Count one hit under each key in its window; the counts after it."""
        if not windows:
            return {}
        keys = sorted(windows)  # one order for every process: no deadlock between them
        with self.pool.connection() as conn:
            rows = conn.execute(_COUNT, (keys, [windows[k] for k in keys])).fetchall()
            if random.random() < 0.01:  # now and then, forget windows long past
                oldest = min(windows.values()) - timedelta(hours=1)
                conn.execute("DELETE FROM rate_limits WHERE window_start < %s", (oldest,))
        return {str(key): int(hits) for key, hits in rows}

    def peek(self, key: str, window_start: datetime) -> int:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT hits FROM rate_limits WHERE key = %s AND window_start = %s",
                (key, window_start),
            ).fetchone()
        return int(row[0]) if row else 0
