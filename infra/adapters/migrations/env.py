"""Alembic's entry point: runs the migrations on the connection ``infra.adapters.schema``
hands over (in ``config.attributes``), inside that connection's transaction."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    transactional_ddl=True,
    version_table="schema_migrations",
)
with context.begin_transaction():
    context.run_migrations()
