"""Request counters for rate limiting, shared by every API process (api/rate_limit.py).
Unlogged: they are worth nothing after a crash, and writing them to the WAL would cost
every request a flush.

Revision ID: 0009
Revises: 0008
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE UNLOGGED TABLE rate_limits (
            key text NOT NULL,
            window_start timestamptz NOT NULL,
            hits integer NOT NULL,
            PRIMARY KEY (key, window_start)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE rate_limits")
