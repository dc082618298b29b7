"""PostgreSQL stopped under load, then started again: while it is away the API answers
503 problem+json with Retry-After (never 500, never a hang), it works again within
seconds of the database's return, and every command it acknowledged is kept.

The API runs as a real uvicorn server in a thread of this process, with the embedded
projection feed, so worker threads, pool timeouts and reconnections are the real ones;
the PostgreSQL is this module's own, stopped cleanly (``fast``) and crashed
(``immediate``, recovered from the WAL on start).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from infra.bootstrap import Container, build
from infra.local.kafka_broker import free_port
from tests.faults.postgres import StopMode, StoppablePostgres, postgres_of_its_own
from tests.support import IIN_A, as_user, settings_for, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

REGISTRAR = as_user("registrar.almaty", role="registrar", office="REG-ALA")
SUPERVISOR = as_user("sup.gpo", role="supervisor", office="GPO")
AUDITOR = as_user("auditor.gpo", role="auditor", office="GPO")
# With an applicant (not anonymous, so it is open for work, and its personal data is
# written too).
APPEAL = {
    "channel": "written",
    "office": "REG-ALA",
    "summary": "No answer for a month",
    "applicant": {"iin": IIN_A, "name": "Aigerim Nurlanovna"},
}
OUTAGE_SECONDS = 6.0
RECOVERY_BOUND_SECONDS = 5.0
# The event store's library retries 10 times 0.2 s apart (infra/adapters/database.py): about 5 s.
SLOWEST_ANSWER_BOUND_SECONDS = 6.5
WRITERS, READERS = 3, 2


@dataclass
class Served:
    base: str
    server: StoppablePostgres
    container: Container


@pytest.fixture(scope="module")
def served(scratch_root: Path) -> Iterator[Served]:
    with postgres_of_its_own(scratch_root, "outage") as server:
        container = build(settings_for(server.url))
        container.start_feed()
        port = free_port()
        config = uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_config=None)
        api = uvicorn.Server(config)
        thread = threading.Thread(target=api.run, name="outage-api", daemon=True)
        thread.start()
        try:
            wait_until(lambda: api.started, timeout=30, what="the API to start")
            yield Served(f"http://127.0.0.1:{port}", server, container)
        finally:
            api.should_exit = True
            thread.join(10)
            container.close()


@dataclass
class Answer:
    what: str
    status: int
    began: float
    ended: float
    problem_ok: bool
    body: str


def problem_ok(response: httpx.Response) -> bool:
    """A 503 as the API promises it: problem+json, database-unavailable, Retry-After."""
    try:
        rule = response.json().get("rule")
    except ValueError:
        return False
    return (
        response.headers.get("content-type", "").startswith("application/problem+json")
        and response.headers.get("retry-after", "").isdigit()
        and rule == "database-unavailable"
    )


@dataclass
class Observed:
    answers: list[Answer] = field(default_factory=list)
    # Idempotency-Key -> appeal id of every acknowledged (201) POST /appeals.
    acknowledged: dict[str, str] = field(default_factory=dict)
    positions: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, what: str, response: httpx.Response, began: float) -> None:
        ended = time.monotonic()
        ok = response.status_code != 503 or problem_ok(response)
        with self.lock:
            self.answers.append(
                Answer(what, response.status_code, began, ended, ok, response.text[:300])
            )

    def acknowledge(self, key: str, body: dict[str, Any]) -> None:
        with self.lock:
            known = self.acknowledged.setdefault(key, body["appeal_id"])
            assert known == body["appeal_id"], f"key {key} recorded twice"
            if body.get("position") is not None:
                self.positions.append(body["position"])

    def appeal_ids(self) -> list[str]:
        with self.lock:
            return list(self.acknowledged.values())


def write(base: str, observed: Observed, stop: threading.Event) -> None:
    """A client that sends each appeal until it is acknowledged, with the same key, as
    the 503's Retry-After asks."""
    with httpx.Client(base_url=base, timeout=30) as http:
        key = uuid.uuid4().hex
        while not stop.is_set():
            began = time.monotonic()
            r = http.post("/appeals", json=APPEAL, headers={**REGISTRAR, "Idempotency-Key": key})
            observed.note("command", r, began)
            if r.status_code == 201:
                observed.acknowledge(key, r.json())
                key = uuid.uuid4().hex
            time.sleep(0.05)


def read(base: str, observed: Observed, stop: threading.Event) -> None:
    """A client that reads the register (a read model) and appeals (the event store)."""
    with httpx.Client(base_url=base, timeout=30, headers=SUPERVISOR) as http:
        turn = 0
        while not stop.is_set():
            turn += 1
            ids = observed.appeal_ids()
            began = time.monotonic()
            if turn % 2 and ids:
                r = http.get(f"/appeals/{ids[-1]}")
            else:
                r = http.get("/appeals", params={"limit": 5})
            observed.note("query", r, began)
            time.sleep(0.05)


Operation = tuple[str, str, dict[str, Any] | None, dict[str, str]]


