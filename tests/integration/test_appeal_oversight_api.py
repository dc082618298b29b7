"""A higher office's oversight of an appeal over HTTP (case files, reviews, complaints and
the reasons), in embedded mode on real PostgreSQL: the happy path and every refusal (403,
404, 409 or 422 problem details naming the rule and the field) with nothing recorded."""

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
from tests.support import as_user

pytestmark = pytest.mark.postgres


# --- /case-file-requests and their receipt ------------------------------------------------


def test_case_file_is_requested_by_a_higher_office_and_received(api: AppealApi) -> None:
    appeal_id = api.assigned(DISTRICT)
    out, state = api.act(
        appeal_id, "case-file-requests", {"requesting_office": REGION, "case_ref": "CASE-7"}
    )
    request_id = out["request_id"]
    assert request_id.startswith("cfr-")
    assert state["case_file_requests"] == {
        request_id: {
            "requesting_office": REGION,
            "holding_office": DISTRICT,
            "case_ref": "CASE-7",
            "received": False,
        }
    }
    second, state = api.act(
        appeal_id, "case-file-requests", {"requesting_office": "GPO", "case_ref": "CASE-7"}
    )
    assert second["request_id"] != request_id and len(state["case_file_requests"]) == 2
    state = api.step(appeal_id, f"case-file-requests/{request_id}/receipt")
    assert state["case_file_requests"][request_id]["received"] is True
    assert state["case_file_requests"][second["request_id"]]["received"] is False
    events = api.history(appeal_id, 5)
    assert events[2]["data"] == {
        "request_id": request_id,
        "requesting_office": REGION,
        "holding_office": DISTRICT,
        "case_ref": "CASE-7",
    }
    assert (events[4]["type"], events[4]["office"], events[4]["data"]) == (
        "appeals.appeal.case_file_received",
        REGION,
        {"request_id": request_id},
    )


def test_case_file_may_be_demanded_after_the_appeal_is_closed(api: AppealApi) -> None:
    appeal_id = api.closed()
    out, state = api.act(
        appeal_id, "case-file-requests", {"requesting_office": "GPO", "case_ref": "C"}
    )
    assert state["status"] == "closed" and out["request_id"] in state["case_file_requests"]


def test_case_file_request_refusals(api: AppealApi) -> None:
    appeal_id = api.assigned(DISTRICT)
    own = {"requesting_office": DISTRICT, "case_ref": "C"}
    api.refuse(appeal_id, "case-file-requests", own, 403, "higher-office-only")
    # Offices beside or outside the appeal's own do not even see it.
    for office in ("DIS-ALA-ALMALY", "REG-AST", "DIS-AST-YESIL"):
        body = {"requesting_office": office, "case_ref": "C"}
        api.refuse(appeal_id, "case-file-requests", body, 404, "appeal-not-found", None)
    unknown = {"requesting_office": "NOPE", "case_ref": "C"}
    api.refuse(
        appeal_id, "case-file-requests", unknown, 422, "office-not-yours", "requesting_office"
    )
    blank = {"requesting_office": REGION, "case_ref": "   "}
    api.refuse(appeal_id, "case-file-requests", blank, 422, "text-required", "case_ref")
    # Received by the regional office and not yet assigned: only the GPO is above it.
    regional = api.receive()
    body = {"requesting_office": REGION, "case_ref": "C"}
    api.refuse(regional, "case-file-requests", body, 403, "higher-office-only")


def test_case_file_receipt_refusals(api: AppealApi) -> None:
    appeal_id = api.assigned(DISTRICT)
    out, _ = api.act(
        appeal_id, "case-file-requests", {"requesting_office": REGION, "case_ref": "C"}
    )
    api.refuse(
        appeal_id,
        "case-file-requests/cfr-unknown/receipt",
        None,
        422,
        "unknown-request",
        "request_id",
    )
    receipt = f"case-file-requests/{out['request_id']}/receipt"
    api.step(appeal_id, receipt)
    api.refuse(appeal_id, receipt, None, 409, "file-already-received")
    # A request id belongs to its appeal.
    other = api.assigned(DISTRICT)
    api.refuse(other, receipt, None, 422, "unknown-request", "request_id")


# --- /reviews ------------------------------------------------------------------------------


def test_a_higher_office_reviews_the_decision_of_the_office_on_record(api: AppealApi) -> None:
    appeal_id = api.decided(to=DISTRICT)
    body = STEP_BODIES["reviews"] or {}
    state = api.step(appeal_id, "reviews", body)
    assert state["status"] == "decided"
    api.step(appeal_id, "reviews", {**body, "reviewing_office": "GPO", "result": "overturned"})
    events = api.history(appeal_id, 5)
    # The deciding office comes from the record: the request cannot name it.
    assert (events[3]["office"], events[3]["data"]) == (
        REGION,
        {
            "reviewing_office": REGION,
            "decided_by_office": DISTRICT,
            "decision_ref": "Refusal to open a case",
            "result": "upheld",
        },
    )
    assert (events[4]["office"], events[4]["data"]["result"]) == ("GPO", "overturned")
    assert events[4]["data"]["decided_by_office"] == DISTRICT


def test_review_refusals(api: AppealApi) -> None:
    good = STEP_BODIES["reviews"] or {}
    api.refuse(api.assigned(DISTRICT), "reviews", good, 409, "nothing-decided")
    appeal_id = api.decided(to=DISTRICT)
    # The deciding office is not above itself.
    api.refuse(
        appeal_id,
        "reviews",
        {**good, "reviewing_office": DISTRICT},
        403,
        "office-above-the-decider-only",
    )
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"reviewing_office": "NOPE"}, "office-not-yours", "reviewing_office"),
        # Naming the deciding office is not the caller's to do: it is on record.
        ({"decided_by_office": REGION}, "extra_forbidden", "decided_by_office"),
        ({"result": "annulled"}, "literal_error", "result"),
        ({"decision_ref": "   "}, "text-required", "decision_ref"),
        ({"reasons": "   "}, "text-required", "reasons"),
    ]
    for overrides, rule, field in cases:
        api.refuse(appeal_id, "reviews", {**good, **overrides}, 422, rule, field)
    # Another region does not see the appeal at all.
    foreign = {**good, "reviewing_office": "REG-AST"}
    api.refuse(appeal_id, "reviews", foreign, 404, "appeal-not-found", None)


