"""`appeals bench-crowd`: many clients at once against real API processes on real
PostgreSQL, each configuration measured side by side in one run: how many requests fail
and how long a single appeal's read takes (p50, p95, p99) while the crowd also writes.

The crowd comes from one machine, so the per-address and per-caller rate limits are
turned off here (in production it comes from many addresses and users); what is
measured is how the service shares itself out, not how it refuses.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from domain.access import Principal, Role
from domain.applicants import Applicant
from domain.commands import ReceiveAppeal
from domain.iin import generate_iin
from infra.adapters.settings import PROJECT_ROOT, Settings
from infra.adapters.tokens import TokenService
from infra.bench.scratch import scratch_database
from infra.bootstrap import build
from infra.local.kafka_broker import free_port


@dataclass(frozen=True)
class Setup:
    processes: int
    pool: int
    threads: int = 40
    workers: int = 1

    @property
    def label(self) -> str:
        return f"{self.processes}x{self.pool}x{self.threads}"


@dataclass
class Tally:
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)

    def failed(self, why: str) -> None:
        self.failures[why] = self.failures.get(why, 0) + 1


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _seed(url: str, count: int) -> list[str]:
    settings = Settings(database_url=url, environment="development")
    container = build(settings)
    try:
        rng = random.Random(7)
        registrar = Principal(sub="bench.reg", role=Role.REGISTRAR, office="REG-ALA")
        ids = []
        for n in range(count):
            iin = generate_iin(rng, _birth(rng), female=n % 2 == 0)
            command = ReceiveAppeal(
                channel="written",
                office="REG-ALA",
                summary=f"Crowd appeal {n}",
                applicant=Applicant(iin=iin, name=f"Crowd Person {n}"),
            )
            ids.append(str(container.service.bus.send(command, registrar).appeal_id))
        return ids
    finally:
        container.close()


def _birth(rng: random.Random) -> date:
    return date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))


def start_apis(
    setup: Setup,
    url: str,
    logs: Path,
    stack: ExitStack,
    started: list[subprocess.Popen[bytes]] | None = None,
) -> list[str]:
    """The base URLs of ``setup``'s API processes, each stopped by ``stack``; the
    processes themselves are added to ``started`` when given."""
    bases = []
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "APPEALS_ENVIRONMENT": "development",
        "APPEALS_DB_POOL_SIZE": str(setup.pool),
        "APPEALS_API_THREADS": str(setup.threads),
        "APPEALS_RATE_LIMIT_PER_CALLER": "0",
        "APPEALS_RATE_LIMIT_PER_ADDRESS": "0",
        "APPEALS_AUTH_FAILURES_PER_ADDRESS": "0",
        "APPEALS_LOG_LEVEL": "WARNING",
    }
    for n in range(setup.processes):
        port = free_port()
        with open(logs / f"api-{setup.processes}-{setup.pool}-{n}.log", "ab") as out:
            proc = subprocess.Popen(
                [
                    *(sys.executable, "-m", "infra", "api", "--port", str(port), "--no-feed"),
                    *("--workers", str(setup.workers)),
                ],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        stack.callback(stop_process, proc)
        if started is not None:
            started.append(proc)
        bases.append(f"http://127.0.0.1:{port}")
    for base in bases:
        _wait_ready(base)
    return bases


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _wait_ready(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health/live", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the API at {base} did not start; see its log")


async def _client(
    n: int,
    http: httpx.AsyncClient,
    bases: list[str],
    ids: list[str],
    tokens: TokenService,
    until: float,
    tally: Tally,
) -> None:
    rng = random.Random(n)
    reader = tokens.mint(sub=f"crowd.{n}", role=Role.SUPERVISOR, office="REG-ALA")
    writer = tokens.mint(sub=f"crowd.reg.{n}", role=Role.REGISTRAR, office="REG-ALA")
    async with http:
        while time.monotonic() < until:
            base = bases[n % len(bases)]  # each client on one process, as behind a balancer
            write = rng.random() < 0.1
            started = time.perf_counter()
            try:
                if write:
                    r = await http.post(
                        f"{base}/appeals",
                        json={"channel": "written", "office": "REG-ALA", "summary": "Crowd"},
                        headers={"Authorization": f"Bearer {writer}"},
                    )
                else:
                    r = await http.get(
                        f"{base}/appeals/{rng.choice(ids)}",
                        headers={"Authorization": f"Bearer {reader}"},
                    )
            except httpx.HTTPError as exc:
                tally.failed(type(exc).__name__)
                continue
            took = time.perf_counter() - started
            if r.is_success:
                (tally.writes if write else tally.reads).append(took)
            else:
                tally.failed(str(r.status_code))


_BUCKET = re.compile(
    r'appeals_http_request_duration_seconds_bucket\{le="([^"]+)",method="GET",'
    r'route="/appeals/\{appeal_id\}",status="200"\} ([0-9.e+]+)'
)


def cpu_seconds(procs: list[subprocess.Popen[bytes]]) -> float:
    """The CPU time (user and system) the processes have used so far, from /proc."""
    ticks = 0
    for proc in procs:
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _server_p99(bases: list[str]) -> float:
    """The p99 of a single appeal's read as the API processes timed it themselves (from
    their /metrics histograms, to a bucket's bound): what the server took, without the
    clients' own queueing on this machine."""
    counts: dict[float, float] = {}
    for base in bases:
        for bound, count in _BUCKET.findall(httpx.get(f"{base}/metrics", timeout=10).text):
            le = float("inf") if bound == "+Inf" else float(bound)
            counts[le] = counts.get(le, 0.0) + float(count)
    total = counts.get(float("inf"), 0.0)
    for le in sorted(counts):
        if total and counts[le] >= 0.99 * total:
            return le
    return float("nan")


