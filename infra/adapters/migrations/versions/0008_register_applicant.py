"""The register keeps each appeal's applicant reference (pseudonymous), so that an
erasure request can be checked against the offices that hold the person's appeals.
Rows already there are filled from the appeal's history (its receipt's data).

Revision ID: 0008
Revises: 0007
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

from infra.adapters.table_versions import table_versions

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    histories = table_versions(op.get_bind(), "appeal_history")
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN applicant_ref text')
        op.execute(
            f'CREATE INDEX "{table}_applicant" ON "{table}" (applicant_ref) '
            "WHERE applicant_ref IS NOT NULL"
        )
        for history in histories:
            op.execute(
                f"UPDATE \"{table}\" r SET applicant_ref = h.data->>'applicant_ref' "
                f'FROM "{history}" h WHERE h.appeal_id = r.appeal_id AND h.version = 1 '
                "AND r.applicant_ref IS NULL"
            )


def downgrade() -> None:
    for table in table_versions(op.get_bind(), "appeal_register"):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN applicant_ref')
