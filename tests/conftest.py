"""Real services for the suite: PostgreSQL (embedded wheel unless DATABASE_URL is set)
and an Apache Kafka broker (started from Maven Central jars unless
KAFKA_BOOTSTRAP_SERVERS is set). A service that cannot start fails the run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from psycopg.conninfo import conninfo_to_dict

from infra.adapters import schema
from infra.adapters.embedded_postgres import EmbeddedPostgres
from infra.adapters.settings import PROJECT_ROOT
from infra.bootstrap import Container, build
from infra.local.kafka_broker import KafkaBroker
from infra.observability.logging import configure_logging
from tests.support import fresh_database, settings_for

# Scratch space inside the project: the embedded PostgreSQL runs as its own user when
# the suite runs as root, and pytest's private temp dirs are closed to other users.
SCRATCH = PROJECT_ROOT / ".data" / "tests"

configure_logging("console", "WARNING")
# The suite serves the API with the development keys, on a machine of its own; the
# service refuses them unless this is said explicitly (tests/unit/test_tokens.py).
os.environ.setdefault("APPEALS_ENVIRONMENT", "development")
# The processes the suite starts (tests/e2e, tests/faults) make bursts as one user from one
# address: the rate limits are tested on their own (tests/integration/test_rate_limits.py).
for _limit in ("RATE_LIMIT_PER_CALLER", "RATE_LIMIT_PER_ADDRESS", "AUTH_FAILURES_PER_ADDRESS"):
    os.environ.setdefault(f"APPEALS_{_limit}", "0")


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


@pytest.fixture(scope="session")
def migrated_template(postgres_server: str) -> Iterator[str]:
    """A database migrated once per session (`appeals migrate`, as an operator would),
    copied for each test: cheaper than running the migrations every time."""
    with fresh_database(postgres_server) as url:
        schema.upgrade(url)
        yield str(conninfo_to_dict(url)["dbname"])


@pytest.fixture
def database_url(postgres_server: str, migrated_template: str) -> Iterator[str]:
    """A fresh database for one test, migrated to the newest schema."""
    with fresh_database(postgres_server, template=migrated_template) as url:
        yield url


@pytest.fixture
def make_container(
    database_url: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Container]]:
    """Builds containers on this test's database, closed after the test: ``kafka`` to
    run distributed on the suite's broker, ``feed`` to feed the read models in-process
    from the event store (as the embedded API does), other keywords for settings."""
    made: list[Container] = []

    def make(*, kafka: bool = False, feed: bool = False, **overrides: Any) -> Container:
        bootstrap = request.getfixturevalue("kafka_bootstrap") if kafka else None
        container = build(settings_for(database_url, bootstrap, **overrides))
        made.append(container)
        if feed:
            container.start_feed()
        return container

    yield make
    for container in reversed(made):
        container.close()


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    """An embedded container (no Kafka) whose read models are fed only when a test
    feeds them; modules needing the feed or a broker override this in one line."""
    return make_container()


@pytest.fixture
def empty_database_url(postgres_server: str) -> Iterator[str]:
    """A fresh database with nothing in it, not even the migrations."""
    with fresh_database(postgres_server) as url:
        yield url


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
