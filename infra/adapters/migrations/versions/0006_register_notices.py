"""The register keeps the notices due to each applicant (kind -> the day of the step to
tell of) and those not sent in time, so that the deadline watcher finds the appeals to
check and oversight sees overdue notices.

Revision ID: 0006
Revises: 0005
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

from infra.adapters.table_versions import table_versions

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(
            f'ALTER TABLE "{table}" ADD COLUMN notices_pending jsonb NOT NULL DEFAULT '
            "'{}'::jsonb, ADD COLUMN notices_overdue text[] NOT NULL DEFAULT '{}'"
        )


def downgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(
            f'ALTER TABLE "{table}" DROP COLUMN notices_pending, DROP COLUMN notices_overdue'
        )
