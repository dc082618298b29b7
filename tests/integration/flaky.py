"""A projection that fails for chosen events until it is "fixed", and logs the order in
which it applied the others, so a test can see poison handling and order per appeal."""

from __future__ import annotations

from psycopg import Connection

from projections.records import EventRecord


class FlakyProjection:
    name = "flaky"

    def __init__(self, fail_on: set[str]) -> None:
        self.fail_on = fail_on
        self.broken = True

    def create_tables(self, conn: Connection) -> None:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS flaky_applied "
            "(seq bigserial PRIMARY KEY, event_id text NOT NULL)"
        )

    def apply(self, conn: Connection, record: EventRecord) -> None:
        conn.execute("INSERT INTO flaky_applied (event_id) VALUES (%s)", (record.event_id,))
        if self.broken and record.event_id in self.fail_on:
            raise RuntimeError(f"cannot project {record.event_id}")


def applied_order(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT event_id FROM flaky_applied ORDER BY seq")]
