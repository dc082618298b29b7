"""PostgreSQL connections (psycopg 3) for read models and positions."""

from __future__ import annotations

from psycopg import Connection
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool


def open_pool(database_url: str, *, size: int = 5, name: str = "appeals") -> ConnectionPool:
    pool = ConnectionPool(
        database_url, min_size=1, max_size=size, open=False, name=name, timeout=30
    )
    pool.open(wait=True, timeout=30)
    return pool


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
