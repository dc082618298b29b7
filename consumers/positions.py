"""Where each feeder has got to, stored in the same database as the read models so
that a read-model change and its position commit in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from psycopg import Connection


def create_position_tables(conn: Connection) -> None:
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS consumer_offsets (
            consumer text NOT NULL,
            topic text NOT NULL,
            partition integer NOT NULL,
            next_offset bigint NOT NULL,
            PRIMARY KEY (consumer, topic, partition)
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS projection_positions (
            consumer text PRIMARY KEY,
            position bigint NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )


def save_offsets(conn: Connection, consumer: str, topic: str, next_offsets: dict[int, int]) -> None:
    for partition, next_offset in next_offsets.items():
        conn.execute(
            """
            INSERT INTO consumer_offsets (consumer, topic, partition, next_offset)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (consumer, topic, partition) DO UPDATE
            SET next_offset = EXCLUDED.next_offset
            """,
            (consumer, topic, partition, next_offset),
        )


def load_offsets(
    conn: Connection, consumer: str, topic: str, partitions: Iterable[int] | None = None
) -> dict[int, int]:
    rows = conn.execute(
        "SELECT partition, next_offset FROM consumer_offsets WHERE consumer = %s AND topic = %s",
        (consumer, topic),
    ).fetchall()
    wanted = set(partitions) if partitions is not None else None
    return {int(p): int(o) for p, o in rows if wanted is None or p in wanted}


def save_position(conn: Connection, consumer: str, position: int) -> None:
    """Record the highest event-store position applied by ``consumer``."""
    conn.execute(
        """
        INSERT INTO projection_positions (consumer, position) VALUES (%s, %s)
        ON CONFLICT (consumer) DO UPDATE
        SET position = GREATEST(projection_positions.position, EXCLUDED.position),
            updated_at = now()
        """,
        (consumer, position),
    )


def load_position(conn: Connection, consumer: str) -> int:
    row = conn.execute(
        "SELECT position FROM projection_positions WHERE consumer = %s", (consumer,)
    ).fetchone()
    return int(row[0]) if row else 0
