"""PostgreSQL stopped under load, then started again: while it is away the API answers
503 problem+json with Retry-After (never 500, never a hang), it works again within
seconds of the database's return, and every command it acknowledged is kept."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from infra.bootstrap import build
from infra.kafka_broker import free_port
from tests.faults.postgres import own_postgres
from tests.support import as_user, settings_for, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

REGISTRAR = as_user("registrar.almaty", role="registrar", office="REG-ALA")
SUPERVISOR = as_user("sup.gpo", role="supervisor", office="GPO")
APPEAL = {"channel": "written", "office": "REG-ALA", "summary": "No answer for a month"}
OUTAGE_SECONDS = 6.0
RECOVERY_BOUND_SECONDS = 5.0
# The event store's library retries 10 times 0.2 s apart (infra/database.py).
SLOWEST_ANSWER_BOUND_SECONDS = 6.0


@dataclass
class Observed:
    statuses: Counter[int] = field(default_factory=Counter)
    bad_503s: list[str] = field(default_factory=list)
    slowest: float = 0.0
    acknowledged: list[str] = field(default_factory=list)
    created_at: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, response: httpx.Response, took: float) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1
            self.slowest = max(self.slowest, took)
            if response.status_code == 503 and not (
                response.headers.get("content-type", "").startswith("application/problem+json")
                and response.headers.get("retry-after", "").isdigit()
                and response.json()["rule"] == "database-unavailable"
            ):
                self.bad_503s.append(response.text[:200])
            if response.status_code == 201:
                self.acknowledged.append(response.json()["appeal_id"])
                self.created_at.append(time.monotonic())


@pytest.fixture
def served(scratch_dir: Path) -> Iterator[tuple[str, object]]:
    with own_postgres(scratch_dir / "pg") as (url, server):
        container = build(settings_for(url))
        port = free_port()
        config = uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_config=None)
        api = uvicorn.Server(config)
        thread = threading.Thread(target=api.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: api.started, timeout=30, what="the API to start")
        try:
            yield base, server
        finally:
            api.should_exit = True
            thread.join(10)
            container.close()


def load(base: str, observed: Observed, stop: threading.Event, write: bool) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        while not stop.is_set():
            started = time.monotonic()
            if write:
                r = http.post("/appeals", json=APPEAL, headers=REGISTRAR)
            else:
                r = http.get("/appeals", params={"limit": 5}, headers=SUPERVISOR)
            observed.note(r, time.monotonic() - started)
            time.sleep(0.05)


def test_an_outage_answers_503_and_the_api_recovers_within_seconds(
    served: tuple[str, object],
) -> None:
    base, server = served
    observed = Observed()
    stop = threading.Event()
    clients = [
        threading.Thread(target=load, args=(base, observed, stop, write))
        for write in (True, True, True, False, False)
    ]
    for thread in clients:
        thread.start()
    try:
        wait_until(lambda: len(observed.acknowledged) >= 20, timeout=30, what="some appeals")
        server.interrupt()  # type: ignore[attr-defined]
        time.sleep(OUTAGE_SECONDS)
        before = len(observed.acknowledged)
        server.resume()  # type: ignore[attr-defined]
        back = time.monotonic()
        wait_until(
            lambda: len(observed.acknowledged) > before + 5, timeout=60, what="commands again"
        )
        recovered_after = observed.created_at[before] - back
        time.sleep(1)
    finally:
        stop.set()
        for thread in clients:
            thread.join(30)

    print(
        f"\nPostgreSQL outage of {OUTAGE_SECONDS:.0f} s: answers {dict(observed.statuses)}, "
        f"first command stored {recovered_after:.2f} s after the database returned, "
        f"slowest answer {observed.slowest:.2f} s"
    )
    assert set(observed.statuses) <= {200, 201, 503}, observed.statuses
    assert observed.statuses[503] > 0, "the outage was not noticed"
    assert observed.bad_503s == []
    assert observed.slowest < SLOWEST_ANSWER_BOUND_SECONDS
    assert recovered_after < RECOVERY_BOUND_SECONDS
    # Nothing acknowledged is lost.
    with httpx.Client(base_url=base, timeout=10, headers=SUPERVISOR) as http:
        for appeal_id in observed.acknowledged:
            assert http.get(f"/appeals/{appeal_id}").status_code == 200, appeal_id
