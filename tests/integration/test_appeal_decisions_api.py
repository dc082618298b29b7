"""Deciding, explaining a refusal, closing and reopening appeals over HTTP, in embedded mode
on real PostgreSQL: the happy path and every refusal (409 or 422 problem details naming the
rule and the field) with nothing recorded, time-dependent rules using appeals received in
the past, never a moved clock."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.appeal_api_fixtures import (
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

pytestmark = pytest.mark.postgres


# --- /decision ---------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["satisfied", "partially_satisfied", "explained"])
def test_decision_on_the_merits(api: AppealApi, outcome: str) -> None:
    appeal_id = api.assigned()
    api.heard(appeal_id)  # needed before a partial satisfaction, harmless before the others
    state = api.step(appeal_id, "decision", {"outcome": outcome, "reasons": "Checked"})
    assert (state["status"], state["outcome"]) == ("decided", outcome)
    assert api.history(appeal_id, 4)[3]["data"] == {
        "outcome": outcome,
        "ground": None,
        "explanation_required": False,
        "late": False,
    }


@pytest.mark.parametrize(
    ("channel", "office", "status"),
    [
        ("personal_reception", DISTRICT, "refusal_pending_explanation"),
        ("personal_reception", REGION, "refusal_pending_explanation"),
        ("personal_reception", "GPO", "refused"),
        ("written", DISTRICT, "refused"),
        ("electronic_portal", REGION, "refused"),
    ],
)
def test_refusal_needs_a_personal_explanation_after_a_reception_below_the_gpo(
    api: AppealApi, channel: str, office: str, status: str
) -> None:
    appeal_id = api.assigned(office, channel=channel, office=office)
    body = {"outcome": "refused", "reasons": "Not confirmed", "ground": "arguments_not_confirmed"}
    api.refuse(appeal_id, "decision", body, 409, "hearing-required")
    api.heard(appeal_id)
    state = api.step(appeal_id, "decision", body)
    assert (state["status"], state["outcome"]) == (status, "refused")
    data = api.history(appeal_id, 4)[3]["data"]
    assert data["ground"] == "arguments_not_confirmed"
    assert data["explanation_required"] is (status == "refusal_pending_explanation")


def test_decision_after_the_deadline_is_late(api: AppealApi) -> None:
    appeal_id = api.assigned(received_on=(api.today() - days(40)).isoformat())
    state = api.step(appeal_id, "decision", {"outcome": "satisfied", "reasons": "Late but done"})
    assert state["status"] == "decided"
    assert api.history(appeal_id, 3)[2]["data"]["late"] is True


def test_a_deemed_refusal_can_still_be_decided(api: AppealApi) -> None:
    appeal_id = api.deemed_refused()
    events = api.history(appeal_id, 3)
    assert events[2]["type"] == "appeals.appeal.deemed_refused"
    assert events[2]["actor"] == "system:deadlines"
    assert events[2]["data"] == {"due_on": api.state(appeal_id)["due_on"]}
    state = api.step(appeal_id, "decision", {"outcome": "satisfied", "reasons": "Done"})
    assert (state["status"], state["outcome"]) == ("decided", "satisfied")


def test_decision_refusals(api: AppealApi) -> None:
    appeal_id = api.assigned()
    refused = {"outcome": "refused", "reasons": "r"}
    cases: list[tuple[dict[str, Any], str, str]] = [
        (refused, "refusal-ground", "ground"),
        ({**refused, "ground": "no_reason"}, "refusal-ground", "ground"),
        (
            {"outcome": "satisfied", "reasons": "r", "ground": "no_violation_of_law"},
            "ground-without-refusal",
            "ground",
        ),
        ({"outcome": "granted", "reasons": "r"}, "literal_error", "outcome"),
        ({"outcome": "satisfied", "reasons": "  "}, "text-required", "reasons"),
        ({"outcome": "satisfied"}, "missing", "reasons"),
    ]
    for body, rule, field in cases:
        api.refuse(appeal_id, "decision", body, 422, rule, field)
    good = STEP_BODIES["decision"]
    api.refuse(api.receive(), "decision", good, 409, "decide-unassigned")
    api.refuse(api.decided(), "decision", good, 409, "appeal-not-open")
    api.refuse(api.pending_explanation(), "decision", good, 409, "appeal-not-open")
    api.refuse(api.anonymous(), "decision", good, 409, "appeal-not-open")
    api.refuse(api.redirected(), "decision", good, 409, "appeal-not-open")
    api.refuse(api.closed(), "decision", good, 409, "appeal-not-open")


@pytest.mark.parametrize(
    ("appeal_language", "answer", "answered_in"),
    [("ru", None, "ru"), ("ru", "kk", "kk"), ("kk", None, "kk"), (None, "ru", "ru")],
)
def test_the_answer_is_in_the_appeals_language_or_the_state_language(
    api: AppealApi, appeal_language: str | None, answer: str | None, answered_in: str
) -> None:
    appeal_id = api.assigned(language=appeal_language)
    body = {"outcome": "satisfied", "reasons": "Checked", "language": answer}
    assert api.step(appeal_id, "decision", body)["answer_language"] == answered_in


def test_an_answer_in_a_third_language_is_refused(api: AppealApi) -> None:
    appeal_id = api.assigned(language="kk")
    body = {"outcome": "satisfied", "reasons": "Checked", "language": "ru"}
    found = api.refuse(appeal_id, "decision", body, 422, "answer-language", "language")
    assert "kk" in found["detail"]
    api.refuse(appeal_id, "decision", {**body, "language": "en"}, 422, "literal_error", "language")


# --- /refusal-explanation ----------------------------------------------------------------


def test_refusal_explanation_completes_the_refusal(api: AppealApi) -> None:
    appeal_id = api.pending_explanation()
    state = api.step(appeal_id, "refusal-explanation", {"note": "Explained in person"})
    assert (state["status"], state["outcome"]) == ("refused", "refused")
    assert api.history(appeal_id, 5)[4]["data"] == {"explained_on": api.today().isoformat()}


def test_refusal_explanation_entered_later_keeps_its_day(api: AppealApi) -> None:
    appeal_id = api.pending_explanation(received_on=(api.today() - days(3)).isoformat())
    yesterday = (api.today() - days(1)).isoformat()
    body = {"note": "Explained", "explained_on": yesterday}
    assert api.step(appeal_id, "refusal-explanation", body)["status"] == "refused"
    assert api.history(appeal_id, 5)[4]["data"] == {"explained_on": yesterday}


def test_refusal_explanation_refusals(api: AppealApi) -> None:
    appeal_id = api.pending_explanation()
    tomorrow = (api.today() + days(1)).isoformat()
    future = {"note": "n", "explained_on": tomorrow}
    api.refuse(appeal_id, "refusal-explanation", future, 422, "date-in-future", "explained_on")
    blank = {"note": "   "}
    api.refuse(appeal_id, "refusal-explanation", blank, 422, "text-required", "note")
    before_receipt = {"note": "n", "explained_on": (api.today() - days(1)).isoformat()}
    api.refuse(
        appeal_id,
        "refusal-explanation",
        before_receipt,
        422,
        "date-before-receipt",
        "explained_on",
    )
    api.refuse(appeal_id, "refusal-explanation", {}, 422, "missing", "note")
    good = STEP_BODIES["refusal-explanation"]
    written = api.decided("refused", "no_violation_of_law")
    for other in (written, api.decided(), api.receive(), api.assigned(), api.deemed_refused()):
        api.refuse(other, "refusal-explanation", good, 409, "no-explanation-pending")
    api.step(appeal_id, "refusal-explanation", good)
    api.refuse(appeal_id, "refusal-explanation", good, 409, "no-explanation-pending")


# --- /closure ------------------------------------------------------------------------------


def test_answered_appeals_are_closed(api: AppealApi) -> None:
    explained = api.pending_explanation()
    api.step(explained, "refusal-explanation", {"note": "Explained"})
    for appeal_id in (
        api.decided(),
        api.decided("refused", "no_violation_of_law"),
        explained,
        api.deemed_refused(),
        api.redirected(),
        api.anonymous(),
    ):
        before = api.state(appeal_id)
        state = api.step(appeal_id, "closure")
        assert state["status"] == "closed"
        assert state["outcome"] == before["outcome"]


def test_closure_refusals(api: AppealApi) -> None:
    api.refuse(api.receive(), "closure", None, 409, "close-unanswered")
    api.refuse(api.assigned(), "closure", None, 409, "close-unanswered")
    api.refuse(api.pending_explanation(), "closure", None, 409, "explanation-pending")
    api.refuse(api.closed(), "closure", None, 409, "close-unanswered")


# --- /reopening ----------------------------------------------------------------------------


def test_reopening_a_closed_answer_starts_a_new_period(api: AppealApi) -> None:
    appeal_id = api.closed()
    fresh_due = api.state(api.receive())["due_on"]  # 15 working days from today
    state = api.step(appeal_id, "reopening", {"reason": "The applicant disputes the answer"})
    assert state["status"] == "in_progress"
    assert state["outcome"] is None and state["assignee"] == "pros.1"
    assert state["due_on"] == fresh_due
    assert api.history(appeal_id, 5)[4]["data"] == {
        "reopened_on": api.today().isoformat(),
        "new_due_on": fresh_due,
    }
    # Considered again: a new decision and a new closure.
    state = api.step(appeal_id, "decision", {"outcome": "satisfied", "reasons": "On review"})
    assert (state["status"], state["outcome"]) == ("decided", "satisfied")
    assert api.step(appeal_id, "closure")["status"] == "closed"


def test_reopening_an_overdue_appeal(api: AppealApi) -> None:
    fresh_due = api.state(api.receive())["due_on"]
    for appeal_id in (api.deemed_refused(), api.decided("refused", "no_violation_of_law")):
        state = api.step(appeal_id, "reopening", {"reason": "Disputes"})
        assert (state["status"], state["due_on"]) == ("in_progress", fresh_due)


def test_reopening_refusals(api: AppealApi) -> None:
    good = STEP_BODIES["reopening"]
    closed_anonymous = api.anonymous()
    api.step(closed_anonymous, "closure")
    closed_redirect = api.redirected()
    api.step(closed_redirect, "closure")
    for appeal_id in (
        api.receive(),
        api.assigned(),
        api.pending_explanation(),
        api.redirected(),
        api.anonymous(),
        closed_anonymous,
        closed_redirect,
    ):
        api.refuse(appeal_id, "reopening", good, 409, "reopen-unanswered")
    closed = api.closed()
    api.refuse(closed, "reopening", {"reason": "   "}, 422, "text-required", "reason")
    api.refuse(closed, "reopening", {}, 422, "missing", "reason")
