"""The register keeps each appeal's kind, so that an enquiry answered on the spot,
which has no term, is never shown overdue.

Revision ID: 0007
Revises: 0006
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _register_tables() -> list[str]:
    rows = op.get_bind().exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename ~ '^appeal_register(_v[0-9]+)?$'"
    )
    return [str(row[0]) for row in rows]


def upgrade() -> None:
    for table in _register_tables():
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN kind text')


def downgrade() -> None:
    for table in _register_tables():
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN kind')
