"""Helpers for the appeal API tests: a thin client that receives appeals, takes steps
with the version it last saw, and checks that refusals are problem details that record
nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import httpx
from fastapi.testclient import TestClient

from domain.offices import OfficeDirectory
from infra.bootstrap import Container
from tests.support import IIN_A, as_user, wait_until

PROBLEM_JSON = "application/problem+json"
DISTRICT = "DIS-ALA-MEDEU"
REGION = "REG-ALA"

# A valid body for every step, keyed by the path after /appeals/{id}; the tests that
# are about input checking (extra fields, If-Match, unknown appeal) use these.
STEP_BODIES: dict[str, dict[str, Any] | None] = {
    "assignment": {"assignee": "pros.1", "office": REGION},
    "consultations": {
        "specialist_role": "lawyer",
        "specialist": "lawyer.1",
        "help": ["legal_help"],
    },
    "materials": {"documents": ["doc-1"]},
    "redirection": {"agency": "Ministry of Labour", "applicant_notified": True},
    "extension": {
        "new_due_on": "2099-01-01",
        "reasons": "Expert opinion needed",
        "approver_role": "head",
        "approver": "head.1",
    },
    "decision": {"outcome": "explained", "reasons": "The law was explained"},
    "refusal-explanation": {"note": "Explained in person"},
    "case-file-requests": {"requesting_office": "GPO", "case_ref": "CASE-1"},
    "case-file-requests/cfr-000000000000/receipt": None,
    "reviews": {
        "reviewing_office": REGION,
        "decision_ref": "Refusal to open a case",
        "result": "upheld",
        "reasons": "Lawful",
    },
    "closure": None,
    "reopening": {"reason": "The applicant disputes the answer"},
}


def appeal_body(**overrides: Any) -> dict[str, Any]:
    """A valid, identified appeal received by the Almaty regional office."""
    body: dict[str, Any] = {
        "channel": "written",
        "office": REGION,
        "summary": "No reply to my complaint about an inquiry",
        "applicant": {"iin": IIN_A, "name": "Aigerim Nurlanovna", "phone": "+7 700 000 0000"},
    }
    body.update(overrides)
    return body


def problem(
    response: httpx.Response,
    status: int,
    rule: str,
    field: str | None = None,
    *,
    context: object = None,
) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status, rule and (when given) field;
    ``context`` names the case in the failure message."""
    where = f"{context}: " if context is not None else ""
    assert response.status_code == status, f"{where}{response.status_code} {response.text}"
    assert response.headers["content-type"] == PROBLEM_JSON, where
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"], f"{where}{body}"
    assert body["rule"] == rule, f"{where}{body}"
    assert body["type"] == f"urn:appeals:problem:{rule}", where
    if field is not None:
        assert body.get("field") == field, f"{where}{body}"
    return body