# --- /complaints ---------------------------------------------------------------------------


def test_a_complaint_to_the_higher_office_sends_the_decision_back(api: AppealApi) -> None:
    appeal_id = api.decided("refused", "no_violation_of_law", to=DISTRICT)
    out, state = api.act(appeal_id, "complaints", {"grounds": "My evidence was ignored"})
    complaint_id = out["complaint_id"]
    assert complaint_id.startswith("cmp-") and state["status"] == "refused"
    api.refuse(appeal_id, "closure", None, 409, "complaint-pending")
    body = {"result": "overturned", "returned": True, "reasons": "Evidence not examined"}
    state = api.step(appeal_id, f"complaints/{complaint_id}/decision", body)
    assert (state["status"], state["outcome"]) == ("in_progress", None)
    events = api.history(appeal_id, 6)
    filed, decided = events[4], events[5]
    assert (filed["type"], filed["office"]) == ("appeals.appeal.complaint_filed", REGION)
    assert filed["data"]["against_office"] == DISTRICT
    assert filed["data"]["filed_on"] == api.today().isoformat()
    assert decided["data"]["result"] == "overturned" and decided["data"]["returned"] is True
    assert "My evidence" not in str(events) and "Evidence not examined" not in str(events)


def test_complaint_refusals_over_http(api: AppealApi) -> None:
    # In progress, nothing decided yet: nothing to complain against.
    undecided = api.assigned(DISTRICT)
    api.refuse(undecided, "complaints", {"grounds": "g"}, 409, "nothing-to-complain-against")
    appeal_id = api.decided(to=DISTRICT)
    api.refuse(
        appeal_id,
        "complaints",
        {"grounds": "g", "learned_on": (api.today() + days(1)).isoformat()},
        422,
        "learned-on-out-of-range",
        "learned_on",
    )
    api.refuse(appeal_id, "complaints", {"grounds": "   "}, 422, "text-required", "grounds")
    out, _ = api.act(appeal_id, "complaints", {"grounds": "g"})
    decision = f"complaints/{out['complaint_id']}/decision"
    api.refuse(
        appeal_id, decision, {"result": "overturned", "reasons": "r"}, 422, "overturned-needs-a-way"
    )
    api.refuse(appeal_id, decision, {"result": "voided", "reasons": "r"}, 422, "literal_error")
    api.refuse(
        appeal_id,
        "complaints/cmp-unknown/decision",
        {"result": "upheld", "reasons": "r"},
        422,
        "unknown-complaint",
        "complaint_id",
    )


# --- /reasons ------------------------------------------------------------------------------


def test_the_reasons_are_read_by_those_who_gave_or_checked_them_and_logged(
    api: AppealApi,
) -> None:
    appeal_id = api.decided("refused", "no_violation_of_law", to=DISTRICT)
    api.step(appeal_id, "reviews", STEP_BODIES["reviews"])
    url = f"/appeals/{appeal_id}/reasons"
    readers = {
        "the assignee": as_user("pros.1", "prosecutor", DISTRICT),
        "the deciding office's head": as_user("head.medeu", "supervisor", DISTRICT),
        "the reviewing office's head": as_user("sup.ala", "supervisor", REGION),
    }
    for who, headers in readers.items():
        r = api.client.get(url, headers=headers)
        assert r.status_code == 200, (who, r.text)
        steps = r.json()["steps"]
        assert [s["step"] for s in steps] == ["Decided", "DecisionReviewed"], who
        assert steps[0]["reasons"] == "Checked" and steps[0]["details"]["ground"] == (
            "no_violation_of_law"
        )
    refused = {
        "a colleague of the same office": (as_user("pros.2", "prosecutor", DISTRICT), 403),
        "the head of an office that took no part": (as_user("head.gpo", "supervisor", "GPO"), 403),
        "a registrar": (as_user("reg.medeu", "registrar", DISTRICT), 403),
        "an auditor": (as_user("audit.1", "auditor", "GPO"), 403),
        "another region": (as_user("head.ast", "supervisor", "REG-AST"), 404),
    }
    for who, (headers, status) in refused.items():
        assert api.client.get(url, headers=headers).status_code == status, who
    views = api.client.get(
        f"/appeals/{appeal_id}/views", headers=as_user("audit.1", "auditor", "GPO")
    ).json()
    read = [(v["viewer"], v["what"]) for v in views if v["what"] == "reasons"]
    assert read == [("pros.1", "reasons"), ("head.medeu", "reasons"), ("sup.ala", "reasons")]


def test_the_register_shows_who_holds_the_case_file(api: AppealApi) -> None:
    from tests.support import wait_until

    appeal_id = api.assigned(DISTRICT)
    out, _ = api.act(
        appeal_id, "case-file-requests", {"requesting_office": REGION, "case_ref": "C"}
    )
    api.step(appeal_id, f"case-file-requests/{out['request_id']}/receipt")

    def held() -> str | None:
        items = api.client.get("/appeals", params={"limit": 200}).json()["items"]
        row = next((i for i in items if i["appeal_id"] == appeal_id), None)
        return row["file_held_by"] if row else None

    assert wait_until(held, timeout=20, what="the register to show the file's holder") == REGION
