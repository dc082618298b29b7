"""Reading appeals and their history over HTTP, in embedded mode on real PostgreSQL: a 404
for an unknown appeal, and a history that lists every step in order with its actor and
reaches every appeal event type."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from infra.contract.events import CONTRACT
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
    appeal_body,
    problem,
)
from tests.support import as_user

pytestmark = pytest.mark.postgres

APPEAL_TYPES = {p.type for p in CONTRACT.values() if p.type.startswith("appeals.appeal.")}


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
