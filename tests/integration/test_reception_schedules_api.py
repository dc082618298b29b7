"""The reception API on real PostgreSQL: offices in their hierarchy, reception schedules
and their rules, and delegation of a session to a deputy."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.reception_api_helpers import (
    CLERK,
    GPO_SCHEDULE,
    REGIONAL_SCHEDULE,
    STAFF_SCHEDULE,
    approve,
    book,
    client_fixture,  # noqa: F401
    clock_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
    is_problem,
    refused,
)
from tests.support import SettableClock, as_user

pytestmark = pytest.mark.postgres


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


HR = as_user("hr.ast", "administrator", "REG-AST")


def put_on_staff(client: TestClient, staff_id: str, position: str) -> None:
    r = client.put(f"/offices/REG-AST/staff/{staff_id}", json={"position": position}, headers=HR)
    assert r.status_code == 200, r.text


def test_delegating_a_session_to_a_deputy(client: TestClient) -> None:
    schedule_id = approve(client, "REG-AST", REGIONAL_SCHEDULE)
    url = f"/offices/REG-AST/schedules/{schedule_id}/delegation"
    # The deputy comes from the office's staff list, not from free text.
    problem = refused(
        client,
        "POST",
        url,
        422,
        "deputy-not-on-staff",
        json={"session": 2, "deputy": "ast.deputy.1"},
        headers=as_user("ast.prosecutor"),
    )
    assert problem["field"] == "deputy"
    put_on_staff(client, "ast.deputy.1", "deputy_regional_prosecutor")
    put_on_staff(client, "ast.deputy.2", "deputy_regional_prosecutor")
    put_on_staff(client, "ast.clerk.1", "staff")
    listed = client.get("/offices/REG-AST/staff", headers=HR).json()
    assert {m["staff_id"]: m["position"] for m in listed} == {
        "ast.clerk.1": "staff",
        "ast.deputy.1": "deputy_regional_prosecutor",
        "ast.deputy.2": "deputy_regional_prosecutor",
    }
    refused(
        client,
        "POST",
        url,
        422,
        "deputy-not-on-staff",
        json={"session": 2, "deputy": "ast.clerk.1"},
        headers=as_user("ast.prosecutor"),
    )
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
        json={"session": 9, "deputy": "ast.deputy.2"},
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
    put_on_staff(client, "ast.deputy.1", "deputy_regional_prosecutor")
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