class AppealApi:
    """The appeals API as a caller uses it, with the checks every test repeats."""

    def __init__(self, client: TestClient, container: Container) -> None:
        self.client = client
        self.container = container

    def today(self) -> date:
        """Today in Kazakhstan, as the service counts deadlines."""
        return self.container.service.today()

    def position(self) -> int:
        # From the store itself: /health's figure is a background sample, seconds old.
        return self.container.service.recorder.max_notification_id() or 0

    # --- receiving ---------------------------------------------------------------

    def post_appeal(self, body: dict[str, Any], **headers: str) -> httpx.Response:
        return self.client.post("/appeals", json=body, headers={**as_user("reg.1"), **headers})

    def receive(self, **overrides: Any) -> str:
        """Receive an appeal (201) and return its id."""
        before = self.position()
        r = self.post_appeal(appeal_body(**overrides))
        assert r.status_code == 201, r.text
        out = r.json()
        assert out["position"] > before and out["position"] == self.position()
        assert r.headers["etag"] == f'"{out["version"]}"'
        assert r.headers["location"] == f"/appeals/{out['appeal_id']}"
        appeal_id: str = out["appeal_id"]
        return appeal_id

    def refuse_appeal(
        self, body: dict[str, Any], status: int, rule: str, field: str | None = None
    ) -> dict[str, Any]:
        """POST /appeals is refused with this problem and the event store is unchanged."""
        before = self.position()
        found = problem(self.post_appeal(body), status, rule, field, context=body)
        assert self.position() == before, f"a refused appeal recorded events: {body}"
        return found

    # --- reading -----------------------------------------------------------------

    def get(self, appeal_id: str) -> httpx.Response:
        return self.client.get(f"/appeals/{appeal_id}")

    def state(self, appeal_id: str) -> dict[str, Any]:
        r = self.get(appeal_id)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        assert r.headers["etag"] == f'"{body["version"]}"'
        return body

    def history(self, appeal_id: str, count: int) -> list[dict[str, Any]]:
        """The appeal's history once the read model has caught up with ``count`` events."""

        def caught_up() -> list[dict[str, Any]] | None:
            r = self.client.get(f"/appeals/{appeal_id}/history")
            if r.status_code != 200:
                return None
            events: list[dict[str, Any]] = r.json()["events"]
            return events if len(events) >= count else None

        events = wait_until(caught_up, timeout=20, what=f"{count} history events")
        assert len(events) == count, [e["type"] for e in events]
        return events

    # --- steps -------------------------------------------------------------------

    def post(
        self,
        appeal_id: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        actor: str = "pros.1",
        if_match: str | None = None,
    ) -> httpx.Response:
        headers = self.caller(appeal_id, path, body, actor)
        if if_match is not None:
            headers["If-Match"] = if_match
        return self.client.post(f"/appeals/{appeal_id}/{path}", json=body, headers=headers)

    def caller(
        self, appeal_id: str, path: str, body: dict[str, Any] | None, actor: str
    ) -> dict[str, str]:
        """Headers of ``actor`` in the role and office the law gives the step on this
        appeal (tests/integration/test_authority.py tests who else is refused): the
        registrar of the receiving office routes; the assignee, or the head of the
        holding office, works the appeal; the head of the office named in the body (or
        of the office that demanded the file) demands and receives case files and
        reviews."""
        acting = (body or {}).get("requesting_office") or (body or {}).get("reviewing_office")
        if acting is not None:
            if acting not in OfficeDirectory.default():
                acting = "GPO"  # a GPO user naming an office that does not exist
            return as_user(actor, office=acting)
        try:
            appeal = self.container.service.get_appeal(UUID(appeal_id))
        except Exception:  # an unknown or malformed id: the API answers for it
            return as_user(actor)
        above_decider = (
            OfficeDirectory.default().get(appeal.decided_by_office or appeal.office).parent
        )
        if path == "complaints":
            return as_user(actor, "registrar", above_decider or "GPO")
        if path.startswith("complaints/"):
            complaint = appeal.complaints.get(path.split("/")[1])
            return as_user(actor, office=str(complaint["office"]) if complaint else "GPO")
        if path in ("assignment", "redirection"):
            return as_user(actor, "registrar", appeal.receiving_office)
        if path.startswith("case-file-requests/"):
            request = appeal.case_file_requests.get(path.split("/")[1])
            return as_user(actor, office=str(request["requesting_office"]) if request else "GPO")
        if actor == appeal.assignee:
            return as_user(actor, "prosecutor", appeal.office)
        return as_user(actor, office=appeal.office)

    def act(
        self,
        appeal_id: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        actor: str = "pros.1",
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Take a step with If-Match set to the version just read; check the answer
        (200, version + 1, the new head position, ETag, Location) and return it with the
        appeal's state afterwards."""
        before = self.state(appeal_id)
        position = self.position()
        r = self.post(appeal_id, path, body, actor=actor, if_match=f'"{before["version"]}"')
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        assert out["appeal_id"] == appeal_id
        assert out["version"] == before["version"] + 1
        assert out["position"] > position and out["position"] == self.position()
        assert r.headers["etag"] == f'"{out["version"]}"'
        assert r.headers["location"] == f"/appeals/{appeal_id}"
        after = self.state(appeal_id)
        assert after["version"] == out["version"]
        return out, after

    def step(
        self,
        appeal_id: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        actor: str = "pros.1",
    ) -> dict[str, Any]:
        """``act`` and return only the appeal's state afterwards."""
        return self.act(appeal_id, path, body, actor=actor)[1]

    def refuse(
        self,
        appeal_id: str,
        path: str,
        body: dict[str, Any] | None,
        status: int,
        rule: str,
        field: str | None = None,
        *,
        if_match: str | None = None,
    ) -> dict[str, Any]:
        """The step is refused with this problem; the appeal and the store are unchanged."""
        before = self.state(appeal_id)
        position = self.position()
        case = f"{path} {body} If-Match={if_match!r} on a {before['status']} appeal"
        r = self.post(appeal_id, path, body, if_match=if_match)
        found = problem(r, status, rule, field, context=case)
        assert self.position() == position, f"a refused step recorded events: {case}"
        assert self.state(appeal_id) == before, f"a refused step changed the appeal: {case}"
        return found

    # --- getting an appeal into a state ----------------------------------------------

    def assigned(self, to: str = DISTRICT, **overrides: Any) -> str:
        """Received with ``overrides`` and assigned to pros.1 of office ``to``."""
        appeal_id = self.receive(**overrides)
        self.step(appeal_id, "assignment", {"assignee": "pros.1", "office": to})
        return appeal_id

    def heard(self, appeal_id: str) -> dict[str, Any]:
        """APPK art. 73: the applicant is heard before an adverse decision."""
        return self.step(appeal_id, "hearing", {"form": "written", "note": "Maintains it"})

    def decided(
        self,
        outcome: str = "explained",
        ground: str | None = None,
        to: str = DISTRICT,
        **overrides: Any,
    ) -> str:
        appeal_id = self.assigned(to, **overrides)
        if outcome in ("refused", "partially_satisfied"):
            self.heard(appeal_id)
        body: dict[str, Any] = {"outcome": outcome, "reasons": "Checked"}
        if ground is not None:
            body["ground"] = ground
        self.step(appeal_id, "decision", body)
        return appeal_id

    def pending_explanation(self, **overrides: Any) -> str:
        """Refused after a personal reception at district level: awaits the explanation."""
        appeal_id = self.decided(
            "refused",
            "no_violation_of_law",
            channel="personal_reception",
            office=DISTRICT,
            to=DISTRICT,
            **overrides,
        )
        assert self.state(appeal_id)["status"] == "refusal_pending_explanation"
        return appeal_id

    def closed(self) -> str:
        appeal_id = self.decided()
        assert self.step(appeal_id, "closure")["status"] == "closed"
        return appeal_id

    def anonymous(self) -> str:
        appeal_id = self.receive(applicant=None)
        assert self.state(appeal_id)["status"] == "not_considered"
        return appeal_id

    def redirected(self) -> str:
        appeal_id = self.receive()
        self.step(
            appeal_id, "redirection", {"agency": "Ministry of Labour", "applicant_notified": True}
        )
        return appeal_id

    def deemed_refused(self) -> str:
        """Received 40 days ago, assigned, never decided; the deadline watcher (which has
        no HTTP operation) records the deemed refusal."""
        received_on = self.today() - timedelta(days=40)
        appeal_id = self.assigned(received_on=received_on.isoformat())
        assert self.container.service.deem_refused_if_overdue([UUID(appeal_id)]) == 1
        assert self.state(appeal_id)["status"] == "deemed_refused"
        return appeal_id
