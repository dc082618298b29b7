"""Which table version of each read model is live.

A rebuild writes a projection into a new table (``appeal_history_v2``, ...) while the
live one keeps serving, then flips the entry here in one transaction. Queries and live
feeders look the table up here; a projection never rebuilt has no row and its live
table is its base name.
"""

from __future__ import annotations

from psycopg import Connection


def live_table(conn: Connection, projection: str) -> str:
    """The table that serves ``projection`` now."""
    row = conn.execute(
        "SELECT live_table FROM read_model_versions WHERE projection = %s", (projection,)
    ).fetchone()
    return str(row[0]) if row else projection


def live_version(conn: Connection, projection: str) -> int:
    row = conn.execute(
        "SELECT version FROM read_model_versions WHERE projection = %s", (projection,)
    ).fetchone()
    return int(row[0]) if row else 1


def versioned_table(projection: str, version: int) -> str:
    return projection if version == 1 else f"{projection}_v{version}"


def set_live(conn: Connection, projection: str, table: str, version: int, source: str) -> None:
    conn.execute(
        """
        INSERT INTO read_model_versions (projection, live_table, version, source)
        VALUES (%s, %s, %s, %s)
        ON CONFLICT (projection) DO UPDATE
        SET live_table = EXCLUDED.live_table, version = EXCLUDED.version,
            source = EXCLUDED.source, swapped_at = now()
        """,
        (projection, table, version, source),
    )


def lock_key(projection: str) -> str:
    """Advisory-lock key: live batches hold it shared, a swap holds it exclusively."""
    return f"read-model:{projection}"
