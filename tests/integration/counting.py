"""A deliberately non-idempotent projection: it logs every event it is given, so a test
can see whether the feeder applied an event more than once."""

from __future__ import annotations

from psycopg import Connection
from psycopg_pool import ConnectionPool

from projections.records import EventRecord


class CountingProjection:
    name = "counting"

    def create_tables(self, conn: Connection) -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS applied_events (event_id text NOT NULL)")

    def apply(self, conn: Connection, record: EventRecord) -> None:
        conn.execute("INSERT INTO applied_events (event_id) VALUES (%s)", (record.event_id,))


def create_test_tables(pool: ConnectionPool, *projections: object) -> None:
    """The tables of test-double projections (the project's own come from migrations)."""
    with pool.connection() as conn:
        for projection in projections:
            create = getattr(projection, "create_tables", None)
            if create is not None:
                create(conn)


def applied_counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(
        "SELECT event_id, count(*) FROM applied_events GROUP BY event_id"
    ).fetchall()
    return {str(event_id): int(n) for event_id, n in rows}
