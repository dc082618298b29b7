"""``ROUTES``, the access matrix's specification: for every route of the API, the actions it
needs, the office of the user who owns what it addresses, a valid request, and what a user
of another region gets; a route of the app missing from ``ROUTES`` fails the suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fastapi import routing
from fastapi.routing import APIRoute

from domain.access import PERMISSIONS, Action, Role
from tests.integration.access_requests import (
    REVIEW,
    appeal_body,
    extension_body,
    instruction_body,
    staff_schedule,
)
from tests.integration.access_world import (
    ALA,
    ALA_DISTRICT,
    GPO,
    LEAVING,
    Call,
    World,
    booking,
)

# --- the specification ------------------------------------------------------------------


class Foreign(StrEnum):
    """What a supervisor of REG-AST gets from a route given REG-ALA's resources."""

    NOT_FOUND = "not-found"  # addresses a resource of REG-ALA by id: 404, as if absent
    OUT_OF_SCOPE = "out-of-scope"  # creates something at a REG-ALA office: 422, nothing recorded
    LISTING = "listing"  # lists: REG-ALA's items left out (test_lists_leave_out_...)
    PUBLIC = "public"  # the office directory is reference data for everyone
    PERSON = "person"  # a person is not an office's resource (erasure is service-wide)


@dataclass(frozen=True)
class Spec:
    needs: frozenset[Action]  # every one of them is required
    office: str  # the office of the user who owns what the route addresses
    call: Callable[[World], Call]
    foreign: Foreign
    # What a user of REG-AST calls instead, when the matrix addresses a non-REG-ALA resource.
    foreign_call: Callable[[World], Call] | None = None
    # The domain rule every permitted role meets, when this world cannot let the command
    # through (otherwise some permitted role must get a 2xx).
    refusal: str | None = None


def needs(*actions: Action) -> frozenset[Action]:
    return frozenset(actions)


def step(
    path: str, body: Callable[[World], dict[str, Any] | None], appeal: str = "appeal"
) -> Callable[[World], Call]:
    return lambda w: Call(f"/appeals/{getattr(w, appeal)}/{path}", body(w))


