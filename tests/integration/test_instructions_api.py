"""Instructions over HTTP in embedded mode on real PostgreSQL: every operation and every
refusal as problem details with nothing recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from infra.bootstrap import Container
from tests.integration.instructions_api_helpers import (
    ADDRESSEE,
    CENTER,
    MEDEU,
    client_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
    due_on,
    is_problem,
    issue,
    issuer,
    order,
    position,
    step,
    wait_listed,
)
from tests.support import as_user

pytestmark = pytest.mark.postgres


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


def test_openapi_lists_the_operations(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/instructions"]) == {"get", "post"}
    assert {
        "/instructions/{instruction_id}",
        "/instructions/{instruction_id}/receipt",
        "/instructions/{instruction_id}/acknowledgement",
        "/instructions/{instruction_id}/execution",
    } <= set(paths)
