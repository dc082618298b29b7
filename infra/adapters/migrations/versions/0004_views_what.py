"""The access log says what was read: an applicant's identity, or the reasons of the
decisions on an appeal (sealed with the applicant's key like the identity).

Revision ID: 0004
Revises: 0003
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE personal_data_views ADD COLUMN what text NOT NULL DEFAULT 'identity'")


def downgrade() -> None:
    op.execute("ALTER TABLE personal_data_views DROP COLUMN what")
