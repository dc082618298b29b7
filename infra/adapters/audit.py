"""Who read whose personal data: an append-only log an auditor can list per appeal."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from domain.access import Principal


def create_audit_tables(conn: Connection) -> None:
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS personal_data_views (
            id bigserial PRIMARY KEY,
            appeal_id uuid NOT NULL,
            applicant_ref text NOT NULL,
            viewer text NOT NULL,
            role text NOT NULL,
            office text NOT NULL,
            viewed_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    conn.execute(
        "CREATE INDEX IF NOT EXISTS personal_data_views_appeal "
        "ON personal_data_views (appeal_id, viewed_at)"
    )
    # Nobody, not even the service, is meant to rewrite this log.
    conn.execute(
        """
        CREATE OR REPLACE FUNCTION personal_data_views_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'personal_data_views is append-only'; END $$
        """
    )
    conn.execute(
        "CREATE OR REPLACE TRIGGER personal_data_views_no_change BEFORE UPDATE OR DELETE "
        "ON personal_data_views FOR EACH ROW EXECUTE FUNCTION personal_data_views_append_only()"
    )


class AuditLog:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def record_view(self, appeal_id: UUID, applicant_ref: str, viewer: Principal) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO personal_data_views (appeal_id, applicant_ref, viewer, role, office) "
                "VALUES (%s, %s, %s, %s, %s)",
                (appeal_id, applicant_ref, viewer.sub, viewer.role.value, viewer.office),
            )

    def views(self, appeal_id: UUID) -> list[dict[str, Any]]:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(
                "SELECT viewer, role, office, viewed_at FROM personal_data_views "
                "WHERE appeal_id = %s ORDER BY viewed_at, id",
                (appeal_id,),
            )
            return cur.fetchall()
