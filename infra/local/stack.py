"""`appeals up` / `appeals down`: the distributed stack on one machine, one process each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import typer

from infra.adapters import schema

SERVICES = ["postgres", "kafka", "api", "relay", "consume", "deadlines"]


class Stack:
    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir / "stack"

    def _start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        self.dir.mkdir(parents=True, exist_ok=True)
        log = open(self.dir / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            [sys.executable, "-m", "infra", *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        (self.dir / f"{name}.pid").write_text(str(proc.pid))
        typer.echo(f"started {name:8} pid {proc.pid}, log {self.dir / (name + '.log')}")
        return proc

    def _wait_for_line(
        self, name: str, prefix: str, proc: subprocess.Popen[bytes], timeout: float = 180
    ) -> str:
        deadline = time.monotonic() + timeout
        path = self.dir / f"{name}.log"
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise typer.Exit(self._fail(name))
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith(prefix):
                    return line.removeprefix(prefix).strip()
            time.sleep(0.3)
        raise typer.Exit(self._fail(name))

    def _fail(self, name: str) -> int:
        typer.echo(f"{name} did not start; last lines of its log:", err=True)
        typer.echo((self.dir / f"{name}.log").read_text(errors="replace")[-3000:], err=True)
        self.down()
        return 1

    def up(self, *, api_port: int, kafka_port: int) -> None:
        if any((self.dir / f"{n}.pid").exists() for n in SERVICES):
            typer.echo("The stack seems to be running already; `appeals down` first.", err=True)
            raise typer.Exit(1)
        env = dict(os.environ)
        env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
        env.setdefault("APPEALS_LOG_FORMAT", "json")
        if not env.get("DATABASE_URL"):
            pg = self._start("postgres", ["postgres"], env)
            env["DATABASE_URL"] = self._wait_for_line("postgres", "DATABASE_URL=", pg)
        # The API and the workers refuse a database that is behind: migrate it first.
        before = schema.upgrade(env["DATABASE_URL"])
        typer.echo(f"schema: {before or 'nothing'} -> {schema.head()}")
        kafka = self._start("kafka", ["kafka", "--port", str(kafka_port)], env)
        env["KAFKA_BOOTSTRAP_SERVERS"] = self._wait_for_line(
            "kafka", "KAFKA_BOOTSTRAP_SERVERS=", kafka
        )
        api = self._start("api", ["api", "--port", str(api_port)], env)
        self._start("relay", ["relay"], env)
        self._start("consume", ["consume"], env)
        self._start("deadlines", ["deadlines", "--watch"], env)
        deadline = time.monotonic() + 60
        url = f"http://127.0.0.1:{api_port}"
        while time.monotonic() < deadline:
            if api.poll() is not None:
                raise typer.Exit(self._fail("api"))
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    typer.echo(f"\nThe stack is up: {url}/docs  (stop it with `make down`)")
                    typer.echo(f"DATABASE_URL={env['DATABASE_URL']}")
                    typer.echo(f"KAFKA_BOOTSTRAP_SERVERS={env['KAFKA_BOOTSTRAP_SERVERS']}")
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise typer.Exit(self._fail("api"))

    def down(self) -> None:
        # Stop consumers of the services first, the services they rely on last.
        for name in reversed(SERVICES):
            pid_file = self.dir / f"{name}.pid"
            if not pid_file.exists():
                continue
            pid = int(pid_file.read_text())
            try:
                os.killpg(pid, signal.SIGTERM)
                for _ in range(100):
                    os.kill(pid, 0)
                    time.sleep(0.1)
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            pid_file.unlink(missing_ok=True)
            typer.echo(f"stopped {name}")
