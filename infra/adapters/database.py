"""PostgreSQL connections (psycopg 3) for read models and positions.

Every pool is bounded so that an outage answers quickly and ends quickly: a request
waits at most ``CHECKOUT_SECONDS`` for a connection (then the API answers 503), a
connection attempt gives up after ``CONNECT_SECONDS``, a connection idle for more than
``IDLE_CHECK_SECONDS`` is checked when it is taken from the pool (a server restart
leaves only dead ones behind, idle by the time it is back), and failed
reconnections are retried afresh instead of backing off for minutes.
"""

from __future__ import annotations

import time
from typing import Any

from psycopg import Connection
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

CHECKOUT_SECONDS = 3.0
"""How long a caller waits for a pooled connection before giving up."""
CONNECT_SECONDS = 3
"""libpq's connect_timeout: a server that does not answer is given up on this fast."""
RECONNECT_SECONDS = 4.0
"""psycopg_pool retries a failed connection with backoff (1, 2, 4... s) for this long,
then lets the next caller start a new attempt at once: after an outage, the pools work
again within a few seconds of the server's return, not after a minute's backoff."""
IDLE_CHECK_SECONDS = 2.0
"""A connection returned to the pool more recently than this is taken again unchecked: a
busy pool saves a round trip on every checkout."""
START_SECONDS = 30.0
"""A process that starts while the database is down fails after this long, loudly."""


class CheckWhenIdle:
    """The pool's ``check`` and ``reset`` callbacks: check a connection only when it has
    sat idle longer than ``idle_seconds`` since it was last returned."""

    def __init__(self, idle_seconds: float = IDLE_CHECK_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._returned: dict[int, float] = {}

    def reset(self, conn: Connection[Any]) -> None:
        self._returned[id(conn)] = time.monotonic()

    def check(self, conn: Connection[Any]) -> None:
        returned = self._returned.get(id(conn))
        if returned is None or time.monotonic() - returned > self.idle_seconds:
            ConnectionPool.check_connection(conn)


def open_pool(
    database_url: str,
    *,
    size: int = 5,
    name: str = "appeals",
    start_seconds: float = START_SECONDS,
) -> ConnectionPool:
    """A pool with its first connection made: a process that cannot reach the database
    at start-up fails here, saying so, rather than on its first request."""
    idle = CheckWhenIdle()
    pool = ConnectionPool(
        database_url,
        min_size=1,
        max_size=size,
        open=False,
        name=name,
        timeout=CHECKOUT_SECONDS,
        # At start-up keep trying for the whole wait (the database may be starting
        # alongside); psycopg_pool would otherwise give the first attempt up after
        # RECONNECT_SECONDS and then wait out the rest for nothing.
        reconnect_timeout=start_seconds,
        check=idle.check,
        reset=idle.reset,
        kwargs={"connect_timeout": CONNECT_SECONDS},
    )
    try:
        pool.open(wait=True, timeout=start_seconds)
    except PoolTimeout as exc:
        raise RuntimeError(
            f"PostgreSQL at {_where(database_url)} could not be reached within "
            f"{start_seconds:g} s (see the log for the driver's error): start it, or "
            "check DATABASE_URL."
        ) from exc
    pool.reconnect_timeout = RECONNECT_SECONDS
    return pool


def _where(database_url: str) -> str:
    """Host, port and database of a URL, without its password (for messages)."""
    parts = conninfo_to_dict(database_url)
    return f"{parts.get('host') or 'localhost'}:{parts.get('port') or 5432}/{parts.get('dbname')}"


EVENT_STORE_CHECKOUT_SECONDS = 0.3
"""The event store's library retries a failed write or read up to 10 times, 0.2 s
apart; with this checkout bound a command meets an outage for at most about 5 s in
all, and then the API answers 503."""


def bound_event_store_pool(pool: ConnectionPool[Any]) -> None:
    """Give the event store's pool (built by the library) the bounds its settings do
    not reach: libpq's connect timeout (the library passes none, so an unanswering
    server would hold a pool worker for minutes) and the reconnection back-off."""
    kwargs = pool.kwargs
    if isinstance(kwargs, dict):
        kwargs["connect_timeout"] = CONNECT_SECONDS
    pool.reconnect_timeout = RECONNECT_SECONDS
    pool.timeout = EVENT_STORE_CHECKOUT_SECONDS
    # The library checks every connection it hands out (pre-ping): only idle ones, as for
    # our own pools. psycopg_pool keeps both callbacks here (pinned in pyproject.toml).
    idle = CheckWhenIdle()
    pool._check = idle.check
    pool._reset = idle.reset


def eventsourcing_env(database_url: str, *, pool_size: int = 5) -> dict[str, str]:
    """The eventsourcing library's PostgreSQL settings for a database URL."""
    parts = conninfo_to_dict(database_url)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(parts.get("dbname") or "postgres"),
        "POSTGRES_HOST": str(parts.get("host") or "127.0.0.1"),
        "POSTGRES_PORT": str(parts.get("port") or "5432"),
        "POSTGRES_USER": str(parts.get("user") or "postgres"),
        "POSTGRES_PASSWORD": str(parts.get("password") or ""),
        "POSTGRES_POOL_SIZE": str(pool_size),
        # Despite its name, the pool's checkout timeout, in whole seconds only (the
        # library's default is 30, times its 10 retries): this bounds the start-up,
        # bound_event_store_pool then sets the sub-second bound for the running process.
        "POSTGRES_CONNECT_TIMEOUT": "1",
        # Pre-ping checks each connection as it is taken, so dead ones left by a
        # restart are replaced; bound_event_store_pool sets the rest.
        "POSTGRES_PRE_PING": "y",
        "CREATE_TABLE": "y",
    }
    return env


# Any constant shared by every process: schema changes run one at a time.
_DDL_LOCK = 0x6170_7065_616C_73


def lock_schema(conn: Connection) -> None:
    """Serialise schema creation across processes for the rest of the transaction.

    Several processes (API, relay, consumers) start at once against one database, and
    concurrent ``CREATE TABLE IF NOT EXISTS`` of the same table can fail in PostgreSQL.
    """
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_DDL_LOCK,))
