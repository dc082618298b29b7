"""A database of a benchmark's own, migrated, and dropped when the benchmark ends."""

from __future__ import annotations

from contextlib import ExitStack
from uuid import uuid4

import psycopg
from psycopg.conninfo import make_conninfo

from infra.adapters import schema
from infra.adapters.embedded_postgres import EmbeddedPostgres
from infra.adapters.settings import Settings


def scratch_database(base: Settings, stack: ExitStack, prefix: str) -> tuple[str, str]:
    """(name, url) of a new migrated database on ``DATABASE_URL``'s server, or on an
    embedded one under ``APPEALS_DATA_DIR/bench``; ``stack`` drops it (and stops the
    embedded server) at the end."""
    server_url = base.database_url
    if not server_url:
        pg = EmbeddedPostgres(base.data_dir / "bench" / "postgres")
        server_url = pg.start()
        stack.callback(pg.stop)
    name = f"{prefix}_{uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    stack.callback(drop)
    url = make_conninfo(server_url, dbname=name)
    schema.upgrade(url)
    return name, url
