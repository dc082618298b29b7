"""Fixtures and helpers of the reception API tests: a container whose reception clock
stands before the timetable, a client, and checks that refusals record nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.bootstrap import Container
from tests.support import SettableClock, as_user

CLERK = as_user("gpo.secretariat")
OPERATOR = as_user("cc115.operator.4")


@pytest.fixture(name="container")
def container_fixture(make_container: Callable[..., Container]) -> Container:
    container = make_container()
    container.reception.clock = SettableClock(datetime.fromisoformat("2025-01-10T12:00:00+05:00"))
    container.start_feed()
    return container


@pytest.fixture(name="clock")
def clock_fixture(container: Container) -> SettableClock:
    clock = container.reception.clock
    assert isinstance(clock, SettableClock)
    return clock


@pytest.fixture(name="client")
def client_fixture(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), headers=as_user()) as c:
        yield c


def is_problem(response: Any, status: int, rule: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert (body["status"], body["rule"]) == (status, rule), body
    assert body["detail"]
    return body


def position(client: TestClient) -> int:
    # From the store itself: /health's figure is a background sample, seconds old.
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    return container.service.recorder.max_notification_id() or 0


def refused(
    client: TestClient, method: str, url: str, status: int, rule: str, **kwargs: Any
) -> dict[str, Any]:
    """Send a command that must be refused on ``rule`` and check nothing was recorded."""
    before = position(client)
    body = is_problem(client.request(method, url, **kwargs), status, rule)
    assert position(client) == before
    return body


GPO_SCHEDULE = {
    "official": "gpo.deputy.1",
    "role": "deputy_prosecutor_general",
    "kind": "by_appointment",
    "period_from": "2025-02-01",
    "period_to": "2025-03-31",
    "slot_minutes": 30,
    "sessions": [
        {"start": "2025-02-14T10:00:00+05:00", "end": "2025-02-14T12:00:00+05:00"},
        {"start": "2025-03-14T10:00:00+05:00", "end": "2025-03-14T12:00:00+05:00"},
    ],
}
REGIONAL_SCHEDULE = {
    "official": "ast.prosecutor",
    "role": "regional_prosecutor",
    "kind": "by_appointment",
    "period_from": "2025-02-03",
    "period_to": "2025-02-16",
    "sessions": [
        {"start": "2025-02-05T15:00:00+05:00", "end": "2025-02-05T17:00:00+05:00"},
        {"start": "2025-02-12T15:00:00+05:00", "end": "2025-02-12T17:00:00+05:00"},
    ],
}
STAFF_SCHEDULE = {
    "official": "yesil.staff.1",
    "role": "staff",
    "kind": "daily_without_appointment",
    "period_from": "2025-02-03",
    "period_to": "2025-02-09",
    "sessions": [
        {"start": f"2025-02-0{d}T09:00:00+05:00", "end": f"2025-02-0{d}T18:30:00+05:00"}
        for d in range(3, 8)
    ],
}
SLOT = "2025-02-14T10:30:00+05:00"


def approve(client: TestClient, office: str, body: dict[str, Any]) -> str:
    r = client.post(f"/offices/{office}/schedules", json=body, headers=CLERK)
    assert r.status_code == 201, r.text
    schedule_id: str = r.json()["id"]
    assert r.headers["location"] == f"/offices/{office}/schedules/{schedule_id}"
    assert r.headers["etag"] == '"1"'
    return schedule_id


def booking(schedule: str, **overrides: Any) -> dict[str, Any]:
    return {
        "schedule_id": schedule,
        "starts_at": SLOT,
        "applicant_ref": "applicant-7f3a",
        "channel": "call_centre_115",
        "matter": "Inaction of the investigator in case 123",
        "matter_area": "pretrial_investigation",
        **overrides,
    }


def book(client: TestClient, schedule_id: str, **overrides: Any) -> str:
    r = client.post("/appointments", json=booking(schedule_id, **overrides), headers=OPERATOR)
    assert r.status_code == 201, r.text
    appointment_id: str = r.json()["id"]
    assert r.headers["location"] == f"/appointments/{appointment_id}"
    return appointment_id