async def _crowd(
    bases: list[str], ids: list[str], tokens: TokenService, numbers: range, seconds: float
) -> Tally:
    tally = Tally()
    # Every client is built before the clock starts: building one takes ~20 ms of this
    # process's CPU (its TLS context), and built inside the loop they would hold up the
    # responses of the clients already running, a stall of the bench's own (about a
    # second in the first runs) that its latencies would count as the server's.
    clients = [(n, httpx.AsyncClient(timeout=30)) for n in numbers]
    until = time.monotonic() + seconds
    await asyncio.gather(
        *(_client(n, http, bases, ids, tokens, until, tally) for n, http in clients)
    )
    return tally


def _crowd_part(bases: list[str], ids: list[str], numbers: range, seconds: float) -> Tally:
    """One client process's share of the crowd (its own event loop, its own core time)."""
    tokens = TokenService.from_settings(Settings(environment="development"))
    return asyncio.run(_crowd(bases, ids, tokens, numbers, seconds))


def _run_crowd(bases: list[str], ids: list[str], clients: int, seconds: float, parts: int) -> Tally:
    """The crowd split over ``parts`` client processes, so that no single client event
    loop's own queueing shows up as the server's latency."""
    shares = [range(p, clients, parts) for p in range(parts)]
    with ProcessPoolExecutor(max_workers=parts) as pool:
        tallies = list(
            pool.map(_crowd_part, *zip(*[(bases, ids, r, seconds) for r in shares], strict=True))
        )
    total = Tally()
    for t in tallies:
        total.reads += t.reads
        total.writes += t.writes
        for why, n in t.failures.items():
            total.failures[why] = total.failures.get(why, 0) + n
    return total


def run_crowd_bench(
    clients: int, seconds: float, setups: list[Setup], console: Console, client_processes: int = 4
) -> Table:
    base = Settings(environment="development")
    table = Table(title=f"{clients} concurrent clients for {seconds:g} s each (90% reads)")
    columns = ("setup", "requests", "failed", "read p50", "read p95", "read p99", "write p99")
    for column in (*columns, "server read p99", "API CPU per request"):
        table.add_column(column, justify="right")
    with ExitStack() as stack:
        _, url = scratch_database(base, stack, "crowd")
        console.print("seeding 300 appeals…")
        ids = _seed(url, 300)
        logs = base.data_dir / "bench"
        logs.mkdir(parents=True, exist_ok=True)
        for setup in setups:
            with ExitStack() as running:
                console.print(f"{setup.label}: starting…")
                procs: list[subprocess.Popen[bytes]] = []
                bases = start_apis(setup, url, logs, running, procs)
                cpu_before = cpu_seconds(procs)
                tally = _run_crowd(bases, ids, clients, seconds, client_processes)
                cpu = cpu_seconds(procs) - cpu_before
                server_p99 = _server_p99(bases)
            done = len(tally.reads) + len(tally.writes)
            failed = sum(tally.failures.values())
            table.add_row(
                setup.label,
                str(done + failed),
                f"{failed} {tally.failures or ''}".strip(),
                *(f"{quantile(tally.reads, q) * 1000:.0f} ms" for q in (0.5, 0.95, 0.99)),
                f"{quantile(tally.writes, 0.99) * 1000:.0f} ms",
                f"≤ {server_p99 * 1000:.0f} ms",
                f"{cpu * 1000 / max(done, 1):.2f} ms",
            )
    return table
