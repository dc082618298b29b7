"""Who read whose personal data (an applicant's identity, or the reasons of the decisions
on their appeal): an append-only log an auditor can list per appeal."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from domain.access import Principal


class AuditLog:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def record_view(
        self,
        appeal_id: UUID,
        applicant_ref: str | None,
        viewer: Principal,
        what: str = "identity",
    ) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO personal_data_views "
                "(appeal_id, applicant_ref, viewer, role, office, what) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    appeal_id,
                    applicant_ref or "",
                    viewer.sub,
                    viewer.role.value,
                    viewer.office,
                    what,
                ),
            )

    def views(self, appeal_id: UUID) -> list[dict[str, Any]]:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(
                "SELECT viewer, role, office, what, viewed_at FROM personal_data_views "
                "WHERE appeal_id = %s ORDER BY viewed_at, id",
                (appeal_id,),
            )
            return cur.fetchall()
