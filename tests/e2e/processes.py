"""Start `appeals` subcommands as real processes and stop them whatever happens."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from infra.adapters.settings import PROJECT_ROOT
from infra.local.kafka_broker import free_port
from tests.support import wait_until


@contextmanager
def appeals_process(
    args: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "infra", *args],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield proc
    except BaseException:
        # Whatever failed, the process's own log usually says why.
        print(f"--- last lines of {log.name} ---\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


def wait_for_api(base_url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    def up() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"the API exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            return httpx.get(f"{base_url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, timeout=120, interval=0.3, what=f"{base_url}/health")


def api_port() -> int:
    return free_port()
