"""The register shows which office holds an appeal's case file when it is not the
appeal's own: the file moves to the higher office that demanded and received it.

Revision ID: 0005
Revises: 0004
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
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
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN file_held_by text')


def downgrade() -> None:
    for table in _register_tables():
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN file_held_by')
