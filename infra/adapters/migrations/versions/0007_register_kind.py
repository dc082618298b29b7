"""The register keeps each appeal's kind, so that an enquiry answered on the spot,
which has no term, is never shown overdue.

Revision ID: 0007
Revises: 0006
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

from infra.adapters.table_versions import table_versions

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN kind text')


def downgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN kind')
