"""Where each feeder has got to, stored in the same database as the read models so
that a read-model change and its position commit in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from psycopg import Connection


def save_offsets(
    conn: Connection,
    consumer: str,
    topic: str,
    next_offsets: dict[int, int],
    applied_positions: dict[int, int] | None = None,
) -> None:
    applied = applied_positions or {}
    for partition, next_offset in next_offsets.items():
        conn.execute(
            """
            INSERT INTO consumer_offsets (consumer, topic, partition, next_offset, applied_position)
            VALUES (%s, %s, %s, %s, %s)
            ON CONFLICT (consumer, topic, partition) DO UPDATE
            SET next_offset = EXCLUDED.next_offset,
                applied_position = GREATEST(
                    consumer_offsets.applied_position, EXCLUDED.applied_position)
            """,
            (consumer, topic, partition, next_offset, applied.get(partition, 0)),
        )


def watermark(conn: Connection, consumer: str, topic: str, partitions: int) -> int:
    """The position up to which every partition of ``topic`` is applied: the minimum of
    the partitions' applied positions, or 0 while some partition has no row yet."""
    row = conn.execute(
        "SELECT count(*), min(applied_position) FROM consumer_offsets "
        "WHERE consumer = %s AND topic = %s",
        (consumer, topic),
    ).fetchone()
    if row is None or int(row[0]) < partitions or row[1] is None:
        return 0
    return int(row[1])


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
