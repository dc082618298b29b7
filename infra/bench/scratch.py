"""A database of a benchmark's own, migrated, and dropped when the benchmark ends."""

from __future__ import annotations

from contextlib import ExitStack
from uuid import uuid4

import psycopg
from psycopg.conninfo import make_conninfo

from infra.adapters import schema
from infra.adapters.embedded_postgres import EmbeddedPostgres
from infra.adapters.settings import Settings
from infra.local.kafka_broker import KafkaBroker


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


def scratch_pipeline(base: Settings, stack: ExitStack, prefix: str) -> Settings:
    """Settings for a scratch database (``scratch_database``), a broker (``KAFKA_
    BOOTSTRAP_SERVERS``, or a local one under ``APPEALS_DATA_DIR/bench`` that ``stack``
    stops) and a topic and consumer group of their own."""
    name, url = scratch_database(base, stack, prefix)
    bootstrap = base.kafka_bootstrap_servers
    if not bootstrap:
        broker = KafkaBroker(base.data_dir / "bench" / "kafka")
        bootstrap = broker.start()
        stack.callback(broker.stop)
    return base.model_copy(
        update={
            "database_url": url,
            "kafka_bootstrap_servers": bootstrap,
            "topic": f"bench.{name}",
            "consumer_group": f"bench-{name}",
        }
    )
