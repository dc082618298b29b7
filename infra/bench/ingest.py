"""`POST /appeals` over HTTP for `appeals bench`: real API processes (`appeals api`,
one or more worker processes) on the bench's database, and clients that each send new
appeals one after another; what is measured is appeals recorded per second."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import httpx

from domain.access import Role
from domain.iin import generate_iin
from infra.adapters.settings import Settings
from infra.adapters.tokens import TokenService
from infra.bench.crowd import Setup, start_apis


def _body(rng: random.Random) -> dict[str, object]:
    """A new appeal from one of many people (a crowd of one person would only measure
    their row's lock)."""
    born = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "channel": "written",
        "office": "REG-ALA",
        "summary": "bench",
        "applicant": {"iin": generate_iin(rng, born, female=rng.random() < 0.5), "name": "B"},
    }


def ingest(
    url: str, logs: Path, *, workers: int, clients: int, total: int, tick: Callable[[], None]
) -> float:
    """Seconds for ``clients`` clients to record ``total`` appeals through the API."""
    tokens = TokenService.from_settings(Settings(environment="development"))
    token = tokens.mint(sub="bench.reg", role=Role.REGISTRAR, office="REG-ALA")
    headers = {"Authorization": f"Bearer {token}"}
    with ExitStack() as stack:
        (base,) = start_apis(Setup(1, 10, workers=workers), url, logs, stack)
        with httpx.Client(base_url=base, headers=headers, timeout=30) as warm:
            warm.post(
                "/appeals", json=_body(random.Random(0))
            ).raise_for_status()  # imports, pools, caches
        left = [total]
        lock = threading.Lock()
        failures: list[str] = []

        def client(n: int) -> None:
            rng = random.Random(f"{workers}x{clients}-{n}")  # new people in every run
            with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
                while True:
                    with lock:
                        if left[0] <= 0:
                            return
                        left[0] -= 1
                    r = http.post("/appeals", json=_body(rng))
                    if r.status_code != 201:
                        failures.append(f"{r.status_code} {r.text[:200]}")
                        return
                    tick()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"the API refused appeals during the bench: {failures[0]}")
    return took
