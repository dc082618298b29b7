"""The steps of considering an appeal over HTTP (assignment, consultations, materials,
redirection, extension, suspension and notices), in embedded mode on real PostgreSQL: the
happy path and every refusal (409 or 422 problem details naming the rule and the field) with
nothing recorded, time-dependent rules using appeals received in the past, never a moved
clock."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.calendar import add_months
from infra.bootstrap import Container
from tests.integration.appeal_api_fixtures import (
    _extension,
    api_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
    days,
)
from tests.integration.appeal_api_helpers import (
    DISTRICT,
    REGION,
    STEP_BODIES,
    AppealApi,
)
from tests.support import as_user

pytestmark = pytest.mark.postgres


# --- /assignment ---------------------------------------------------------------------------


def test_assignment_and_reassignment(api: AppealApi) -> None:
    appeal_id = api.receive()
    state = api.step(appeal_id, "assignment", {"assignee": "pros.1", "office": DISTRICT})
    assert state["status"] == "in_progress"
    assert (state["assignee"], state["office"], state["receiving_office"]) == (
        "pros.1",
        DISTRICT,
        REGION,
    )
    # Any office within the receiving office is competent, the receiving office too.
    state = api.step(appeal_id, "assignment", {"assignee": "pros.2", "office": "DIS-ALA-ALMALY"})
    assert (state["assignee"], state["office"]) == ("pros.2", "DIS-ALA-ALMALY")
    state = api.step(appeal_id, "assignment", {"assignee": "pros.2", "office": REGION})
    assert (state["assignee"], state["office"], state["status"]) == (
        "pros.2",
        REGION,
        "in_progress",
    )
    data = [e["data"] for e in api.history(appeal_id, 4)[1:]]
    assert [d["previous_assignee"] for d in data] == [None, "pros.1", "pros.2"]


def test_assignment_refusals(api: AppealApi) -> None:
    appeal_id = api.assigned(DISTRICT)
    refuse = api.refuse
    # The registrar of the receiving office routes within it; the domain's own rule
    # (office-not-competent) is tested in tests/unit.
    for office in ("REG-AST", "GPO", "DIS-AST-YESIL"):
        body = {"assignee": "pros.9", "office": office}
        refuse(appeal_id, "assignment", body, 422, "office-out-of-scope", "office")
    refuse(
        appeal_id,
        "assignment",
        {"assignee": "p", "office": "NOPE"},
        422,
        "unknown-office",
        "office",
    )
    same = {"assignee": "pros.1", "office": DISTRICT}
    refuse(appeal_id, "assignment", same, 409, "already-assigned", "assignee")
    blank = {"assignee": "   ", "office": DISTRICT}
    refuse(appeal_id, "assignment", blank, 422, "text-required", "assignee")
    missing = {"assignee": "pros.1"}
    refuse(appeal_id, "assignment", missing, 422, "missing", "office")
    good = STEP_BODIES["assignment"]
    refuse(api.anonymous(), "assignment", good, 409, "appeal-not-open")
    refuse(api.redirected(), "assignment", good, 409, "appeal-not-open")
    refuse(api.decided(), "assignment", good, 409, "appeal-not-open")
    refuse(api.closed(), "assignment", good, 409, "appeal-closed")


# --- /consultations ----------------------------------------------------------------------


def test_consultations_accumulate_the_help_given(api: AppealApi) -> None:
    appeal_id = api.receive()  # help is given before assignment too
    state = api.step(
        appeal_id,
        "consultations",
        {
            "specialist_role": "psychologist",
            "specialist": "psy.1",
            "help": ["psychological_help", "legal_help"],
            "note": "First visit",
        },
    )
    assert state["help_given"] == ["legal_help", "psychological_help"]
    assert state["status"] == "received"
    state = api.step(
        appeal_id,
        "consultations",
        {"specialist_role": "mediator", "specialist": "med.1", "help": ["mediation", "legal_help"]},
    )
    assert state["help_given"] == ["legal_help", "mediation", "psychological_help"]
    consulted = api.history(appeal_id, 3)[1]
    assert consulted["data"] == {
        "specialist_role": "psychologist",
        "help": ["psychological_help", "legal_help"],
    }


def test_consultation_refusals(api: AppealApi) -> None:
    appeal_id = api.assigned()
    good = STEP_BODIES["consultations"] or {}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"help": ["legal_help", "legal_help"]}, "help-kinds", "help"),
        ({"help": []}, "too_short", "help"),
        ({"help": ["moral_support"]}, "literal_error", "help.0"),
        ({"specialist_role": "priest"}, "literal_error", "specialist_role"),
        ({"specialist": "  "}, "text-required", "specialist"),
        ({"note": "   "}, "text-required", "note"),
    ]
    for overrides, rule, field in cases:
        api.refuse(appeal_id, "consultations", {**good, **overrides}, 422, rule, field)
    api.refuse(api.redirected(), "consultations", good, 409, "appeal-not-open")
    api.refuse(api.pending_explanation(), "consultations", good, 409, "appeal-not-open")
    api.refuse(api.closed(), "consultations", good, 409, "appeal-closed")


# --- /materials --------------------------------------------------------------------------


def test_materials_are_added(api: AppealApi) -> None:
    appeal_id = api.assigned()
    state = api.step(appeal_id, "materials", {"documents": ["scan-1", "scan-2"]})
    assert state["status"] == "in_progress"
    api.step(appeal_id, "materials", {"documents": ["report"], "by_applicant": False})
    data = [e["data"] for e in api.history(appeal_id, 4)[2:]]
    assert data == [
        {"documents_count": 2, "by_applicant": True},
        {"documents_count": 1, "by_applicant": False},
    ]


def test_materials_refusals(api: AppealApi) -> None:
    appeal_id = api.assigned()
    api.refuse(appeal_id, "materials", {"documents": []}, 422, "too_short", "documents")
    api.refuse(appeal_id, "materials", {"documents": ["  "]}, 422, "text-required", "documents")
    too_long = {"documents": ["x" * 501]}
    api.refuse(appeal_id, "materials", too_long, 422, "text-too-long", "documents")
    api.refuse(appeal_id, "materials", {}, 422, "missing", "documents")
    good = STEP_BODIES["materials"]
    api.refuse(api.decided(), "materials", good, 409, "appeal-not-open")
    api.refuse(api.anonymous(), "materials", good, 409, "appeal-not-open")
    api.refuse(api.closed(), "materials", good, 409, "appeal-closed")


# --- /redirection ------------------------------------------------------------------------


def test_redirection_in_time(api: AppealApi) -> None:
    appeal_id = api.receive()
    state = api.step(
        appeal_id,
        "redirection",
        {"agency": "Ministry of Labour", "egov_reference": "EGOV-42", "applicant_notified": True},
    )
    assert state["status"] == "redirected"
    assert api.history(appeal_id, 2)[1]["data"] == {
        "agency": "Ministry of Labour",
        "egov_reference": "EGOV-42",
        "applicant_notified": True,
        "working_days_taken": 0,
        "late": False,
        "urgent": False,
    }


def test_redirection_after_three_working_days_is_late(api: AppealApi) -> None:
    appeal_id = api.assigned(received_on=(api.today() - days(14)).isoformat())
    state = api.step(appeal_id, "redirection", STEP_BODIES["redirection"])
    assert state["status"] == "redirected"
    data = api.history(appeal_id, 3)[2]["data"]
    assert data["late"] is True and data["working_days_taken"] > 3 and data["urgent"] is False


def test_redirection_refusals(api: AppealApi) -> None:
    appeal_id = api.assigned()
    good = STEP_BODIES["redirection"] or {}
    not_told = {**good, "applicant_notified": False}
    api.refuse(
        appeal_id, "redirection", not_told, 422, "applicant-not-notified", "applicant_notified"
    )
    api.refuse(appeal_id, "redirection", {"agency": "X"}, 422, "missing", "applicant_notified")
    blank = {**good, "agency": "  "}
    api.refuse(appeal_id, "redirection", blank, 422, "text-required", "agency")
    api.refuse(api.redirected(), "redirection", good, 409, "appeal-not-open")
    api.refuse(api.anonymous(), "redirection", good, 409, "appeal-not-open")
    api.refuse(api.decided(), "redirection", good, 409, "appeal-not-open")
    api.refuse(api.closed(), "redirection", good, 409, "appeal-not-open")


# --- /extension --------------------------------------------------------------------------


def test_extension_moves_the_due_date(api: AppealApi) -> None:
    appeal_id = api.assigned()
    due = date.fromisoformat(api.state(appeal_id)["due_on"])
    state = api.step(appeal_id, "extension", _extension(due + days(7)))
    assert state["due_on"] == (due + days(7)).isoformat()
    assert state["status"] == "in_progress"
    # A second extension may reach two calendar months beyond the original period.
    limit = add_months(due, 2)
    state = api.step(appeal_id, "extension", _extension(limit, approver_role="deputy_head"))
    assert state["due_on"] == limit.isoformat()
    data = [e["data"] for e in api.history(appeal_id, 4)[2:]]
    assert data[0] == {
        "new_due_on": (due + days(7)).isoformat(),
        "approver_role": "head",
        "applicant_notified_on": api.today().isoformat(),
        "notice_late": False,
    }
    assert data[1]["approver_role"] == "deputy_head"


def test_extension_notice_after_three_working_days_is_late(api: AppealApi) -> None:
    appeal_id = api.assigned()
    due = date.fromisoformat(api.state(appeal_id)["due_on"])
    notified = api.today() + days(14)
    api.step(
        appeal_id,
        "extension",
        _extension(due + days(7), applicant_notified_on=notified.isoformat()),
    )
    data = api.history(appeal_id, 3)[2]["data"]
    assert data["notice_late"] is True and data["applicant_notified_on"] == notified.isoformat()


def test_extension_refusals(api: AppealApi) -> None:
    appeal_id = api.assigned()
    due = date.fromisoformat(api.state(appeal_id)["due_on"])
    limit = add_months(due, 2)
    yesterday = (api.today() - days(1)).isoformat()
    cases: list[tuple[dict[str, Any], str, str]] = [
        (_extension(due), "extension-not-later", "new_due_on"),
        (_extension(due - days(1)), "extension-not-later", "new_due_on"),
        (_extension(limit + days(1)), "extension-too-long", "new_due_on"),
        (
            _extension(due + days(7), applicant_notified_on=yesterday),
            "notice-before-extension",
            "applicant_notified_on",
        ),
        (_extension(due + days(7), approver_role="prosecutor"), "literal_error", "approver_role"),
        (_extension(due + days(7), reasons="   "), "text-required", "reasons"),
        (_extension(due + days(7), approver="   "), "text-required", "approver"),
    ]
    for body, rule, field in cases:
        api.refuse(appeal_id, "extension", body, 422, rule, field)
    far = _extension(date(2099, 1, 1))
    overdue = api.assigned(received_on=(api.today() - days(40)).isoformat())
    api.refuse(overdue, "extension", far, 409, "extension-after-deadline")
    api.refuse(api.decided(), "extension", far, 409, "appeal-not-open")
    api.refuse(api.anonymous(), "extension", far, 409, "appeal-not-open")
    api.refuse(api.closed(), "extension", far, 409, "appeal-closed")


# --- /suspension and /resumption -----------------------------------------------------------


def test_a_suspended_term_is_not_overdue_and_moves_on_resumption(api: AppealApi) -> None:
    # Received 30 days ago: overdue, until its term stands still.
    received_on = (api.today() - days(30)).isoformat()
    appeal_id = api.assigned(DISTRICT, received_on=received_on)
    api.refuse(
        appeal_id,
        "suspension",
        {"reason": "awaiting_materials", "note": "n"},
        409,
        "term-ended",
    )
    fresh = api.assigned(DISTRICT)
    state = api.step(fresh, "suspension", {"reason": "awaiting_materials", "note": "Police file"})
    due = state["due_on"]
    api.refuse(fresh, "decision", {"outcome": "explained", "reasons": "r"}, 409, "term-suspended")
    api.refuse(
        fresh, "suspension", {"reason": "holiday", "note": "n"}, 422, "literal_error", "reason"
    )
    state = api.step(fresh, "resumption")
    assert state["due_on"] >= due  # the same day when resumed on the day it stopped
    events = api.history(fresh, 4)
    assert [e["type"].removeprefix("appeals.appeal.") for e in events[2:]] == [
        "term_suspended",
        "term_resumed",
    ]
    assert events[3]["data"]["working_days_suspended"] == 0
    api.refuse(fresh, "resumption", None, 409, "term-not-suspended")


# --- /notices ------------------------------------------------------------------------------


def test_notices_are_recorded_and_an_overdue_one_shows_in_the_register(
    api: AppealApi, container: Container
) -> None:
    from tests.support import wait_until

    # Received 30 days ago: its receipt notice is long overdue.
    old = api.receive(received_on=(api.today() - days(30)).isoformat())
    fresh = api.receive()
    reg = as_user("reg.ala", "registrar", REGION)
    r = api.client.post(
        f"/appeals/{fresh}/notices", json={"kind": "receipt", "channel": "sms"}, headers=reg
    )
    assert r.status_code == 200, r.text
    api.history(old, 1)  # the read models (the watcher's register) have it
    watched = container.deadline_watcher().run_once()
    assert watched.notices_marked_overdue >= 1
    # Received 30 days ago: deemed refused too, then its receipt notice marked overdue.
    events = api.history(old, 3)
    assert events[2]["type"] == "appeals.appeal.notice_overdue"
    assert events[2]["data"]["kind"] == "receipt" and events[2]["actor"] == "system:deadlines"

    def register_row(appeal_id: str) -> dict[str, Any] | None:
        items = api.client.get("/appeals", params={"limit": 200}).json()["items"]
        return next((i for i in items if i["appeal_id"] == appeal_id), None)

    row = wait_until(lambda: (r := register_row(old)) and r["notices_overdue"] and r, timeout=20)
    assert row["notices_overdue"] == ["receipt"]
    assert register_row(fresh)["notices_overdue"] == []  # type: ignore[index]
    r = api.client.post(
        f"/appeals/{old}/notices", json={"kind": "receipt", "channel": "post"}, headers=reg
    )
    assert r.status_code == 200, r.text
    assert api.history(old, 4)[3]["data"]["late"] is True
