"""Appeal history: every event of an appeal, in order, with actor, office and time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection, sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from projections.base import ReadModel, handles
from projections.records import EventRecord
from projections.versions import live_table


class AppealHistory(ReadModel):
    """Every event of an appeal (other aggregates have their own read models)."""

    name = "appeal_history"

    @handles("appeals.appeal.*")
    def recorded(self, conn: Connection, record: EventRecord) -> None:
        # The primary key makes a redelivered event a no-op.
        conn.execute(
            sql.SQL(
                """
                INSERT INTO {}
                    (appeal_id, version, position, event_id, type, occurred_at, actor, office,
                     data)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (appeal_id, version) DO NOTHING
                """
            ).format(sql.Identifier(self.table)),
            (
                record.aggregate_id,
                record.version,
                record.position,
                record.event_id,
                record.type,
                record.time,
                record.actor,
                record.office,
                Jsonb(record.data),
            ),
        )


class HistoryQueries:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def history(self, appeal_id: UUID) -> list[dict[str, Any]]:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            table = live_table(conn, AppealHistory.name)
            cur.execute(
                sql.SQL(
                    """
                    SELECT version, position, event_id, type, occurred_at, actor, office, data
                    FROM {} WHERE appeal_id = %s ORDER BY version
                    """
                ).format(sql.Identifier(table)),
                (appeal_id,),
            )
            return cur.fetchall()