A = Action
ROUTES: dict[tuple[str, str], Spec] = {
    # --- appeals: receiving and reading
    ("GET", "/appeals"): Spec(
        needs(A.READ_APPEAL), ALA_DISTRICT, lambda w: Call("/appeals"), Foreign.LISTING
    ),
    ("POST", "/appeals"): Spec(
        needs(A.RECEIVE_APPEAL),
        ALA_DISTRICT,
        lambda w: Call("/appeals", appeal_body()),
        Foreign.OUT_OF_SCOPE,
    ),
    ("GET", "/appeals/{appeal_id}"): Spec(
        needs(A.READ_APPEAL),
        ALA_DISTRICT,
        lambda w: Call(f"/appeals/{w.appeal}"),
        Foreign.NOT_FOUND,
    ),
    ("GET", "/appeals/{appeal_id}/applicant"): Spec(
        needs(A.READ_PERSONAL_DATA),
        ALA_DISTRICT,
        lambda w: Call(f"/appeals/{w.appeal}/applicant"),
        Foreign.NOT_FOUND,
    ),
    ("GET", "/appeals/{appeal_id}/views"): Spec(
        needs(A.READ_AUDIT),
        ALA_DISTRICT,
        lambda w: Call(f"/appeals/{w.appeal}/views"),
        Foreign.NOT_FOUND,
    ),
    ("GET", "/appeals/{appeal_id}/reasons"): Spec(
        needs(A.READ_REASONS),
        ALA_DISTRICT,
        lambda w: Call(f"/appeals/{w.decided}/reasons"),
        Foreign.NOT_FOUND,
    ),
    ("GET", "/appeals/{appeal_id}/history"): Spec(
        needs(A.READ_APPEAL),
        ALA_DISTRICT,
        lambda w: Call(f"/appeals/{w.appeal}/history"),
        Foreign.NOT_FOUND,
    ),
    # --- appeals: steps
    ("POST", "/appeals/{appeal_id}/assignment"): Spec(
        needs(A.ROUTE_APPEAL),
        ALA_DISTRICT,
        step("assignment", lambda w: {"assignee": "pros.7", "office": ALA_DISTRICT}, "received"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/consultations"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step(
            "consultations",
            lambda w: {"specialist_role": "lawyer", "specialist": "l.1", "help": ["legal_help"]},
        ),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/materials"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step("materials", lambda w: {"documents": ["doc-1"]}),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/redirection"): Spec(
        needs(A.ROUTE_APPEAL),
        ALA_DISTRICT,
        step(
            "redirection",
            lambda w: {"agency": "Ministry of Labour", "applicant_notified": True},
            "to_redirect",
        ),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/extension"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step("extension", extension_body, "to_extend"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/decision"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step("decision", lambda w: {"outcome": "explained", "reasons": "Explained"}, "to_decide"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/refusal-explanation"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step("refusal-explanation", lambda w: {"note": "Explained"}, "pending_explanation"),
        Foreign.NOT_FOUND,
    ),
    # Case files and reviews are oversight acts recorded on the appeal: the auditor
    # oversees but is read-only, so they need both.
    ("POST", "/appeals/{appeal_id}/case-file-requests"): Spec(
        needs(A.OVERSEE, A.WORK_APPEAL),
        ALA,
        step("case-file-requests", lambda w: {"case_ref": "CASE-2"}),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/case-file-requests/{request_id}/receipt"): Spec(
        needs(A.OVERSEE, A.WORK_APPEAL),
        ALA,
        lambda w: Call(f"/appeals/{w.appeal}/case-file-requests/{w.request_id}/receipt"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/reviews"): Spec(
        needs(A.OVERSEE, A.WORK_APPEAL),
        ALA,
        step("reviews", lambda w: REVIEW, "decided"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/closure"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step("closure", lambda w: None, "decided"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/reopening"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step("reopening", lambda w: {"reason": "Disputes the answer"}, "closed"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/suspension"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step(
            "suspension",
            lambda w: {"reason": "awaiting_applicant", "note": "Documents requested"},
            "to_suspend",
        ),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/hearing"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step("hearing", lambda w: {"form": "in_person", "note": "Maintains it"}, "to_notify"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/notices"): Spec(
        needs(A.RECORD_NOTICE),
        ALA_DISTRICT,
        step("notices", lambda w: {"kind": "receipt", "channel": "post"}, "to_notify"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/resumption"): Spec(
        needs(A.WORK_APPEAL),
        ALA_DISTRICT,
        step("resumption", lambda w: None, "suspended"),
        Foreign.NOT_FOUND,
    ),
    # A complaint goes to an office above the one that decided (DIS-ALA-MEDEU).
    ("POST", "/appeals/{appeal_id}/complaints"): Spec(
        needs(A.RECEIVE_APPEAL),
        ALA,
        step("complaints", lambda w: {"grounds": "The check ignored my evidence"}, "decided"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/appeals/{appeal_id}/complaints/{complaint_id}/decision"): Spec(
        needs(A.OVERSEE, A.WORK_APPEAL),
        ALA,
        lambda w: Call(
            f"/appeals/{w.complained}/complaints/{w.complaint_id}/decision",
            {"result": "upheld", "reasons": "Lawful"},
        ),
        Foreign.NOT_FOUND,
    ),
    # --- personal data
    ("POST", "/applicants/{applicant_ref}/erasure-requests"): Spec(
        needs(A.ERASE_PERSON),
        GPO,
        lambda w: Call(
            f"/applicants/{w.erasable_ref}/erasure-requests", {"ground": "purpose_achieved"}
        ),
        Foreign.PERSON,
    ),
    ("POST", "/applicants/{applicant_ref}/erasure"): Spec(
        needs(A.ERASE_PERSON),
        GPO,
        lambda w: Call(f"/applicants/{w.erasable_ref}/erasure", {"ground": "purpose_achieved"}),
        Foreign.PERSON,
    ),
    # Approved by someone other than the requester (the matrix's users are all others).
    ("POST", "/erasure-requests/{erasure_id}/approval"): Spec(
        needs(A.ERASE_PERSON),
        GPO,
        lambda w: Call(f"/erasure-requests/{w.erasure_id}/approval"),
        Foreign.PERSON,
    ),
    ("GET", "/erasure-requests"): Spec(
        needs(A.READ_AUDIT), GPO, lambda w: Call("/erasure-requests"), Foreign.LISTING
    ),
    ("GET", "/erasure-requests/{erasure_id}"): Spec(
        needs(A.READ_AUDIT),
        GPO,
        lambda w: Call(f"/erasure-requests/{w.erasure_id}"),
        Foreign.NOT_FOUND,
    ),
    # --- instructions
    ("POST", "/instructions"): Spec(
        needs(A.ISSUE_INSTRUCTION),
        GPO,
        lambda w: Call("/instructions", instruction_body(w)),
        Foreign.OUT_OF_SCOPE,
    ),
    ("POST", "/instructions/{instruction_id}/receipt"): Spec(
        needs(A.HANDLE_INSTRUCTION),
        ALA_DISTRICT,
        lambda w: Call(f"/instructions/{w.instruction}/receipt", {}),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/instructions/{instruction_id}/acknowledgement"): Spec(
        needs(A.HANDLE_INSTRUCTION),
        ALA_DISTRICT,
        lambda w: Call(f"/instructions/{w.received_instruction}/acknowledgement", {}),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/instructions/{instruction_id}/execution"): Spec(
        needs(A.HANDLE_INSTRUCTION),
        ALA_DISTRICT,
        lambda w: Call(f"/instructions/{w.acknowledged_instruction}/execution", {"report": "Done"}),
        Foreign.NOT_FOUND,
    ),
    ("GET", "/instructions/{instruction_id}"): Spec(
        needs(A.READ_INSTRUCTIONS),
        ALA_DISTRICT,
        lambda w: Call(f"/instructions/{w.instruction}"),
        Foreign.NOT_FOUND,
    ),
    ("GET", "/instructions"): Spec(
        needs(A.READ_INSTRUCTIONS), ALA_DISTRICT, lambda w: Call("/instructions"), Foreign.LISTING
    ),
    # --- oversight
    ("GET", "/oversight/decisions"): Spec(
        needs(A.OVERSEE), ALA, lambda w: Call("/oversight/decisions"), Foreign.LISTING
    ),
    ("GET", "/oversight/reception-statistics"): Spec(
        needs(A.OVERSEE), ALA, lambda w: Call("/oversight/reception-statistics"), Foreign.LISTING
    ),
    ("GET", "/oversight/redirects"): Spec(
        needs(A.OVERSEE), ALA, lambda w: Call("/oversight/redirects"), Foreign.LISTING
    ),
    # --- offices and their reception schedules
    ("GET", "/offices"): Spec(
        needs(A.READ_REFERENCE), ALA, lambda w: Call("/offices"), Foreign.PUBLIC
    ),
    ("GET", "/offices/{code}"): Spec(
        needs(A.READ_REFERENCE), ALA, lambda w: Call(f"/offices/{ALA}"), Foreign.PUBLIC
    ),
    ("POST", "/offices/{code}/schedules"): Spec(
        needs(A.MANAGE_RECEPTION),
        ALA,
        lambda w: Call(f"/offices/{ALA}/schedules", staff_schedule(w)),
        Foreign.OUT_OF_SCOPE,
    ),
    ("GET", "/offices/{code}/schedules"): Spec(
        needs(A.READ_REFERENCE), ALA, lambda w: Call(f"/offices/{ALA}/schedules"), Foreign.NOT_FOUND
    ),
    ("GET", "/offices/{code}/schedules/{schedule_id}"): Spec(
        needs(A.READ_REFERENCE),
        ALA,
        lambda w: Call(f"/offices/{ALA}/schedules/{w.schedule}"),
        Foreign.NOT_FOUND,
    ),
    ("POST", "/offices/{code}/schedules/{schedule_id}/delegation"): Spec(
        needs(A.MANAGE_RECEPTION),
        ALA,
        lambda w: Call(
            f"/offices/{ALA}/schedules/{w.schedule}/delegation",
            {"session": 2, "deputy": "ala.deputy.1"},
        ),
        Foreign.NOT_FOUND,
    ),
    ("GET", "/offices/{code}/staff"): Spec(
        needs(A.READ_REFERENCE), ALA, lambda w: Call(f"/offices/{ALA}/staff"), Foreign.NOT_FOUND
    ),
    ("PUT", "/offices/{code}/staff/{staff_id}"): Spec(
        needs(A.MANAGE_STAFF),
        ALA,
        lambda w: Call(f"/offices/{ALA}/staff/ala.clerk.8", {"position": "staff"}),
        Foreign.OUT_OF_SCOPE,
    ),
    ("DELETE", "/offices/{code}/staff/{staff_id}"): Spec(
        needs(A.MANAGE_STAFF),
        ALA,
        lambda w: Call(f"/offices/{ALA}/staff/{LEAVING[0][0]}"),
        Foreign.OUT_OF_SCOPE,
    ),
    # --- appointments
    ("POST", "/appointments"): Spec(
        needs(A.BOOK_APPOINTMENT),
        ALA,
        lambda w: Call("/appointments", booking(w.schedule, next(w.slots))),
        Foreign.NOT_FOUND,  # the schedule, named in the body
    ),
    ("GET", "/appointments/{appointment_id}"): Spec(
        needs(A.READ_REFERENCE),
        ALA,
        lambda w: Call(f"/appointments/{w.appointment}"),
        Foreign.NOT_FOUND,
    ),
    # Admission to a reception is refused at the GPO only.
    ("POST", "/appointments/{appointment_id}/admission-refusal"): Spec(
        needs(A.MANAGE_RECEPTION),
        GPO,
        lambda w: Call(
            f"/appointments/{w.gpo_appointment}/admission-refusal",
            {"ground": "court_competence", "reasons": "The case was sent to court."},
        ),
        Foreign.NOT_FOUND,
        foreign_call=lambda w: Call(
            f"/appointments/{w.appointment}/admission-refusal",
            {"ground": "court_competence", "reasons": "The case was sent to court."},
        ),
    ),
    ("POST", "/appointments/{appointment_id}/cancellation"): Spec(
        needs(A.BOOK_APPOINTMENT),
        ALA,
        lambda w: Call(f"/appointments/{w.to_cancel}/cancellation", {"reason": "Ill"}),
        Foreign.NOT_FOUND,
    ),
    # The reception clock stands before the slot, so attendance cannot be recorded yet.
    ("POST", "/appointments/{appointment_id}/attendance"): Spec(
        needs(A.MANAGE_RECEPTION),
        ALA,
        lambda w: Call(f"/appointments/{w.appointment}/attendance"),
        Foreign.NOT_FOUND,
        refusal="slot-not-started",
    ),
}

# Not in the matrix: operations without a user, the OpenAPI pages, and the dashboard
# (tests/integration/test_dashboard.py checks its roles and scope).
UNGUARDED = {
    "/health",
    "/health/live",
    "/health/ready",
    "/metrics",
    "/openapi.json",
    "/docs",
    "/docs/init.js",
    "/docs/assets",
}


def app_routes(w: World) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    app: Any = w.client.app
    for context in routing.iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path
        if path is None or path in UNGUARDED or path.startswith("/ui/") or path == "/ui":
            continue
        assert isinstance(route, APIRoute), f"{path} is not an API route: add it to the matrix"
        found.update((method, path) for method in sorted(route.methods or ()))
    return found


def allowed(role: Role, spec: Spec) -> bool:
    return spec.needs <= PERMISSIONS[role]
