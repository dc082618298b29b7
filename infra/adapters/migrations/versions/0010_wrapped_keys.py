"""Each person's data key is stored wrapped by a key-encryption key held outside the
database (APPEALS_KEY_ENCRYPTION_KEYS); ``kek_id`` names which. Keys stored before are
plain (``kek_id`` null) until `appeals keys rotate` wraps them.

Revision ID: 0010
Revises: 0009
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE applicant_keys ADD COLUMN kek_id text")


def downgrade() -> None:
    op.execute("ALTER TABLE applicant_keys DROP COLUMN kek_id")
