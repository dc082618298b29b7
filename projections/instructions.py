"""Instruction status: one row per instruction, its stage, due date and overdue flag."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from projections.base import ReadModel, handles
from projections.records import EventRecord
from projections.versions import live_table
from projections.writes import Writes

STATUSES = ("issued", "received", "acknowledged", "executed")


class InstructionStatus(ReadModel):
    """Where each instruction stands, for inboxes and the overdue watch."""

    name = "instruction_status"

    @handles("appeals.instruction.issued")
    def issued(self, conn: Writes, record: EventRecord) -> None:
        data = record.data
        # The primary key makes a redelivered creation a no-op.
        conn.execute(
            self.statement(
                """
            INSERT INTO {}
                (instruction_id, version, position, issuing_office, addressee_office,
                 addressee_region, appeal_id, due_on, status, issued_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'issued', %s)
            ON CONFLICT (instruction_id) DO NOTHING
            """
            ),
            (
                record.aggregate_id,
                record.version,
                record.position,
                data["issuing_office"],
                data["addressee_office"],
                data["addressee_region"],
                data["appeal_id"],
                date.fromisoformat(data["due_on"]),
                record.time,
            ),
        )

    @handles("appeals.instruction.received")
    def received(self, conn: Writes, record: EventRecord) -> None:
        self._update(
            conn,
            record,
            "status = 'received', received_at = %(at)s",
            _datetime(record.data.get("received_at")),
        )

    @handles("appeals.instruction.acknowledged")
    def acknowledged(self, conn: Writes, record: EventRecord) -> None:
        self._update(conn, record, "status = 'acknowledged', acknowledged_at = %(at)s", record.time)

    @handles("appeals.instruction.executed")
    def executed(self, conn: Writes, record: EventRecord) -> None:
        self._update(
            conn,
            record,
            "status = 'executed', executed_at = %(at)s, late = %(late)s",
            record.time,
            late=record.data.get("late", False),
        )

    @handles("appeals.instruction.marked_overdue")
    def marked_overdue(self, conn: Writes, record: EventRecord) -> None:
        self._update(conn, record, "marked_overdue = true", None)

    def _update(
        self,
        conn: Writes,
        record: EventRecord,
        assignments: str,
        at: datetime | None,
        late: bool = False,
    ) -> None:
        # The version guard makes a redelivered event a no-op (events of one instruction
        # arrive in order, whichever feeder delivers them).
        conn.execute(
            self.statement(
                f"""
            UPDATE {{}}
            SET {assignments}, version = %(version)s, position = %(position)s
            WHERE instruction_id = %(id)s AND version < %(version)s
            """
            ),
            {
                "id": record.aggregate_id,
                "version": record.version,
                "position": record.position,
                "at": at,
                "late": late,
            },
        )


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class InstructionQueries:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def find(
        self,
        *,
        today: date,
        addressee: str | None = None,
        region: str | None = None,
        status: str | None = None,
        limit: int = 100,
        visible: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Instructions newest first, each with ``overdue`` computed against ``today``:
        not executed and past its due date, whether or not marked yet. ``status`` is one
        of STATUSES or ``overdue``."""
        overdue = "(status <> 'executed' AND (marked_overdue OR due_on < %(today)s))"
        where = ["(%(addressee)s::text IS NULL OR addressee_office = %(addressee)s)"]
        where.append("(%(region)s::text IS NULL OR addressee_region = %(region)s)")
        where.append(
            "(%(visible)s::text[] IS NULL OR addressee_office = ANY(%(visible)s)"
            " OR issuing_office = ANY(%(visible)s))"
        )
        if status == "overdue":
            where.append(overdue)
        elif status is not None:
            where.append("status = %(status)s")
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            # Quoted identifier of the live version (`appeals rebuild` may have swapped it).
            table = sql.Identifier(live_table(conn, InstructionStatus.name)).as_string(conn)
            cur.execute(
                f"""
                SELECT instruction_id, version, issuing_office, addressee_office,
                       addressee_region, appeal_id, due_on, status, marked_overdue, late,
                       {overdue} AS overdue,
                       issued_at, received_at, acknowledged_at, executed_at
                FROM {table}
                WHERE {" AND ".join(where)}
                ORDER BY issued_at DESC, instruction_id
                LIMIT %(limit)s
                """,  # only constant fragments are interpolated, never input
                {
                    "today": today,
                    "addressee": addressee,
                    "region": region,
                    "status": status,
                    "limit": limit,
                    "visible": visible,
                },
            )
            return cur.fetchall()

    def overdue_candidates(self, today: date) -> list[UUID]:
        """Instructions past their due date, not executed and not yet marked overdue."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                sql.SQL(
                    """
                SELECT instruction_id FROM {}
                WHERE status <> 'executed' AND NOT marked_overdue AND due_on < %s
                ORDER BY due_on, instruction_id
                """
                ).format(sql.Identifier(live_table(conn, InstructionStatus.name))),
                (today,),
            ).fetchall()
        return [row[0] for row in rows]
