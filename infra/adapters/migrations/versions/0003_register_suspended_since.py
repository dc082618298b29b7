"""The register keeps the day an appeal's term was suspended, so that a suspended
appeal is not shown overdue (its due date moves when the term resumes).

Revision ID: 0003
Revises: 0002
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _register_tables() -> list[str]:
    """The base table (the template of rebuilds) and every rebuilt version of it."""
    rows = op.get_bind().exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename ~ '^appeal_register(_v[0-9]+)?$'"
    )
    return [str(row[0]) for row in rows]


def upgrade() -> None:
    for table in _register_tables():
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN suspended_since date')


def downgrade() -> None:
    for table in _register_tables():
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN suspended_since')
