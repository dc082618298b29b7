"""The reception API on real PostgreSQL: booking, cancelling, rebooking and attending
appointments, refusing admission at the GPO, and the events they publish."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.bootstrap import Container, build
from tests.integration.reception_api_helpers import (
    CLERK,
    GPO_SCHEDULE,
    OPERATOR,
    REGIONAL_SCHEDULE,
    STAFF_SCHEDULE,
    approve,
    book,
    booking,
    client_fixture,  # noqa: F401
    clock_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
    is_problem,
    position,
    refused,
)
from tests.support import SettableClock, as_user, settings_for, wait_until

pytestmark = pytest.mark.postgres


# --- appointments -------------------------------------------------------------------------


def test_book_read_and_retry_an_appointment(client: TestClient) -> None:
    schedule_id = approve(client, "GPO", GPO_SCHEDULE)
    r = client.post("/appointments", json=booking(schedule_id), headers=OPERATOR)
    assert r.status_code == 201 and r.json()["position"] >= 1
    appointment_id = r.json()["id"]
    got = client.get(f"/appointments/{appointment_id}")
    assert got.headers["etag"] == '"1"'
    state = got.json()
    assert (state["status"], state["official"], state["office"], state["booked_by"]) == (
        "booked",
        "gpo.deputy.1",
        "GPO",
        "cc115.operator.4",
    )
    assert datetime.fromisoformat(state["ends_at"]) == datetime.fromisoformat(
        "2025-02-14T11:00:00+05:00"
    )
    before = position(client)
    again = client.post("/appointments", json=booking(schedule_id), headers=OPERATOR)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == appointment_id and again.json()["position"] is None
    assert position(client) == before
    is_problem(client.get(f"/appointments/{uuid4()}"), 404, "appointment-not-found")


@pytest.mark.parametrize(
    ("overrides", "status", "rule"),
    [
        ({"channel": "personal_reception"}, 422, "booking-channel"),
        ({"channel": "telegram"}, 422, "enum"),
        ({"matter_area": "another_body"}, 422, "outside-competence"),
        ({"matter_area": "tax"}, 422, "enum"),
        ({"within_competence": True}, 422, "extra_forbidden"),
        ({"applicant_ref": "061211600012"}, 422, "applicant-ref-pseudonymous"),
        ({"applicant_ref": "Ivanov Ivan"}, 422, "applicant-ref-pseudonymous"),
        ({"matter": " "}, 422, "text-required"),
        ({"starts_at": "2025-02-15T10:00:00+05:00"}, 422, "slot-outside-schedule"),
        ({"starts_at": "2025-02-14T10:10:00+05:00"}, 422, "slot-misaligned"),
        ({"starts_at": "2025-02-14T10:30:00"}, 422, "timezone-required"),
        ({"schedule_id": str(uuid4())}, 404, "schedule-not-found"),
    ],
)
def test_booking_breaking_a_rule_is_refused(
    client: TestClient, overrides: dict[str, Any], status: int, rule: str
) -> None:
    schedule_id = approve(client, "GPO", GPO_SCHEDULE)
    refused(
        client,
        "POST",
        "/appointments",
        status,
        rule,
        json=booking(schedule_id, **overrides),
        headers=OPERATOR,
    )


def test_the_office_directory_decides_which_matters_a_reception_takes(
    client: TestClient,
) -> None:
    competence = client.get("/offices/REG-MIL", headers=OPERATOR).json()["office"]["competence"]
    assert competence == ["military"]
    territorial = approve(client, "REG-AST", REGIONAL_SCHEDULE)
    military = approve(client, "REG-MIL", {**REGIONAL_SCHEDULE, "official": "mil.prosecutor"})
    slot = {"starts_at": "2025-02-05T15:00:00+05:00", "matter_area": "military"}
    problem = refused(
        client,
        "POST",
        "/appointments",
        422,
        "outside-office-competence",
        json=booking(territorial, **slot),
        headers=OPERATOR,
    )
    assert problem["field"] == "matter_area" and "REG-MIL" in problem["detail"]
    appointment = client.get(f"/appointments/{book(client, military, **slot)}", headers=OPERATOR)
    assert appointment.json()["matter_area"] == "military"


def test_booking_a_past_slot_or_a_staff_member_is_refused(
    client: TestClient, clock: SettableClock
) -> None:
    staff_id = approve(client, "DIS-AST-YESIL", STAFF_SCHEDULE)
    refused(
        client,
        "POST",
        "/appointments",
        422,
        "official-not-by-appointment",
        json=booking(staff_id, starts_at="2025-02-03T10:00:00+05:00"),
        headers=OPERATOR,
    )
    gpo_id = approve(client, "GPO", GPO_SCHEDULE)
    clock.now = datetime.fromisoformat("2025-02-14T11:00:00+05:00")
    refused(
        client, "POST", "/appointments", 422, "slot-in-past", json=booking(gpo_id), headers=OPERATOR
    )


def test_a_taken_slot_is_a_conflict_and_the_first_booking_stands(client: TestClient) -> None:
    schedule_id = approve(client, "GPO", GPO_SCHEDULE)
    appointment_id = book(client, schedule_id)
    body = refused(
        client,
        "POST",
        "/appointments",
        409,
        "slot-taken",
        json=booking(schedule_id, applicant_ref="other-9", channel="written"),
        headers=OPERATOR,
    )
    assert body["field"] == "starts_at"
    assert client.get(f"/appointments/{appointment_id}").json()["applicant_ref"] == "applicant-7f3a"


def test_concurrent_bookings_of_one_slot_give_one_appointment(
    client: TestClient, database_url: str
) -> None:
    schedule_id = approve(client, "GPO", GPO_SCHEDULE)
    # A second API process on the same database, as when the API is scaled out.
    other = build(settings_for(database_url))
    other.reception.clock = client.app.state.container.reception.clock
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def attempt(n: int) -> None:
        c = TestClient(
            create_app(other if n % 2 else client.app.state.container), headers=as_user()
        )
        barrier.wait()
        r = c.post(
            "/appointments",
            json=booking(schedule_id, applicant_ref=f"racer-{n}"),
            headers=OPERATOR,
        )
        statuses.append(r.status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        other.close()
    assert sorted(statuses) == [201] + [409] * 7
    appointment_id = client.get("/offices/GPO/schedules").json()[0]["schedule_id"]
    assert appointment_id == schedule_id


def test_cancel_then_rebook_then_attend(client: TestClient, clock: SettableClock) -> None:
    schedule_id = approve(client, "GPO", GPO_SCHEDULE)
    appointment_id = book(client, schedule_id)
    url = f"/appointments/{appointment_id}"
    r = client.post(
        f"{url}/cancellation",
        json={"reason": "The applicant is ill"},
        headers={**OPERATOR, "If-Match": '"1"'},
    )
    assert r.status_code == 200 and r.headers["etag"] == '"2"'
    assert client.get(url).json()["status"] == "cancelled"
    refused(
        client,
        "POST",
        f"{url}/cancellation",
        409,
        "appointment-not-booked",
        json={"reason": "again"},
        headers=OPERATOR,
    )
    assert book(client, schedule_id, applicant_ref="next-1") == appointment_id
    state = client.get(url).json()
    assert (state["status"], state["applicant_ref"], state["booking"], state["version"]) == (
        "booked",
        "next-1",
        2,
        3,
    )
    refused(client, "POST", f"{url}/attendance", 409, "slot-not-started", headers=CLERK)
    refused(
        client,
        "POST",
        f"{url}/cancellation",
        422,
        "text-required",
        json={"reason": ""},
        headers=OPERATOR,
    )
    clock.now = datetime.fromisoformat("2025-02-14T10:35:00+05:00")
    refused(
        client,
        "POST",
        f"{url}/cancellation",
        409,
        "slot-started",
        json={"reason": "late"},
        headers=OPERATOR,
    )
    refused(
        client,
        "POST",
        f"{url}/attendance",
        409,
        "version-conflict",
        headers={**CLERK, "If-Match": '"2"'},
    )
    r = client.post(f"{url}/attendance", headers=as_user("gpo.deputy.1", **{"If-Match": '"3"'}))
    assert r.status_code == 200 and r.json()["version"] == 4
    assert client.get(url).json()["status"] == "attended"
    refused(client, "POST", f"{url}/attendance", 409, "appointment-not-booked", headers=CLERK)
    refused(
        client,
        "POST",
        f"/appointments/{uuid4()}/attendance",
        404,
        "appointment-not-found",
        headers=CLERK,
    )


def test_admission_to_a_gpo_reception_refused_on_a_ground(client: TestClient) -> None:
    schedule_id = approve(client, "GPO", GPO_SCHEDULE)
    appointment_id = book(client, schedule_id)
    url = f"/appointments/{appointment_id}/admission-refusal"
    refusal = {"ground": "court_competence", "reasons": "The criminal case was sent to court."}
    for body, status, rule in [
        ({**refusal, "ground": "dislike"}, 422, "admission-refusal-ground"),
        ({**refusal, "reasons": "  "}, 422, "admission-refusal-reasons"),
        ({"ground": "court_competence"}, 422, "missing"),
    ]:
        refused(client, "POST", url, status, rule, json=body, headers=CLERK)
    refused(
        client,
        "POST",
        url,
        409,
        "version-conflict",
        json=refusal,
        headers={**CLERK, "If-Match": '"7"'},
    )
    r = client.post(url, json=refusal, headers={**CLERK, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    state = client.get(f"/appointments/{appointment_id}").json()
    assert (state["status"], state["refusal_ground"], state["refusal_reasons"]) == (
        "admission_refused",
        "court_competence",
        "The criminal case was sent to court.",
    )
    refused(client, "POST", url, 409, "appointment-not-booked", json=refusal, headers=CLERK)

    regional_id = approve(client, "REG-AST", REGIONAL_SCHEDULE)
    regional_appointment = book(client, regional_id, starts_at="2025-02-05T15:00:00+05:00")
    refused(
        client,
        "POST",
        f"/appointments/{regional_appointment}/admission-refusal",
        422,
        "admission-refusal-gpo-only",
        json={**refusal, "ground": "already_received_or_answered"},
        headers=CLERK,
    )


def test_reception_events_flow_through_the_embedded_feed(
    client: TestClient, container: Container
) -> None:
    schedule_id = approve(client, "GPO", GPO_SCHEDULE)
    book(client, schedule_id)
    head = position(client)

    def caught_up() -> bool:
        report = client.get("/health").json()
        return report["projections"]["eventstore"]["position"] == head

    wait_until(caught_up, timeout=20, what="the feed to pass the reception events")
    assert client.get("/health").status_code == 200


def test_openapi_lists_the_reception_operations(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/offices",
        "/offices/{code}",
        "/offices/{code}/schedules",
        "/offices/{code}/schedules/{schedule_id}",
        "/offices/{code}/schedules/{schedule_id}/delegation",
        "/appointments",
        "/appointments/{appointment_id}",
        "/appointments/{appointment_id}/admission-refusal",
        "/appointments/{appointment_id}/cancellation",
        "/appointments/{appointment_id}/attendance",
    } <= set(paths)