def catalogue(appeal_id: str) -> list[Operation]:
    """One of each kind of operation: the event store, each read model, the audit log,
    personal data, a command on an existing appeal."""
    return [
        ("GET", f"/appeals/{appeal_id}", None, SUPERVISOR),
        ("GET", f"/appeals/{appeal_id}/history", None, SUPERVISOR),
        ("GET", f"/appeals/{appeal_id}/applicant", None, SUPERVISOR),
        ("GET", f"/appeals/{appeal_id}/views", None, AUDITOR),
        ("GET", "/appeals?region=REG-ALA&overdue=true", None, SUPERVISOR),
        ("GET", "/instructions?region=REG-ALA", None, SUPERVISOR),
        ("GET", "/oversight/decisions", None, SUPERVISOR),
        ("GET", "/oversight/reception-statistics", None, SUPERVISOR),
        ("GET", "/oversight/redirects", None, SUPERVISOR),
        (
            "POST",
            f"/appeals/{appeal_id}/assignment",
            {"assignee": "prosecutor.7", "office": "DIS-ALA-MEDEU"},
            REGISTRAR,
        ),
    ]


def sweep(base: str, observed: Observed, appeal_id: str) -> None:
    """Each operation of the catalogue once, all at once (each may take seconds)."""

    def one(method: str, path: str, body: dict[str, Any] | None, user: dict[str, str]) -> None:
        with httpx.Client(base_url=base, timeout=30, headers=user) as http:
            began = time.monotonic()
            observed.note(f"{method} {path}", http.request(method, path, json=body), began)

    threads = [threading.Thread(target=one, args=op) for op in catalogue(appeal_id)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_an_outage_answers_503_and_the_api_recovers_within_seconds(
    served: Served, mode: StopMode
) -> None:
    base, server = served.base, served.server
    observed = Observed()
    stop = threading.Event()
    clients = [
        threading.Thread(target=write, args=(base, observed, stop)) for _ in range(WRITERS)
    ] + [threading.Thread(target=read, args=(base, observed, stop)) for _ in range(READERS)]
    for thread in clients:
        thread.start()
    try:
        wait_until(lambda: len(observed.acknowledged) >= 20, timeout=30, what="some appeals")
        known = observed.appeal_ids()[0]
        sweep(base, observed, known)  # the catalogue's requests are valid ones
        before_outage = len(observed.answers)
        assert {a.status for a in observed.answers[:before_outage]} <= {200, 201}, [
            (a.what, a.status, a.body) for a in observed.answers if a.status >= 300
        ]

        down = time.monotonic()
        server.stop(mode)
        stopped_in = time.monotonic() - down
        sweep(base, observed, known)
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down)))
        restart_took = server.start()
        back = time.monotonic()  # accepting connections again from here

        wait_until(
            lambda: sum(a.status == 201 and a.began > back for a in observed.answers) >= 5,
            timeout=60,
            what="commands again",
        )
        time.sleep(1)
    finally:
        stop.set()
        for thread in clients:
            thread.join(30)

    answers = observed.answers
    statuses = Counter(a.status for a in answers)
    during = [a for a in answers[before_outage:] if a.began < back]
    unavailable = [a for a in answers if a.status == 503]
    first_command = min(a.ended for a in answers if a.what == "command" and a.ended > back)
    first_query = min(a.ended for a in answers if a.what == "query" and a.ended > back)
    first_503 = min((a.ended for a in unavailable), default=float("nan"))
    slowest = max(answers, key=lambda a: a.ended - a.began)
    swept = {a.what: a.status for a in answers[before_outage:] if not a.what.islower()}
    print(
        f"\nPostgreSQL stopped ({mode}, took {stopped_in:.2f} s) for "
        f"{back - down - restart_took:.1f} s, start took {restart_took:.2f} s; "
        f"{len(answers)} answers {dict(statuses)}, {len(unavailable)} of them 503 "
        f"(first {first_503 - down:.2f} s after the stop began); "
        f"first command stored {first_command - back:.2f} s and first query answered "
        f"{first_query - back:.2f} s after the database accepted connections again; "
        f"slowest answer {slowest.ended - slowest.began:.2f} s ({slowest.what}); "
        f"{len(observed.acknowledged)} appeals acknowledged; during the outage {swept}"
    )

    assert set(statuses) <= {200, 201, 503}, [
        (a.what, a.status, a.body) for a in answers if a.status not in {200, 201, 503}
    ]
    assert [a.body for a in answers if not a.problem_ok] == []
    assert any(a.status == 503 for a in during), "the outage was not noticed"
    # Every kind of operation meets the outage as a 503 (or, not needing it, answers).
    assert all(status in {200, 503} for status in swept.values()), swept
    assert slowest.ended - slowest.began < SLOWEST_ANSWER_BOUND_SECONDS, slowest
    assert first_command - back < RECOVERY_BOUND_SECONDS
    assert first_query - back < RECOVERY_BOUND_SECONDS

    # Nothing acknowledged is lost: each appeal is in the event store, and the
    # in-process projection feed, which lived through the outage, has applied them all.
    newest = max(observed.positions)
    with httpx.Client(base_url=base, timeout=30, headers=SUPERVISOR) as http:
        caught_up = http.get(
            f"/appeals/{observed.appeal_ids()[-1]}/history", params={"min_position": newest}
        )
        assert caught_up.status_code == 200, caught_up.text
        for appeal_id in observed.acknowledged.values():
            assert http.get(f"/appeals/{appeal_id}").status_code == 200, appeal_id
            assert http.get(f"/appeals/{appeal_id}/history").status_code == 200, appeal_id
