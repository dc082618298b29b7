"""The register keeps the day an appeal's term was suspended, so that a suspended
appeal is not shown overdue (its due date moves when the term resumes).

Revision ID: 0003
Revises: 0002
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

from infra.adapters.table_versions import table_versions

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN suspended_since date')


def downgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN suspended_since')
