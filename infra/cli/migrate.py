"""`appeals migrate`: bring the project's tables to the schema this code needs."""

from __future__ import annotations

from typing import Annotated

import typer

from infra.adapters import schema
from infra.adapters.settings import Settings
from infra.observability.logging import configure_logging


def migrate(
    to: Annotated[
        str, typer.Option(help="The revision to reach: `head` (the newest) or an id (0001).")
    ] = "head",
    down_to: Annotated[
        str | None,
        typer.Option(
            "--down-to",
            help="Undo migrations down to this revision instead; `base` drops every table "
            "the migrations made (read models, positions, dead letters, the registry, "
            "the access log). The event store is never touched.",
        ),
    ] = None,
    status: Annotated[
        bool, typer.Option("--status", help="Only say where the database is and what is newest.")
    ] = False,
) -> None:
    """Create or change the project's tables with the migrations in
    infra/adapters/migrations (the event store's tables stay the library's).

    Run it once on a new database and after each upgrade, before starting the API or
    the workers: those refuse to start on a database that is behind and say so.
    `make run` (embedded) and `make up` run it for you. Safe to run twice, and from
    two places at once (they take turns). Uses DATABASE_URL, or the embedded
    PostgreSQL under APPEALS_DATA_DIR when it is unset.
    """
    from infra.bootstrap import resolve_database

    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    url, embedded = resolve_database(settings)
    try:
        before = schema.current(url)
        if status:
            typer.echo(
                f"database at {before or 'nothing (never migrated)'}; newest {schema.head()}"
            )
            return
        if down_to is not None:
            schema.downgrade(url, down_to)
        else:
            schema.upgrade(url, to)
        typer.echo(f"schema: {before or 'nothing'} -> {schema.current(url) or 'nothing'}")
    finally:
        if embedded is not None:
            embedded.stop()
