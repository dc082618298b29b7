"""A deliberately non-idempotent projection: it logs every event it is given, so a test
can see whether the feeder applied an event more than once."""

from __future__ import annotations

from psycopg import Connection

from projections.records import EventRecord


class CountingProjection:
    name = "counting"

    def create_tables(self, conn: Connection) -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS applied_events (event_id text NOT NULL)")

    def apply(self, conn: Connection, record: EventRecord) -> None:
        conn.execute("INSERT INTO applied_events (event_id) VALUES (%s)", (record.event_id,))


def applied_counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(
        "SELECT event_id, count(*) FROM applied_events GROUP BY event_id"
    ).fetchall()
    return {str(event_id): int(n) for event_id, n in rows}
