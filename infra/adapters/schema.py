"""The tables this project owns, created and changed only by migrations (Alembic).

Read models, positions, dead letters, the relay's position, the applicant registry, the
access log, idempotency records and heartbeats all live in ``migrations/versions``; no
constructor runs DDL. The event store's own tables stay the ``eventsourcing`` library's.

``appeals migrate`` upgrades (``make run`` and ``make up`` run it first); a process of
the distributed deployment started on a database that is behind refuses to start and
says so. Every migration runs in one transaction under an advisory lock, so two
processes migrating at once cannot interleave.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import sqlalchemy
import structlog
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "schema_migrations"
_LOCK = "appeals-migrations"
log = structlog.get_logger(__name__)


class SchemaBehind(RuntimeError):
    """The database's schema is not the one this code needs."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@contextmanager
def _locked(database_url: str) -> Iterator[sqlalchemy.Connection]:
    # The project's URLs are libpq conninfo strings (a socket path in `host=` among
    # them), which psycopg reads as they are; SQLAlchemy only borrows the connection.
    engine = sqlalchemy.create_engine(
        "postgresql+psycopg://",
        creator=lambda: psycopg.connect(database_url),
        poolclass=NullPool,
    )
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (_LOCK,))
            yield conn
    finally:
        engine.dispose()


def head() -> str:
    """The newest revision this code knows."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None, "no migrations found"
    return revision


def current(database_url: str) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    with _locked(database_url) as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


FIRST_REVISION = "0001"
"""Its tables are the ones constructors used to create: a database made by such a
version is adopted as being at this revision instead of failing on existing tables."""


def upgrade(database_url: str, revision: str = "head") -> str | None:
    """Bring the database to ``revision``; returns the revision it was at before."""
    with _locked(database_url) as conn:
        config = _config()
        config.attributes["connection"] = conn
        before = MigrationContext.configure(
            conn, opts={"version_table": VERSION_TABLE}
        ).get_current_revision()
        if before is None and _made_before_migrations(conn):
            log.info("schema.adopted", revision=FIRST_REVISION)
            command.stamp(config, FIRST_REVISION)
            before = FIRST_REVISION
        command.upgrade(config, revision)
        return before


def _made_before_migrations(conn: sqlalchemy.Connection) -> bool:
    row = conn.exec_driver_sql("SELECT to_regclass('appeal_register') IS NOT NULL").fetchone()
    return bool(row and row[0])


def downgrade(database_url: str, revision: str) -> None:
    with _locked(database_url) as conn:
        config = _config()
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def require_current(database_url: str) -> None:
    """Refuse to run on a schema this code does not match, saying what to do."""
    at, wanted = current(database_url), head()
    if at != wanted:
        raise SchemaBehind(
            f"the database schema is at {at or 'nothing (never migrated)'}, this code "
            f"needs {wanted}: run `appeals migrate` (with the same DATABASE_URL) first"
        )
