"""PostgreSQL connections (psycopg 3) for read models and positions."""

from __future__ import annotations

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
