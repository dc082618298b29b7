"""The appeal history keeps each event's legal date (``effective_on``) beside the time it
was recorded, so that ``as_of`` selects by legal date.

Revision ID: 0002
Revises: 0001
Created: 2026-12-05

Rows recorded before this revision have no legal date (NULL): queries read it as the
day in Kazakhstan the event was recorded, as the event store's upcaster does.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _history_tables() -> list[str]:
    """The base table (the template of rebuilds) and every rebuilt version of it."""
    rows = op.get_bind().exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename ~ '^appeal_history(_v[0-9]+)?$'"
    )
    return [str(row[0]) for row in rows]


def upgrade() -> None:
    for table in _history_tables():
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN effective_on date')


def downgrade() -> None:
    for table in _history_tables():
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN effective_on')
