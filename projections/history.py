"""Appeal history: every event of an appeal, in order, with actor, office and time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from projections.base import ReadModel, handles
from projections.records import EventRecord
from projections.versions import live_table
from projections.writes import Writes


class AppealHistory(ReadModel):
    """Every event of an appeal (other aggregates have their own read models)."""

    name = "appeal_history"

    @handles("appeals.appeal.*")
    def recorded(self, conn: Writes, record: EventRecord) -> None:
        # The primary key makes a redelivered event a no-op.
        conn.execute(
            self.statement(
                """
                INSERT INTO {}
                    (appeal_id, version, position, event_id, type, occurred_at, actor, office,
                     data, effective_on)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (appeal_id, version) DO NOTHING
                """
            ),
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
                record.effective_on,
            ),
        )


class HistoryQueries:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def history(
        self, appeal_id: UUID, as_of: date | None = None, known_at: datetime | None = None
    ) -> list[dict[str, Any]]:
        """The appeal's events in order; with ``as_of``, those in legal effect by that day;
        with ``known_at``, those recorded by that moment."""
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            table = live_table(conn, AppealHistory.name)
            # Rows kept before legal dates were (migration 0002) take the day in
            # Kazakhstan (UTC+5) they were recorded.
            cur.execute(
                sql.SQL(
                    """
                    SELECT * FROM (
                        SELECT version, position, event_id, type, occurred_at, actor, office,
                               data,
                               COALESCE(effective_on, (occurred_at AT TIME ZONE 'UTC'
                                                       + interval '5 hours')::date)
                                   AS effective_on
                        FROM {} WHERE appeal_id = %(appeal)s
                    ) AS events
                    WHERE (%(as_of)s::date IS NULL OR effective_on <= %(as_of)s::date)
                      AND (%(known_at)s::timestamptz IS NULL
                           OR occurred_at <= %(known_at)s::timestamptz)
                    ORDER BY version
                    """
                ).format(sql.Identifier(table)),
                {"appeal": appeal_id, "as_of": as_of, "known_at": known_at},
            )
            return cur.fetchall()
