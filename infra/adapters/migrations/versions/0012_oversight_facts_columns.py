"""The oversight figures read from indexes alone.

The oversight facts carry the detail the activity figures count as columns of their
own (outcome, ground, review result, lateness; generated from the detail, so the
projection writes nothing new), with an index on the day that includes them and the
appeal; the register's index of open appeals by due date includes what the overdue
counts group by. A period's figures are then counted from the indexes, without
reading each fact's row and decoding its JSON (docs/benchmarks.md).

Revision ID: 0012
Revises: 0011
Created: 2026-12-06
"""

from __future__ import annotations

from alembic import op

from infra.adapters.table_versions import table_versions

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = {
    "outcome": "text GENERATED ALWAYS AS (detail->>'outcome') STORED",
    "ground": "text GENERATED ALWAYS AS (detail->>'ground') STORED",
    "result": "text GENERATED ALWAYS AS (detail->>'result') STORED",
    "late": "boolean GENERATED ALWAYS AS ((detail->>'late')::boolean) STORED",
}
COVERED = "kind, region, office, outcome, ground, result, late, appeal_id"
OPEN = "WHERE status IN ('received', 'in_progress')"
OVERDUE_COVERED = "region, office, assignee, suspended_since, kind"


def upgrade() -> None:
    for table in table_versions(op.get_bind(), "oversight_facts"):
        added = ", ".join(f"ADD COLUMN {name} {kind}" for name, kind in COLUMNS.items())
        op.execute(f'ALTER TABLE "{table}" {added}')
        op.execute(f'CREATE INDEX "{table}_day_counted" ON "{table}" (day) INCLUDE ({COVERED})')
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(
            f'CREATE INDEX "{table}_open_due_counted" ON "{table}" (due_on) '
            f"INCLUDE ({OVERDUE_COVERED}) {OPEN}"
        )
        op.execute(f'DROP INDEX IF EXISTS "{table}_open_due"')


def downgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'CREATE INDEX "{table}_open_due" ON "{table}" (due_on) {OPEN}')
        op.execute(f'DROP INDEX IF EXISTS "{table}_open_due_counted"')
    for table in table_versions(op.get_bind(), "oversight_facts"):
        op.execute(f'DROP INDEX IF EXISTS "{table}_day_counted"')
        dropped = ", ".join(f"DROP COLUMN {name}" for name in COLUMNS)
        op.execute(f'ALTER TABLE "{table}" {dropped}')
