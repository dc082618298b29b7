"""Instructions over HTTP in embedded mode on real PostgreSQL: the overdue marking, late
execution and the instruction_status read model with its list and filters."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient

from consumers.apply import apply_records
from infra.bootstrap import Container
from infra.contract.envelope import to_record
from projections.instructions import InstructionQueries, InstructionStatus
from tests.integration.instructions_api_helpers import (
    ADDRESSEE,
    client_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
    due_on,
    is_problem,
    issue,
    listed,
    mark_overdue_cli,
    marked_overdue_events,
    step,
    wait_listed,
)

pytestmark = pytest.mark.postgres


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
