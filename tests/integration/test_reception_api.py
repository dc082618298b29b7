"""The reception operations over HTTP, embedded mode on real PostgreSQL: every operation,
and every refused case as problem+json naming the rule, with nothing recorded."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.bootstrap import Container, build
from tests.support import SettableClock, as_user, settings_for, wait_until

pytestmark = pytest.mark.postgres

CLERK = as_user("gpo.secretariat")
OPERATOR = as_user("cc115.operator.4")


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    container = make_container()
    container.reception.clock = SettableClock(datetime.fromisoformat("2025-01-10T12:00:00+05:00"))
    container.start_feed()
    return container


@pytest.fixture
def clock(container: Container) -> SettableClock:
    clock = container.reception.clock
    assert isinstance(clock, SettableClock)
    return clock


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
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
        "within_competence": True,
        **overrides,
    }


def book(client: TestClient, schedule_id: str, **overrides: Any) -> str:
    r = client.post("/appointments", json=booking(schedule_id, **overrides), headers=OPERATOR)
    assert r.status_code == 201, r.text
    appointment_id: str = r.json()["id"]
    assert r.headers["location"] == f"/appointments/{appointment_id}"
    return appointment_id


# --- offices ------------------------------------------------------------------------------


def test_offices_in_their_hierarchy(client: TestClient) -> None:
    everything = client.get("/offices").json()
    assert {o["code"] for o in everything} >= {"GPO", "REG-AST", "DIS-AST-YESIL"}
    astana = client.get("/offices", params={"under": "REG-AST"}).json()
    assert {o["code"] for o in astana} == {
        "REG-AST",
        "DIS-AST-ALMATY-D",
        "DIS-AST-YESIL",
        "DIS-AST-SARYARKA",
        "DIS-AST-BAIKONUR",
    }
    detail = client.get("/offices/REG-AST").json()
    assert detail["office"]["level"] == "regional"
    assert detail["parent"]["code"] == "GPO"
    assert "DIS-AST-YESIL" in {c["code"] for c in detail["children"]}
    assert client.get("/offices/GPO").json()["parent"] is None
    is_problem(client.get("/offices/NOWHERE"), 404, "office-not-found")
    body = is_problem(client.get("/offices", params={"under": "NOWHERE"}), 422, "unknown-office")
    assert body["field"] == "under"


# --- schedules ----------------------------------------------------------------------------


def test_approve_list_and_read_schedules(client: TestClient) -> None:
    gpo_id = approve(client, "GPO", GPO_SCHEDULE)
    approve(client, "DIS-AST-YESIL", STAFF_SCHEDULE)
    listed = client.get("/offices/GPO/schedules").json()
    assert [s["schedule_id"] for s in listed] == [gpo_id]
    r = client.get(f"/offices/GPO/schedules/{gpo_id}")
    assert r.headers["etag"] == '"1"'
    schedule = r.json()
    assert (schedule["official"], schedule["rule_set"], schedule["approved_by"]) == (
        "gpo.deputy.1",
        "gpo-order-29-2023",
        "gpo.secretariat",
    )
    assert [s["number"] for s in schedule["sessions"]] == [1, 2]
    is_problem(client.get(f"/offices/REG-AST/schedules/{gpo_id}"), 404, "schedule-not-found")
    is_problem(client.get("/offices/NOWHERE/schedules"), 404, "office-not-found")


def sessions(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"start": s, "end": e} for s, e in pairs]


@pytest.mark.parametrize(
    ("office", "body", "status", "rule"),
    [
        (
            "GPO",
            {**GPO_SCHEDULE, "sessions": GPO_SCHEDULE["sessions"][:1]},
            422,
            "gpo-monthly-reception",
        ),
        (
            "REG-AST",
            {**REGIONAL_SCHEDULE, "sessions": REGIONAL_SCHEDULE["sessions"][1:]},
            422,
            "regional-weekly-reception",
        ),
        (
            "DIS-AST-YESIL",
            {**STAFF_SCHEDULE, "sessions": STAFF_SCHEDULE["sessions"][:4]},
            422,
            "daily-reception",
        ),
        (
            "DIS-AST-YESIL",
            {
                **STAFF_SCHEDULE,
                "sessions": [
                    {"start": "2025-02-03T08:00:00+05:00", "end": "2025-02-03T12:00:00+05:00"},
                    *STAFF_SCHEDULE["sessions"][1:],
                ],
            },
            422,
            "reception-hours",
        ),
        ("REG-AST", GPO_SCHEDULE, 422, "role-office-level"),
        (
            "DIS-AST-YESIL",
            {**STAFF_SCHEDULE, "kind": "by_appointment"},
            422,
            "reception-kind-for-role",
        ),
        (
            "REG-AST",
            {**REGIONAL_SCHEDULE, "role": "duty_prosecutor", "kind": "facility_duty"},
            422,
            "facility-required",
        ),
        ("GPO", {**GPO_SCHEDULE, "facility_type": "guardhouse"}, 422, "facility-only-for-duty"),
        ("GPO", {**GPO_SCHEDULE, "period_to": "2025-01-01"}, 422, "invalid-period"),
        ("GPO", {**GPO_SCHEDULE, "sessions": []}, 422, "no-sessions"),
        ("GPO", {**GPO_SCHEDULE, "slot_minutes": 1}, 422, "invalid-slot-length"),
        (
            "GPO",
            {**GPO_SCHEDULE, "sessions": sessions(("2025-02-14T10:00:00", "2025-02-14T11:00:00"))},
            422,
            "timezone-required",
        ),
        (
            "GPO",
            {
                **GPO_SCHEDULE,
                "sessions": [
                    *GPO_SCHEDULE["sessions"],
                    {"start": "2025-02-14T11:30:00+05:00", "end": "2025-02-14T12:30:00+05:00"},
                ],
            },
            422,
            "sessions-overlap",
        ),
        ("GPO", {**GPO_SCHEDULE, "role": "chief"}, 422, "enum"),
        ("GPO", {**GPO_SCHEDULE, "approved": True}, 422, "extra_forbidden"),
        ("NOWHERE", GPO_SCHEDULE, 404, "office-not-found"),
    ],
)
def test_schedule_breaking_a_rule_is_refused(
    client: TestClient, office: str, body: dict[str, Any], status: int, rule: str
) -> None:
    refused(client, "POST", f"/offices/{office}/schedules", status, rule, json=body, headers=CLERK)
    assert client.get("/offices/GPO/schedules").json() == []


def test_overlapping_schedule_of_the_same_official_is_a_conflict(client: TestClient) -> None:
    approve(client, "GPO", GPO_SCHEDULE)
    refused(
        client,
        "POST",
        "/offices/GPO/schedules",
        409,
        "schedule-overlap",
        json=GPO_SCHEDULE,
        headers=CLERK,
    )


def test_signed_out_user_is_refused(client: TestClient) -> None:
    body = refused(
        client,
        "POST",
        "/offices/GPO/schedules",
        401,
        "not-authenticated",
        json=GPO_SCHEDULE,
        headers={"Authorization": ""},
    )
    assert body["field"] == "Authorization"


# --- delegation ---------------------------------------------------------------------------


def test_delegating_a_session_to_a_deputy(client: TestClient) -> None:
    schedule_id = approve(client, "REG-AST", REGIONAL_SCHEDULE)
    url = f"/offices/REG-AST/schedules/{schedule_id}/delegation"
    r = client.post(
        url,
        json={"session": 2, "deputy": "ast.deputy.1"},
        headers=as_user("ast.prosecutor", **{"If-Match": '"1"'}),
    )
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == '"2"'
    schedule = client.get(f"/offices/REG-AST/schedules/{schedule_id}").json()
    assert [s["delegate"] for s in schedule["sessions"]] == [None, "ast.deputy.1"]
    appointment_id = book(client, schedule_id, starts_at="2025-02-12T16:00:00+05:00")
    assert client.get(f"/appointments/{appointment_id}").json()["received_by"] == "ast.deputy.1"

    headers = as_user("ast.prosecutor")
    refused(
        client,
        "POST",
        url,
        409,
        "version-conflict",
        json={"session": 1, "deputy": "ast.deputy.2"},
        headers={**headers, "If-Match": '"1"'},
    )
    refused(
        client,
        "POST",
        url,
        409,
        "already-delegated",
        json={"session": 2, "deputy": "ast.deputy.1"},
        headers=headers,
    )
    refused(
        client,
        "POST",
        url,
        422,
        "unknown-session",
        json={"session": 9, "deputy": "d"},
        headers=headers,
    )
    refused(
        client,
        "POST",
        url,
        422,
        "invalid-deputy",
        json={"session": 1, "deputy": "ast.prosecutor"},
        headers=headers,
    )
    refused(
        client,
        "POST",
        f"/offices/GPO/schedules/{schedule_id}/delegation",
        404,
        "schedule-not-found",
        json={"session": 1, "deputy": "d"},
        headers=headers,
    )


def test_only_a_regional_prosecutor_delegates(client: TestClient, clock: SettableClock) -> None:
    gpo_id = approve(client, "GPO", GPO_SCHEDULE)
    refused(
        client,
        "POST",
        f"/offices/GPO/schedules/{gpo_id}/delegation",
        422,
        "delegation-regional-prosecutor-only",
        json={"session": 1, "deputy": "gpo.deputy.2"},
        headers=CLERK,
    )
    regional_id = approve(client, "REG-AST", REGIONAL_SCHEDULE)
    clock.now = datetime.fromisoformat("2025-02-06T09:00:00+05:00")
    refused(
        client,
        "POST",
        f"/offices/REG-AST/schedules/{regional_id}/delegation",
        409,
        "session-in-past",
        json={"session": 1, "deputy": "ast.deputy.1"},
        headers=CLERK,
    )


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
        ({"within_competence": False}, 422, "outside-competence"),
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
