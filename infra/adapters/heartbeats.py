"""Worker heartbeats, stored in PostgreSQL so that `/health` and `/metrics` of any API
process can tell which workers are alive, whatever host they run on.

Each worker upserts its row every few seconds while its loop turns (``beat``), with its
state (``running``, ``failing`` with the last error, ``stopped`` on a graceful stop)
and, where it has one, its lag. Ages are measured with the database's own clock
(``now()``), so hosts whose clocks disagree still agree on who is late. A worker whose
last beat is older than ``DOWN_AFTER_SECONDS`` is down: killed, hung, or cut off from
the database.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import Any, Literal

from psycopg import Connection
from psycopg.types.json import Jsonb

State = Literal["running", "failing", "stopped"]

BEAT_EVERY_SECONDS = 5.0
"""How often a running worker writes its heartbeat."""

DOWN_AFTER_SECONDS = 30.0
"""A worker that has not beaten for this long is shown as down (six missed beats)."""


@dataclass(frozen=True)
class Heartbeat:
    """A worker's last heartbeat, as `/health` shows it."""

    worker: str
    kind: str
    host: str
    pid: int
    state: State
    age_seconds: float
    lag: int | None
    error: str | None
    detail: dict[str, Any]

    @property
    def down(self) -> bool:
        """Stopped, or silent for longer than ``DOWN_AFTER_SECONDS``."""
        return self.state == "stopped" or self.age_seconds > DOWN_AFTER_SECONDS


def beat(
    conn: Connection[Any],
    *,
    worker: str,
    kind: str,
    state: State,
    lag: int | None = None,
    error: str | None = None,
    detail: dict[str, Any] | None = None,
    started: bool = False,
) -> None:
    """Record that ``worker`` is alive now (``started``: it has just (re)started)."""
    conn.execute(
        """
        INSERT INTO worker_heartbeats (worker, kind, host, pid, state, lag, error, detail)
        VALUES (%(worker)s, %(kind)s, %(host)s, %(pid)s, %(state)s, %(lag)s, %(error)s,
                %(detail)s)
        ON CONFLICT (worker) DO UPDATE SET
            kind = EXCLUDED.kind, host = EXCLUDED.host, pid = EXCLUDED.pid,
            state = EXCLUDED.state, beat_at = now(), lag = EXCLUDED.lag,
            error = EXCLUDED.error, detail = EXCLUDED.detail,
            started_at = CASE WHEN %(started)s THEN now()
                              ELSE worker_heartbeats.started_at END
        """,
        {
            "worker": worker,
            "kind": kind,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "state": state,
            "lag": lag,
            "error": error,
            "detail": Jsonb(detail or {}),
            "started": started,
        },
    )


def read_heartbeats(conn: Connection[Any]) -> list[Heartbeat]:
    """Every worker that ever beat, with the age of its last beat."""
    exists = conn.execute("SELECT to_regclass('worker_heartbeats') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return []
    rows = conn.execute(
        """
        SELECT worker, kind, host, pid, state,
               extract(epoch FROM now() - beat_at)::float8, lag, error, detail
        FROM worker_heartbeats ORDER BY worker
        """
    ).fetchall()
    return [
        Heartbeat(
            worker=str(r[0]),
            kind=str(r[1]),
            host=str(r[2]),
            pid=int(r[3]),
            state=r[4],
            age_seconds=max(float(r[5]), 0.0),
            lag=None if r[6] is None else int(r[6]),
            error=r[7],
            detail=dict(r[8] or {}),
        )
        for r in rows
    ]
