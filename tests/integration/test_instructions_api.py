"""Instructions over HTTP in embedded mode on real PostgreSQL: every operation, every
refusal as problem details with nothing recorded, the overdue marking and the
instruction_status read model."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from consumers.apply import apply_records
from domain.instruction import Instruction
from infra.bootstrap import Container
from infra.contract.envelope import to_record
from projections.instructions import InstructionQueries, InstructionStatus
from tests.support import as_user, wait_until

pytestmark = pytest.mark.postgres

CENTER = as_user("center.1")
MEDEU = as_user("medeu.1", role="prosecutor", office="DIS-ALA-MEDEU")
ADDRESSEE = "DIS-ALA-MEDEU"


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(feed=True)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), headers=as_user()) as c:
        yield c


def due_on(container: Container, days: int = 14) -> date:
    return container.instructions.today() + timedelta(days=days)


def order(container: Container, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "issuing_office": "GPO",
        "addressee_office": ADDRESSEE,
        "subject": "Verify the refusal",
        "body": "Check the legality of the refusal of appeal 17 and report.",
        "due_on": due_on(container).isoformat(),
    }
    body.update(overrides)
    return body


def issuer(body: dict[str, Any]) -> dict[str, str]:
    """A supervisor of the issuing office: offices come from tokens, not bodies."""
    return as_user("center.1", office=body.get("issuing_office") or "GPO")


def issue(client: TestClient, container: Container, **overrides: Any) -> str:
    body = order(container, **overrides)
    r = client.post("/instructions", json=body, headers=issuer(body))
    assert r.status_code == 201, r.text
    instruction_id: str = r.json()["instruction_id"]
    return instruction_id


def step(client: TestClient, instruction_id: str, action: str, **body: Any) -> Any:
    payload = {"office": ADDRESSEE, **body}
    headers = as_user("medeu.1", role="prosecutor", office=payload["office"] or ADDRESSEE)
    return client.post(f"/instructions/{instruction_id}/{action}", json=payload, headers=headers)


def position(client: TestClient) -> int:
    # From the store itself: /health's figure is a background sample, seconds old.
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    return container.service.recorder.max_notification_id() or 0


def is_problem(response: Any, status: int, rule: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert (body["status"], body["rule"]) == (status, rule)
    assert body["detail"]
    return body


def listed(client: TestClient, **params: str) -> list[dict[str, Any]]:
    r = client.get("/instructions", params=params)
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()["instructions"]
    return rows


def wait_listed(client: TestClient, instruction_id: str, **expected: Any) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        for row in listed(client):
            if row["instruction_id"] == instruction_id and all(
                row[k] == v for k, v in expected.items()
            ):
                return row
        return None

    return wait_until(probe, timeout=20, what=f"{instruction_id} listed with {expected}")


def mark_overdue_cli(database_url: str, today: str) -> str:
    """`appeals instructions mark-overdue` as its own process, as cron would run it."""
    done = subprocess.run(
        [sys.executable, "-m", "infra", "instructions", "mark-overdue", "--today", today],
        env={**os.environ, "DATABASE_URL": database_url, "APPEALS_LOG_FORMAT": "console"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def marked_overdue_events(container: Container, instruction_id: str) -> int:
    events = container.service.events.get(UUID(instruction_id))
    return sum(isinstance(e, Instruction.MarkedOverdue) for e in events)


def test_issue_returns_201_and_reads_back(client: TestClient, container: Container) -> None:
    appeal = client.post(
        "/appeals",
        json={
            "channel": "law_enforcement_center",
            "office": "GPO",
            "summary": "Application",
            "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
        },
        headers=CENTER,
    ).json()["appeal_id"]
    r = client.post("/instructions", json=order(container, appeal_id=appeal), headers=CENTER)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["version"] == 1 and body["position"] == 2
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"/instructions/{body['instruction_id']}"
    got = client.get(r.headers["location"])
    assert got.headers["etag"] == '"1"'
    state = got.json()
    assert {k: state[k] for k in ("issuing_office", "addressee_office", "addressee_region")} == {
        "issuing_office": "GPO",
        "addressee_office": ADDRESSEE,
        "addressee_region": "REG-ALA",
    }
    assert (state["status"], state["issued_by"], state["appeal_id"]) == (
        "issued",
        "center.1",
        appeal,
    )
    assert (state["overdue"], state["late"], state["marked_overdue"]) == (False, False, False)
    assert state["due_on"] == due_on(container).isoformat()


def test_retried_issue_with_idempotency_key_issues_nothing_new(
    client: TestClient, container: Container
) -> None:
    headers = {**CENTER, "Idempotency-Key": "order-7"}
    first = client.post("/instructions", json=order(container), headers=headers)
    again = client.post("/instructions", json=order(container), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["instruction_id"] == first.json()["instruction_id"]
    assert again.json()["position"] is None and again.headers["idempotent-replayed"] == "true"
    other = client.post("/instructions", json=order(container, subject="Other"), headers=headers)
    is_problem(other, 422, "idempotency-key-reused")
    assert position(client) == 1


def test_lifecycle_receipt_acknowledgement_execution(
    client: TestClient, container: Container
) -> None:
    instruction_id = issue(client, container)

    received = step(client, instruction_id, "receipt")
    assert received.status_code == 200 and received.json()["version"] == 2
    # A redelivered receipt records nothing and returns the current state.
    again = step(client, instruction_id, "receipt")
    assert again.status_code == 200
    assert (again.json()["version"], again.json()["position"]) == (2, None)
    assert again.headers["idempotent-replayed"] == "true"
    assert position(client) == 2

    acknowledged = client.post(
        f"/instructions/{instruction_id}/acknowledgement",
        json={"office": ADDRESSEE},
        headers={**MEDEU, "If-Match": '"2"'},
    )
    assert acknowledged.status_code == 200 and acknowledged.headers["etag"] == '"3"'
    executed = step(client, instruction_id, "execution", report="The refusal was reversed.")
    assert executed.status_code == 200 and executed.json()["version"] == 4

    state = client.get(f"/instructions/{instruction_id}").json()
    assert state["status"] == "executed"
    assert state["report"] == "The refusal was reversed."
    assert state["received_at"] and state["acknowledged_at"] and state["executed_at"]
    assert (state["late"], state["overdue"]) == (False, False)
    row = wait_listed(client, instruction_id, status="executed")
    assert (row["version"], row["late"], row["overdue"]) == (4, False, False)
    assert row["received_at"] and row["acknowledged_at"] and row["executed_at"]


ISSUE_REFUSALS = [
    ({"issuing_office": ADDRESSEE}, 422, "issuer-not-above-addressee", "addressee_office"),
    ({"issuing_office": ADDRESSEE, "addressee_office": "REG-ALA"}, 422,
     "issuer-not-above-addressee", "addressee_office"),
    ({"issuing_office": "REG-AST"}, 422, "issuer-not-above-addressee", "addressee_office"),
    ({"addressee_office": "NOWHERE"}, 422, "unknown-office", "addressee_office"),
    ({"issuing_office": "NOWHERE"}, 422, "office-not-yours", "issuing_office"),
    ({"appeal_id": str(uuid4())}, 422, "unknown-appeal", "appeal_id"),
    ({"subject": "  "}, 422, "text-required", "subject"),
    ({"due_on": "not a date"}, 422, "date_from_datetime_parsing", "due_on"),
    ({"status": "executed"}, 422, "extra_forbidden", "status"),
]  # fmt: skip


@pytest.mark.parametrize(("overrides", "status", "rule", "field"), ISSUE_REFUSALS)
def test_refused_issue_names_the_rule_and_records_nothing(
    client: TestClient,
    container: Container,
    overrides: dict[str, Any],
    status: int,
    rule: str,
    field: str,
) -> None:
    body = order(container, **overrides)
    # The token's office is who issues; a body naming an unknown office is refused.
    headers = CENTER if body["issuing_office"] == "NOWHERE" else issuer(body)
    r = client.post("/instructions", json=body, headers=headers)
    assert is_problem(r, status, rule)["field"] == field
    assert position(client) == 0


@pytest.mark.parametrize("days", [0, -1])
def test_due_date_not_after_today_is_refused(
    client: TestClient, container: Container, days: int
) -> None:
    due = due_on(container, days).isoformat()
    r = client.post("/instructions", json=order(container, due_on=due), headers=CENTER)
    assert is_problem(r, 422, "due-date-not-after-issue")["field"] == "due_on"
    assert position(client) == 0


def test_out_of_order_and_foreign_steps_are_refused_and_record_nothing(
    client: TestClient, container: Container
) -> None:
    instruction_id = issue(client, container)
    url = f"/instructions/{instruction_id}"

    # Another district does not even see it; Medeu cannot act as another office.
    auezov = as_user("auezov.1", role="prosecutor", office="DIS-ALA-AUEZOV")
    foreign = client.post(f"{url}/receipt", json={}, headers=auezov)
    is_problem(foreign, 404, "instruction-not-found")
    posing = client.post(f"{url}/receipt", json={"office": "DIS-ALA-AUEZOV"}, headers=MEDEU)
    assert is_problem(posing, 422, "office-not-yours")["field"] == "office"
    issuer = client.post(f"{url}/receipt", json={"office": "GPO"}, headers=CENTER)
    is_problem(issuer, 422, "not-the-addressee")
    future = (container.service.clock() + timedelta(hours=1)).isoformat()
    ahead = step(client, instruction_id, "receipt", received_at=future)
    assert is_problem(ahead, 422, "receipt-in-the-future")["field"] == "received_at"
    is_problem(step(client, instruction_id, "acknowledgement"), 409, "not-yet-received")
    is_problem(
        step(client, instruction_id, "execution", report="Done"), 409, "not-yet-acknowledged"
    )
    assert position(client) == 1

    step(client, instruction_id, "receipt")
    is_problem(
        step(client, instruction_id, "execution", report="Done"), 409, "not-yet-acknowledged"
    )
    stale = client.post(
        f"{url}/acknowledgement", json={"office": ADDRESSEE}, headers={**MEDEU, "If-Match": '"1"'}
    )
    is_problem(stale, 409, "version-conflict")
    assert position(client) == 2

    step(client, instruction_id, "acknowledgement")
    is_problem(step(client, instruction_id, "acknowledgement"), 409, "already-acknowledged")
    blank = step(client, instruction_id, "execution", report="   ")
    assert is_problem(blank, 422, "report-required")["field"] == "report"
    is_problem(step(client, instruction_id, "execution", report=""), 422, "report-required")
    missing = step(client, instruction_id, "execution")
    assert is_problem(missing, 422, "missing")["field"] == "report"
    assert position(client) == 3

    step(client, instruction_id, "execution", report="Done")
    is_problem(step(client, instruction_id, "execution", report="Again"), 409, "already-executed")
    assert position(client) == 4
    assert client.get(url).json()["report"] == "Done"


def test_unknown_instruction_is_404(client: TestClient, container: Container) -> None:
    is_problem(client.get(f"/instructions/{uuid4()}"), 404, "instruction-not-found")
    is_problem(step(client, str(uuid4()), "receipt"), 404, "instruction-not-found")
    appeal = client.post(
        "/appeals",
        json={
            "channel": "written",
            "office": ADDRESSEE,
            "summary": "S",
            "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
        },
        headers=CENTER,
    ).json()["appeal_id"]
    is_problem(client.get(f"/instructions/{appeal}"), 404, "instruction-not-found")
    is_problem(client.get("/instructions/not-a-uuid"), 422, "uuid_parsing")
    signed_out = client.post("/instructions", json=order(container), headers={"Authorization": ""})
    assert is_problem(signed_out, 401, "not-authenticated")["field"] == "Authorization"
    assert position(client) == 1


def test_overdue_marking_run_twice_records_one_event(
    client: TestClient, container: Container, database_url: str
) -> None:
    open_id = issue(client, container)
    done_id = issue(client, container)
    for action in ("receipt", "acknowledgement"):
        step(client, done_id, action)
    step(client, done_id, "execution", report="Done")
    wait_listed(client, done_id, status="executed")
    wait_listed(client, open_id, status="issued")
    queries = InstructionQueries(container.pool)
    day_after = (due_on(container) + timedelta(days=1)).isoformat()
    assert queries.overdue_candidates(due_on(container)) == []
    assert queries.overdue_candidates(date.fromisoformat(day_after)) == [UUID(open_id)]

    first = mark_overdue_cli(database_url, day_after)
    assert f"1 of 1 candidates marked overdue as of {day_after}" in first
    # Run again before the read model has caught up: the candidate is stale, its own
    # events say it is marked already, and nothing more is recorded.
    second = mark_overdue_cli(database_url, day_after)
    assert "0 of" in second
    assert marked_overdue_events(container, open_id) == 1
    assert marked_overdue_events(container, done_id) == 0

    row = wait_listed(client, open_id, marked_overdue=True)
    assert row["overdue"] is True and row["status"] == "issued"
    assert queries.overdue_candidates(date.fromisoformat(day_after)) == []
    assert "0 of 0 candidates" in mark_overdue_cli(database_url, day_after)
    assert container.instructions.mark_overdue(date.fromisoformat(day_after), [UUID(open_id)]) == 0
    assert marked_overdue_events(container, open_id) == 1
    assert client.get(f"/instructions/{open_id}").json()["marked_overdue"] is True


def test_execution_after_due_date_is_recorded_late(
    client: TestClient, container: Container
) -> None:
    instruction_id = issue(client, container)
    step(client, instruction_id, "receipt")
    step(client, instruction_id, "acknowledgement")
    wait_listed(client, instruction_id, status="acknowledged")
    assert listed(client, status="overdue") == []

    later = container.service.clock() + timedelta(days=30)
    container.instructions.clock = lambda: later  # a month passes
    # Overdue as of today even before any watcher marks it.
    [row] = listed(client, status="overdue")
    assert (row["instruction_id"], row["overdue"], row["marked_overdue"]) == (
        instruction_id,
        True,
        False,
    )
    assert client.get(f"/instructions/{instruction_id}").json()["overdue"] is True

    executed = step(client, instruction_id, "execution", report="Done late")
    assert executed.status_code == 200, executed.text
    state = client.get(f"/instructions/{instruction_id}").json()
    assert (state["status"], state["late"], state["overdue"]) == ("executed", True, False)
    row = wait_listed(client, instruction_id, status="executed")
    assert (row["late"], row["overdue"]) == (True, False)
    assert listed(client, status="overdue") == []


def test_list_filters_by_addressee_region_and_status(
    client: TestClient, container: Container
) -> None:
    medeu = issue(client, container)
    auezov = issue(client, container, addressee_office="DIS-ALA-AUEZOV")
    astana = issue(client, container, addressee_office="REG-AST")
    step(client, medeu, "receipt")
    wait_listed(client, medeu, status="received")
    wait_listed(client, astana)

    def ids(**params: str) -> set[str]:
        return {row["instruction_id"] for row in listed(client, **params)}

    assert ids() == {medeu, auezov, astana}
    assert ids(addressee=ADDRESSEE) == {medeu}
    assert ids(region="REG-ALA") == {medeu, auezov}
    assert ids(region="REG-AST") == {astana}
    assert ids(status="received") == {medeu}
    assert ids(status="issued", region="REG-ALA") == {auezov}
    assert ids(status="executed") == set()
    assert len(listed(client, limit="1")) == 1
    row = next(r for r in listed(client) if r["instruction_id"] == auezov)
    assert (row["issuing_office"], row["addressee_region"], row["overdue"]) == (
        "GPO",
        "REG-ALA",
        False,
    )
    assert client.get("/instructions").json()["today"] == container.instructions.today().isoformat()

    is_problem(client.get("/instructions", params={"addressee": "NOWHERE"}), 422, "unknown-office")
    is_problem(client.get("/instructions", params={"status": "lost"}), 422, "literal_error")


def test_status_projection_is_idempotent(client: TestClient, container: Container) -> None:
    instruction_id = issue(client, container)
    for action in ("receipt", "acknowledgement"):
        step(client, instruction_id, action)
    wait_listed(client, instruction_id, status="acknowledged")
    app = container.service
    records = [
        to_record(app.mapper.to_domain_event(n), n.id)
        for n in app.recorder.select_notifications(start=1, limit=10)
    ]
    before = listed(client)
    with psycopg.connect(container.database_url) as conn:
        apply_records(conn, [InstructionStatus()], records)  # every event again, in order
        apply_records(conn, [InstructionStatus()], records[:1])
        conn.commit()
    assert listed(client) == before
    assert before[0]["status"] == "acknowledged" and before[0]["version"] == 3


def test_openapi_lists_the_operations(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/instructions"]) == {"get", "post"}
    assert {
        "/instructions/{instruction_id}",
        "/instructions/{instruction_id}/receipt",
        "/instructions/{instruction_id}/acknowledgement",
        "/instructions/{instruction_id}/execution",
    } <= set(paths)
