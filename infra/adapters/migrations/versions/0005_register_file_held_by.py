"""The register shows which office holds an appeal's case file when it is not the
appeal's own: the file moves to the higher office that demanded and received it.

Revision ID: 0005
Revises: 0004
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

from infra.adapters.table_versions import table_versions

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN file_held_by text')


def downgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN file_held_by')
