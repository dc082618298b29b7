"""Real services for the suite: PostgreSQL (embedded wheel unless DATABASE_URL is set)
and an Apache Kafka broker (started from Maven Central jars unless
KAFKA_BOOTSTRAP_SERVERS is set). A service that cannot start fails the run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from infra.adapters.embedded_postgres import EmbeddedPostgres
from infra.adapters.settings import PROJECT_ROOT
from infra.local.kafka_broker import KafkaBroker
from infra.observability.logging import configure_logging

# Scratch space inside the project: the embedded PostgreSQL runs as its own user when
# the suite runs as root, and pytest's private temp dirs are closed to other users.
SCRATCH = PROJECT_ROOT / ".data" / "tests"

configure_logging("console", "WARNING")


@pytest.fixture(scope="session")
def scratch_root() -> Iterator[Path]:
    SCRATCH.mkdir(parents=True, exist_ok=True)
    SCRATCH.chmod(0o755)
    yield SCRATCH


@pytest.fixture
def scratch_dir(scratch_root: Path) -> Iterator[Path]:
    path = scratch_root / uuid4().hex[:12]
    path.mkdir()
    path.chmod(0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server(scratch_root: Path) -> Iterator[str]:
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    server = EmbeddedPostgres(scratch_root / "postgres")
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture
def database_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database for one test."""
    name = f"t_{uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_conninfo(postgres_server, dbname=name)
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def kafka_broker(scratch_root: Path) -> Iterator[KafkaBroker | None]:
    """The broker this run started (None when KAFKA_BOOTSTRAP_SERVERS names one)."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield None
        return
    work = scratch_root / f"kafka-{uuid4().hex[:8]}"
    broker = KafkaBroker(work)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_broker: KafkaBroker | None) -> str:
    if kafka_broker is None:
        return os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    return kafka_broker.bootstrap_servers


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if os.environ.get("CI") and skipped:
        terminalreporter.write_line(
            f"CI forbids skipped tests; {len(skipped)} were skipped.", red=True
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
