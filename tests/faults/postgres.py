"""A PostgreSQL of a fault test's own, which it can stop and start again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infra.embedded_postgres import EmbeddedPostgres


@contextmanager
def own_postgres(data_dir: Path) -> Iterator[tuple[str, EmbeddedPostgres]]:
    """A server for this test alone (the suite's shared one must stay up): its URL,
    and the handle that interrupts and resumes it."""
    server = EmbeddedPostgres(data_dir)
    url = server.start()
    try:
        yield url, server
    finally:
        server.stop()
