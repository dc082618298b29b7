"""Every appeal operation over HTTP, in embedded mode on real PostgreSQL: the happy path
(status, version, position, ETag, the state a caller reads back) and every refusal the
API can give (409 or 422 problem details naming the rule and the field) with nothing
recorded. Time-dependent rules use appeals received in the past, never a moved clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.calendar import add_months
from infra.bootstrap import Container
from infra.contract.events import CONTRACT
from tests.integration.appeal_api_helpers import (
    DISTRICT,
    REGION,
    STEP_BODIES,
    AppealApi,
    appeal_body,
    problem,
)
from tests.support import IIN_A, IIN_B, as_user

pytestmark = pytest.mark.postgres

APPEAL_TYPES = {p.type for p in CONTRACT.values() if p.type.startswith("appeals.appeal.")}


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(feed=True)


@pytest.fixture
def api(container: Container) -> Iterator[AppealApi]:
    with TestClient(create_app(container), headers=as_user()) as client:
        yield AppealApi(client, container)


def days(n: int) -> timedelta:
    return timedelta(days=n)


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


# --- reading ---------------------------------------------------------------------------


def test_reading_an_unknown_appeal_is_404(api: AppealApi) -> None:
    unknown = uuid4()
    for path in (f"/appeals/{unknown}", f"/appeals/{unknown}/applicant"):
        problem(api.client.get(path), 404, "appeal-not-found")
    problem(api.client.get(f"/appeals/{unknown}/history"), 404, "appeal-not-found")
    problem(api.client.get("/appeals/not-a-uuid"), 422, "uuid_parsing", "appeal_id")


def test_history_lists_every_step_in_order_with_its_actor(api: AppealApi) -> None:
    received = api.post_appeal(
        appeal_body(channel="personal_reception", office=DISTRICT), **as_user("reg.medeu")
    ).json()
    appeal_id = received["appeal_id"]
    today = api.today().isoformat()
    steps: list[tuple[str, dict[str, Any] | None, str]] = [
        ("assignment", {"assignee": "pros.7", "office": DISTRICT}, "head.medeu"),
        (
            "consultations",
            {"specialist_role": "lawyer", "specialist": "lawyer.1", "help": ["legal_help"]},
            "pros.7",
        ),
        ("materials", {"documents": ["scan-1", "scan-2"]}, "pros.7"),
        (
            "extension",
            {
                "new_due_on": (
                    date.fromisoformat(api.state(appeal_id)["due_on"]) + days(7)
                ).isoformat(),
                "reasons": "Expert opinion",
                "approver_role": "deputy_head",
                "approver": "deputy.medeu",
            },
            "head.medeu",
        ),
        ("case-file-requests", {"requesting_office": REGION, "case_ref": "CASE-7"}, "sup.ala"),
    ]
    results = [received]
    for path, body, actor in steps:
        results.append(api.act(appeal_id, path, body, actor=actor)[0])
    request_id = results[-1]["request_id"]
    assert request_id.startswith("cfr-")
    later: list[tuple[str, dict[str, Any] | None, str]] = [
        (f"case-file-requests/{request_id}/receipt", None, "sup.ala"),
        ("hearing", {"form": "in_person", "note": "Maintains the complaint"}, "pros.7"),
        (
            "decision",
            {"outcome": "refused", "reasons": "Not confirmed", "ground": "no_violation_of_law"},
            "pros.7",
        ),
        (
            "reviews",
            {
                "reviewing_office": REGION,
                "decision_ref": "Refusal to open a case",
                "result": "overturned",
                "reasons": "Evidence ignored",
            },
            "sup.ala",
        ),
        ("refusal-explanation", {"note": "Explained in person"}, "pros.7"),
        ("closure", None, "pros.7"),
        ("reopening", {"reason": "Disputes the answer"}, "pros.7"),
    ]
    for path, body, actor in later:
        results.append(api.act(appeal_id, path, body, actor=actor)[0])

    events = api.history(appeal_id, 13)
    assert [e["type"].removeprefix("appeals.appeal.") for e in events] == [
        "received",
        "assigned",
        "consulted",
        "materials_added",
        "extended",
        "case_file_requested",
        "case_file_received",
        "applicant_heard",
        "decided",
        "decision_reviewed",
        "refusal_explained",
        "closed",
        "reopened",
    ]
    assert [e["actor"] for e in events] == ["reg.medeu"] + [a for _, _, a in steps + later]
    assert [e["version"] for e in events] == list(range(1, 14))
    assert [e["position"] for e in events] == [r["position"] for r in results]
    assert [e["office"] for e in events] == (
        [DISTRICT] * 6 + [REGION, DISTRICT, DISTRICT, REGION] + [DISTRICT] * 3
    )
    by_type = {e["type"].removeprefix("appeals.appeal."): e["data"] for e in events}
    assert by_type["assigned"] == {
        "assignee": "pros.7",
        "office": DISTRICT,
        "previous_assignee": None,
    }
    assert by_type["materials_added"] == {"documents_count": 2, "by_applicant": True}
    assert by_type["decided"] == {
        "outcome": "refused",
        "ground": "no_violation_of_law",
        "explanation_required": True,
        "late": False,
    }
    assert by_type["refusal_explained"] == {"explained_on": today}
    assert by_type["reopened"]["reopened_on"] == today
    # Free text stays in the event store: the history shows no summary, reasons or notes.
    assert "Explained in person" not in str(events) and "Not confirmed" not in str(events)


def test_every_appeal_event_type_reaches_the_history(api: AppealApi) -> None:
    seen: set[str] = set()
    full = api.pending_explanation()
    for appeal_id, count in (
        (api.anonymous(), 2),
        (api.redirected(), 2),
        (api.deemed_refused(), 3),
    ):
        seen.update(e["type"] for e in api.history(appeal_id, count))
    appeal_id = api.assigned()
    api.step(appeal_id, "consultations", STEP_BODIES["consultations"])
    api.step(appeal_id, "materials", STEP_BODIES["materials"])
    due = date.fromisoformat(api.state(appeal_id)["due_on"])
    api.step(appeal_id, "extension", {**_extension(due + days(1))})
    out, _ = api.act(appeal_id, "case-file-requests", STEP_BODIES["case-file-requests"])
    api.step(appeal_id, f"case-file-requests/{out['request_id']}/receipt")
    seen.update(e["type"] for e in api.history(appeal_id, 7))
    api.step(full, "reviews", STEP_BODIES["reviews"])
    api.step(full, "refusal-explanation", {"note": "Explained"})
    api.step(full, "closure")
    api.step(full, "reopening", {"reason": "Disputes"})
    api.step(full, "suspension", {"reason": "awaiting_applicant", "note": "Documents"})
    api.step(full, "resumption")
    seen.update(e["type"] for e in api.history(full, 10))
    # Notices: one sent, and one never sent, marked overdue by the watcher.
    notified = api.receive()
    reg = as_user("reg.ala", "registrar", REGION)
    r = api.client.post(
        f"/appeals/{notified}/notices", json={"kind": "receipt", "channel": "email"}, headers=reg
    )
    assert r.status_code == 200, r.text
    unnotified = api.receive(received_on=(api.today() - days(30)).isoformat())
    api.history(unnotified, 1)  # the read models (the watcher's register) have it
    api.container.deadline_watcher().run_once()
    seen.update(e["type"] for e in api.history(notified, 2))
    # Received 30 days ago: deemed refused, and its receipt notice overdue.
    seen.update(e["type"] for e in api.history(unnotified, 3))
    complained = api.decided(to=DISTRICT)
    out, _ = api.act(complained, "complaints", {"grounds": "Evidence ignored"})
    decision = {"result": "overturned", "returned": True, "reasons": "r"}
    api.step(complained, f"complaints/{out['complaint_id']}/decision", decision)
    seen.update(e["type"] for e in api.history(complained, 5))
    assert seen == APPEAL_TYPES


def _extension(new_due_on: date, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "new_due_on": new_due_on.isoformat(),
        "reasons": "Expert opinion needed",
        "approver_role": "head",
        "approver": "head.1",
    }
    body.update(overrides)
    return body


# --- every step: If-Match, unknown appeal, extra fields ------------------------------------

STEPS = sorted(STEP_BODIES)


def test_stale_if_match_is_a_version_conflict_on_every_step(api: AppealApi) -> None:
    appeal_id = api.assigned()  # version 2
    for path in STEPS:
        for stale in ('"1"', '"3"'):
            api.refuse(appeal_id, path, STEP_BODIES[path], 409, "version-conflict", if_match=stale)


def test_malformed_if_match_is_refused_on_every_step(api: AppealApi) -> None:
    appeal_id = api.assigned()
    for path in STEPS:
        body = STEP_BODIES[path]
        api.refuse(appeal_id, path, body, 422, "if-match-invalid", "If-Match", if_match="v2")


def test_if_match_must_be_a_version_etag(api: AppealApi) -> None:
    appeal_id = api.receive()
    body = STEP_BODIES["assignment"]
    for if_match in ["abc", '"two"', '"1", "2"', '"-1"', '"0"', "*", '""']:
        api.refuse(
            appeal_id, "assignment", body, 422, "if-match-invalid", "If-Match", if_match=if_match
        )


def test_if_match_accepts_the_etag_forms_of_the_version(api: AppealApi) -> None:
    for if_match in ['"1"', "1", 'W/"1"', ' "1" ']:
        appeal_id = api.receive()
        r = api.post(appeal_id, "assignment", STEP_BODIES["assignment"], if_match=if_match)
        assert r.status_code == 200, (if_match, r.text)
        assert r.headers["etag"] == '"2"' and api.state(appeal_id)["assignee"] == "pros.1"


def test_without_if_match_the_step_applies_to_the_current_version(api: AppealApi) -> None:
    appeal_id = api.assigned()
    r = api.post(appeal_id, "materials", {"documents": ["d"]})
    assert r.status_code == 200 and r.json()["version"] == 3


def test_every_step_on_an_unknown_appeal_is_404(api: AppealApi) -> None:
    for path in STEPS:
        r = api.post(str(uuid4()), path, STEP_BODIES[path], if_match='"1"')
        problem(r, 404, "appeal-not-found", context=path)
        r = api.post("not-a-uuid", path, STEP_BODIES[path])
        problem(r, 422, "uuid_parsing", "appeal_id", context=path)
    assert api.position() == 0


def test_every_step_refuses_extra_fields(api: AppealApi) -> None:
    appeal_id = api.assigned()
    for path in STEPS:
        if STEP_BODIES[path] is not None:
            body = {**(STEP_BODIES[path] or {}), "unexpected": 1}
            api.refuse(appeal_id, path, body, 422, "extra_forbidden", "unexpected")


def test_every_step_needs_a_signed_in_user(api: AppealApi) -> None:
    appeal_id = api.assigned()
    for path in STEPS:
        url = f"/appeals/{appeal_id}/{path}"
        r = api.client.post(url, json=STEP_BODIES[path], headers={"Authorization": ""})
        problem(r, 401, "not-authenticated", "Authorization", context=path)
        r = api.client.post(url, json=STEP_BODIES[path], headers={"Authorization": "Basic x"})
        problem(r, 401, "not-authenticated", "Authorization", context=path)
    assert api.state(appeal_id)["version"] == 2


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
