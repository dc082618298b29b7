"""Applying events to projections: the same code whichever feeder calls it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from psycopg import Connection

from consumers.positions import create_position_tables
from infra.database import lock_schema
from projections.base import Projection
from projections.records import EventRecord


def prepare(conn: Connection, projections: Sequence[Projection]) -> None:
    lock_schema(conn)
    create_position_tables(conn)
    for projection in projections:
        projection.create_tables(conn)


def apply_records(
    conn: Connection, projections: Sequence[Projection], records: Iterable[EventRecord]
) -> int:
    """Apply records in order inside the caller's transaction; returns the highest position."""
    highest = 0
    for record in records:
        for projection in projections:
            projection.apply(conn, record)
        highest = max(highest, record.position)
    return highest
