"""Fixtures and helpers shared by the instruction API tests (test_instructions_*.py): an
embedded container fed on real PostgreSQL, its client, valid orders and the checks of
problem details and of the instruction_status read model."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.instruction import Instruction
from infra.bootstrap import Container
from tests.support import as_user, wait_until

CENTER = as_user("center.1")
MEDEU = as_user("medeu.1", role="prosecutor", office="DIS-ALA-MEDEU")
ADDRESSEE = "DIS-ALA-MEDEU"


@pytest.fixture(name="container")
def container_fixture(make_container: Callable[..., Container]) -> Container:
    return make_container(feed=True)


@pytest.fixture(name="client")
def client_fixture(container: Container) -> Iterator[TestClient]:
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
