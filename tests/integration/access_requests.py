"""The requests the access matrix sends: a valid body for each kind of command, and the
fields a client may not set (mass assignment), with the check of a problem document."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import httpx

from domain.access import Role
from tests.integration.access_world import (
    ALA,
    ALA_DISTRICT,
    AST,
    GPO,
    PROBLEM_JSON,
    Call,
    World,
    booking,
    user,
)
from tests.support import IIN_A


def staff_schedule(w: World) -> dict[str, Any]:
    """A new schedule each call: the same official's schedules may not overlap."""
    return {
        "official": f"ala.staff.{next(w.officials)}",
        "role": "staff",
        "kind": "daily_without_appointment",
        "period_from": "2025-02-03",
        "period_to": "2025-02-07",
        "sessions": [
            {"start": f"2025-02-0{d}T09:00:00+05:00", "end": f"2025-02-0{d}T18:00:00+05:00"}
            for d in range(3, 8)
        ],
    }


def appeal_body(office: str = ALA_DISTRICT, **overrides: Any) -> dict[str, Any]:
    return {
        "channel": "written",
        "office": office,
        "summary": "No reply to my complaint about an inquiry",
        "applicant": {"iin": IIN_A, "name": "Aigerim Nurlanovna"},
        **overrides,
    }


def instruction_body(w: World, addressee: str = ALA_DISTRICT) -> dict[str, Any]:
    return {
        "addressee_office": addressee,
        "subject": "Check the appeal",
        "body": "Verify and report",
        "due_on": (w.container.service.today() + timedelta(days=30)).isoformat(),
    }


def extension_body(w: World) -> dict[str, Any]:
    due: date = w.container.service.get_appeal(UUID(w.to_extend)).due_on
    return {
        "new_due_on": (due + timedelta(days=7)).isoformat(),
        "reasons": "An expert opinion is needed",
        "approver_role": "head",
        "approver": "head.1",
    }


REVIEW = {
    "decision_ref": "Refusal to open a case",
    "result": "upheld",
    "reasons": "Lawful",
}


def is_problem(r: httpx.Response, status: int, rule: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, f"{r.status_code} {r.text}"
    assert r.headers["content-type"] == PROBLEM_JSON, r.headers
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["detail"], body
    if rule is not None:
        assert body["rule"] == rule, body
    return body


SERVER_FIELDS: dict[str, Any] = {
    "status": "closed",
    "actor": "someone.else",
    "role": "administrator",
    "region": AST,
    "version": 99,
    "position": 1,
    "received_by": "someone.else",
    "applicant_ref": "appl-forged",
    "appeal_id": "00000000-0000-0000-0000-000000000001",
}


def mass_assignment_cases(w: World) -> list[tuple[str, Call, str, dict[str, str]]]:
    """(method, call, the field set, headers) for commands sent one extra field."""
    ala_district = user(Role.SUPERVISOR, ALA_DISTRICT)
    ala = user(Role.SUPERVISOR, ALA)
    gpo = user(Role.SUPERVISOR, GPO)
    cases: list[tuple[str, Call, str, dict[str, str]]] = []
    for name, value in SERVER_FIELDS.items():
        cases.append(("POST", Call("/appeals", {**appeal_body(), name: value}), name, ala_district))
    step_fields: dict[str, tuple[dict[str, Any], str]] = {
        "assignment": ({"assignee": "pros.9", "office": ALA_DISTRICT}, "status"),
        "consultations": (
            {"specialist_role": "lawyer", "specialist": "l.1", "help": ["legal_help"]},
            "actor",
        ),
        "materials": ({"documents": ["d"]}, "version"),
        "decision": ({"outcome": "explained", "reasons": "r"}, "received_by"),
        "reopening": ({"reason": "r"}, "position"),
    }
    for path, (body, name) in step_fields.items():
        call = Call(f"/appeals/{w.appeal}/{path}", {**body, name: SERVER_FIELDS[name]})
        cases.append(("POST", call, name, ala_district))
    cases += [
        (
            "POST",
            Call(f"/appeals/{w.appeal}/reviews", {**REVIEW, "role": "supervisor"}),
            "role",
            ala,
        ),
        (
            "POST",
            Call("/instructions", {**instruction_body(w), "status": "executed"}),
            "status",
            gpo,
        ),
        (
            "POST",
            Call(f"/instructions/{w.instruction}/receipt", {"region": ALA}),
            "region",
            user(Role.PROSECUTOR, ALA_DISTRICT),
        ),
        (
            "POST",
            Call(
                "/appointments",
                {**booking(w.schedule, "2025-02-12T15:00+05:00"), "received_by": "x"},
            ),
            "received_by",
            ala,
        ),
        (
            "POST",
            Call(f"/offices/{ALA}/schedules", {**staff_schedule(w), "version": 1}),
            "version",
            ala,
        ),
        (
            "POST",
            Call(
                "/appeals",
                {**appeal_body(), "applicant": {"iin": IIN_A, "name": "N", "applicant_ref": "a"}},
            ),
            "applicant.applicant_ref",
            ala_district,
        ),
    ]
    return cases
