"""Receiving appeals over HTTP (POST /appeals), in embedded mode on real PostgreSQL: the
happy path (status, version, position, ETag, the state read back) and every refusal as a 422
problem detail naming the rule and the field with nothing recorded, time-dependent rules
using appeals received in the past, never a moved clock."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from tests.integration.appeal_api_fixtures import (
    api_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
    days,
)
from tests.integration.appeal_api_helpers import (
    REGION,
    AppealApi,
    appeal_body,
    problem,
)
from tests.support import IIN_A, IIN_B

pytestmark = pytest.mark.postgres


# --- POST /appeals ---------------------------------------------------------------------


def test_identified_appeal_is_received_with_a_deadline_and_a_pseudonymous_applicant(
    api: AppealApi,
) -> None:
    appeal_id = api.receive()
    state = api.state(appeal_id)
    today = api.today()
    assert state["version"] == 1
    assert state["status"] == "received"
    assert (state["channel"], state["office"], state["receiving_office"]) == (
        "written",
        REGION,
        REGION,
    )
    assert state["received_by"] == "reg.1"
    assert state["received_on"] == today.isoformat()
    # 15 working days: at least three weeks of calendar days.
    assert date.fromisoformat(state["due_on"]) >= today + days(21)
    assert state["rule_set"] == "gpo-order-29-2023+appc-2021"
    assert state["anonymous"] is False and state["reports_crime"] is False
    assert state["assignee"] is None and state["outcome"] is None and state["repeat_of"] is None
    assert state["applicant_ref"].startswith("appl-")
    assert IIN_A not in str(state), "the appeal itself must not carry the IIN"

    r = api.client.get(f"/appeals/{appeal_id}/applicant")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "applicant_ref": state["applicant_ref"],
        "kind": "individual",
        "iin": IIN_A,
        "bin": None,
        "document": None,
        "name": "Aigerim Nurlanovna",
        "phone": "+7 700 000 0000",
        "email": None,
        "address": None,
        "representative": None,
        "co_applicants": [],
    }


def test_an_appeal_entered_later_takes_the_rules_of_its_day(api: AppealApi) -> None:
    for received_on, rule_set, due_on in [
        # Capital Day (6 July) and Kurban Ait (20 July 2021) are not working days.
        ("2021-07-01", "gpo-reception-2017+appc-2021", "2021-07-26"),
        ("2023-01-16", "gpo-reception-2017+appc-2021", "2023-02-06"),
        # Order No. 29 takes effect ten days after its publication (assumed 20 January).
        ("2023-01-30", "gpo-reception-2017+appc-2021", "2023-02-20"),
        ("2023-01-31", "gpo-order-29-2023+appc-2021", "2023-02-21"),
        # 8 March and Nauryz (21-25 March 2024) are not working days.
        ("2024-03-01", "gpo-order-29-2023+appc-2021", "2024-03-28"),
    ]:
        state = api.state(api.receive(received_on=received_on))
        assert (state["received_on"], state["rule_set"], state["due_on"]) == (
            received_on,
            rule_set,
            due_on,
        )


def test_received_before_the_appc_has_no_rule_set(api: AppealApi) -> None:
    for received_on in ["2021-06-30", "2017-10-09", "2000-01-01"]:
        body = appeal_body(received_on=received_on)
        api.refuse_appeal(body, 422, "no-rule-set-in-force", "received_on")


def test_received_on_in_the_future_is_refused(api: AppealApi) -> None:
    tomorrow = (api.today() + days(1)).isoformat()
    found = api.refuse_appeal(appeal_body(received_on=tomorrow), 422, "date-in-future")
    assert found["field"] == "received_on" and "future" in found["detail"]


def test_anonymous_appeal_is_set_aside_unconsidered(api: AppealApi) -> None:
    r = api.post_appeal(appeal_body(applicant=None))
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2 and r.headers["etag"] == '"2"'
    appeal_id = r.json()["appeal_id"]
    state = api.state(appeal_id)
    assert state["status"] == "not_considered"
    assert state["anonymous"] is True and state["applicant_ref"] is None
    problem(api.client.get(f"/appeals/{appeal_id}/applicant"), 404, "appeal-not-found")
    events = api.history(appeal_id, 2)
    assert [e["type"] for e in events] == [
        "appeals.appeal.received",
        "appeals.appeal.not_considered",
    ]
    assert events[1]["data"] == {"reason": "anonymous"}


def test_anonymous_crime_report_is_redirected_at_once(api: AppealApi) -> None:
    r = api.post_appeal(
        appeal_body(applicant=None, reports_crime=True, redirect_to="Ministry of Internal Affairs")
    )
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2
    appeal_id = r.json()["appeal_id"]
    state = api.state(appeal_id)
    assert state["status"] == "redirected" and state["reports_crime"] is True
    redirected = api.history(appeal_id, 2)[1]
    assert redirected["type"] == "appeals.appeal.redirected"
    assert redirected["data"] == {
        "agency": "Ministry of Internal Affairs",
        "egov_reference": None,
        "applicant_notified": True,
        "working_days_taken": 0,
        "late": False,
        "urgent": True,
    }


def test_anonymous_crime_report_entered_late_is_marked_late(api: AppealApi) -> None:
    received_on = (api.today() - days(14)).isoformat()
    appeal_id = api.receive(
        applicant=None, reports_crime=True, redirect_to="KNB", received_on=received_on
    )
    data = api.history(appeal_id, 2)[1]["data"]
    assert data["late"] is True and data["working_days_taken"] > 3 and data["urgent"] is True


def test_anonymous_crime_report_must_name_the_agency(api: AppealApi) -> None:
    for redirect_to in [None, "   "]:
        body = appeal_body(applicant=None, reports_crime=True, redirect_to=redirect_to)
        api.refuse_appeal(body, 422, "crime-report-needs-agency", "redirect_to")


def test_identified_crime_report_is_considered_like_any_appeal(api: AppealApi) -> None:
    state = api.state(api.receive(reports_crime=True))
    assert state["status"] == "received" and state["reports_crime"] is True


def test_invalid_iin_is_refused_naming_the_field(api: AppealApi) -> None:
    for iin, detail in [
        ("791028302729", "check digit"),
        ("791328302728", "date"),  # month 13
        ("790230302728", "date"),  # 30 February
        ("791028002728", "7th digit"),
        ("791028702728", "7th digit"),
        ("991231500000", "future"),  # born 31 December 2099
        ("800101300720", "No IIN is issued"),  # no check digit fits the first 11
    ]:
        body = appeal_body(applicant={"iin": iin, "name": "X"})
        found = api.refuse_appeal(body, 422, "invalid-iin", "applicant.iin")
        assert detail in found["detail"], (iin, found)


def test_iin_that_is_not_twelve_ascii_digits_is_refused(api: AppealApi) -> None:
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in IIN_A)  # a valid IIN otherwise
    for iin in ["79102830272", "7910283027280", "79102830272a", " 791028302728", arabic_indic]:
        body = appeal_body(applicant={"iin": iin, "name": "X"})
        api.refuse_appeal(body, 422, "string_pattern_mismatch", "applicant.iin")


BAD_APPEALS: list[tuple[dict[str, Any], int, str, str]] = [
    ({"office": "NOPE"}, 422, "unknown-office", "office"),
    ({"summary": "   "}, 422, "text-required", "summary"),
    ({"summary": "x" * 4001}, 422, "string_too_long", "summary"),
    ({"applicant": {"iin": IIN_A, "name": "  "}}, 422, "text-required", "applicant.name"),
    ({"applicant": {"iin": IIN_A}}, 422, "missing", "applicant.name"),
    ({"channel": "telegram"}, 422, "enum", "channel"),
    ({"received_on": "yesterday"}, 422, "date_from_datetime_parsing", "received_on"),
    ({"status": "closed"}, 422, "extra_forbidden", "status"),
    (
        {"applicant": {"iin": IIN_A, "name": "X", "nickname": "x"}},
        422,
        "extra_forbidden",
        "applicant.nickname",
    ),
]


def test_bad_appeal_input_is_refused_and_records_nothing(api: AppealApi) -> None:
    for overrides, status, rule, field in BAD_APPEALS:
        api.refuse_appeal(appeal_body(**overrides), status, rule, field)


def test_receiving_needs_a_signed_in_user(api: AppealApi) -> None:
    r = api.client.post("/appeals", json=appeal_body(), headers={"Authorization": ""})
    problem(r, 401, "not-authenticated", "Authorization")
    assert api.position() == 0
    r = api.client.post("/appeals", json=appeal_body(), headers={"Authorization": "Bearer x.y"})
    problem(r, 401, "not-authenticated", "Authorization")
    assert api.position() == 0


def test_repeated_appeal_disputes_an_answered_appeal_of_the_same_person(api: AppealApi) -> None:
    earlier = api.decided()
    appeal_id = api.receive(repeat_of=earlier)
    assert api.state(appeal_id)["repeat_of"] == earlier
    # The applicant is the same person, so both appeals carry the same reference.
    assert api.state(appeal_id)["applicant_ref"] == api.state(earlier)["applicant_ref"]


def test_repeated_appeal_rules(api: AppealApi) -> None:
    unanswered = api.receive()
    answered = api.decided()
    anonymous = api.anonymous()
    other_person = {"iin": IIN_B, "name": "Second Person"}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"repeat_of": str(uuid4())}, "no appeal has id", "repeat-of-unknown"),
        ({"repeat_of": unanswered}, "not been answered", "repeat-nothing-to-dispute"),
        ({"repeat_of": answered, "applicant": other_person}, "same person", "repeat-other-person"),
        (
            {"repeat_of": answered, "applicant": None},
            "identified applicant",
            "repeat-needs-applicant",
        ),
        ({"repeat_of": anonymous}, "identified applicant", "repeat-needs-applicant"),
        ({"repeat_of": "not-a-uuid"}, "UUID", "uuid_parsing"),
    ]
    for overrides, detail, rule in cases:
        found = api.refuse_appeal(appeal_body(**overrides), 422, rule, "repeat_of")
        assert detail in found["detail"], (overrides, found)


def test_retry_with_the_same_idempotency_key_creates_nothing_new(api: AppealApi) -> None:
    first = api.post_appeal(appeal_body(), **{"Idempotency-Key": "letter-17"})
    assert first.status_code == 201
    position = api.position()
    again = api.post_appeal(appeal_body(), **{"Idempotency-Key": "letter-17"})
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == {**first.json(), "position": None}
    assert api.position() == position
    other = appeal_body(summary="A different matter")
    before = api.position()
    problem(
        api.post_appeal(other, **{"Idempotency-Key": "letter-17"}),
        422,
        "idempotency-key-reused",
        "Idempotency-Key",
    )
    assert api.position() == before
