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

from infra.adapters.table_versions import table_versions

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_history"):
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN effective_on date')


def downgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_history"):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN effective_on')
