"""The open appeals' index on the register carries each one's due date too, so that a
list of overdue appeals in order of receipt skips the appeals not yet due inside the
index, without reading their rows: at a million appeals that list took 26-59 ms,
reading every open appeal newer than the first overdue ones (docs/benchmarks.md).

Revision ID: 0011
Revises: 0010
Created: 2026-12-06
"""

from __future__ import annotations

from alembic import op

from infra.adapters.table_versions import table_versions

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OPEN = "WHERE status IN ('received', 'in_progress')"


def upgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(
            f'CREATE INDEX "{table}_open_received_due" ON "{table}" (received_on, due_on) {OPEN}'
        )
        op.execute(f'DROP INDEX IF EXISTS "{table}_open_received"')


def downgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'CREATE INDEX "{table}_open_received" ON "{table}" (received_on) {OPEN}')
        op.execute(f'DROP INDEX IF EXISTS "{table}_open_received_due"')
