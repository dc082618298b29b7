"""Access control as a matrix, on real PostgreSQL: every route of the API against every
role (allowed by ``domain.access.PERMISSIONS`` -> served; not allowed -> 403), a user of
another region (404 for everything addressed by id; lists without the other region),
bad tokens (401) and fields a client may not set (422). One small world is built once
for the whole module; a route that would spoil it for the next one gets its own appeal,
instruction or appointment in the state it needs.

``ROUTES`` is the specification: for every route, the actions it needs, the office of
the user who owns what it addresses, a valid request, and what a user of another region
gets. A route of the app missing from ``ROUTES`` fails the suite."""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

import httpx
import jwt
import pytest
from fastapi import routing
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from domain.access import PERMISSIONS, Action, Role
from domain.applicants import Applicant
from domain.authority import Who
from domain.commands import (
    AcknowledgeInstruction,
    AssignAppeal,
    CloseAppeal,
    Consult,
    Decide,
    FileComplaint,
    IssueInstruction,
    ReceiveInstruction,
    Redirect,
    RequestCaseFile,
    SuspendTerm,
)
from domain.offices import OfficeDirectory
from infra.adapters.clock import system_clock
from infra.adapters.settings import Settings
from infra.adapters.tokens import TokenService
from infra.bootstrap import Container, build
from tests.support import (
    IIN_A,
    IIN_B,
    as_user,
    fresh_database,
    heard_then,
    new_appeal,
    settings_for,
    staff,
    wait_until,
)

pytestmark = pytest.mark.postgres

PROBLEM_JSON = "application/problem+json"
GPO = "GPO"
ALA = "REG-ALA"
ALA_DISTRICT = "DIS-ALA-MEDEU"
AST = "REG-AST"
AST_DISTRICT = "DIS-AST-YESIL"
# The reception timetable is in early 2025; the reception service's clock stands before it.
RECEPTION_NOW = datetime.fromisoformat("2025-01-10T12:00:00+05:00")
ALA_AGENCY = "Almaty City Akimat"
AST_AGENCY = "Astana City Akimat"
# What a caller never sees when the request itself was let through.
ACCESS_RULES = {
    "forbidden",
    "not-authenticated",
    "office-out-of-scope",
    "office-not-yours",
    *(who.value for who in Who),
    "reasons-restricted",
}


# --- the world ------------------------------------------------------------------------


@dataclass
class World:
    """What the routes address. REG-ALA's resources (at DIS-ALA-MEDEU unless named)
    and a few of REG-AST's, for the lists."""

    client: TestClient
    container: Container
    appeal: str  # assigned, in progress, identified applicant, a pending case-file request
    request_id: str  # that pending case-file request
    received: str  # received, not assigned yet
    to_redirect: str
    to_extend: str
    to_decide: str
    pending_explanation: str  # refused after a personal reception
    decided: str  # explained, not closed
    closed: str
    complained: str  # decided, with a complaint filed at REG-ALA
    to_suspend: str  # assigned
    suspended: str  # assigned, its term suspended
    to_notify: str  # received, its receipt not yet notified
    complaint_id: str
    erasable_ref: str  # an applicant of their own appeal, to erase
    ala_ids: set[str]  # every appeal of REG-ALA
    ast_appeal: str
    instruction: str  # GPO -> DIS-ALA-MEDEU, issued
    received_instruction: str
    acknowledged_instruction: str
    ast_instruction: str  # GPO -> DIS-AST-YESIL
    schedule: str  # the regional prosecutor's of REG-ALA, by appointment
    gpo_schedule: str
    appointment: str  # REG-ALA, booked
    to_cancel: str  # REG-ALA, booked
    gpo_appointment: str  # booked
    slots: Iterator[str]  # REG-ALA's schedule's slots, round and round (taken: 409)
    officials: Iterator[int] = field(default_factory=itertools.count)

    def position(self) -> int:
        # From the store itself: /health's figure is a background sample, seconds old.
        return self.container.service.recorder.max_notification_id() or 0


@dataclass(frozen=True)
class Call:
    url: str
    json: dict[str, Any] | None = None
    params: dict[str, str] | None = None


def user(role: Role, office: str, sub: str | None = None) -> dict[str, str]:
    return as_user(sub or f"{role.value}.{office.lower()}", role.value, office)


def send(w: World, method: str, call: Call, headers: dict[str, str]) -> httpx.Response:
    return w.client.request(method, call.url, json=call.json, params=call.params, headers=headers)


@pytest.fixture(scope="module")
def module_database_url(postgres_server: str, migrated_template: str) -> Iterator[str]:
    """A fresh database for this module's world (as ``database_url`` makes one per test)."""
    with fresh_database(postgres_server, migrated_template) as url:
        yield url


def _caught_up(container: Container) -> None:
    head = container.service.recorder.max_notification_id() or 0
    feed = container.feed
    assert feed is not None
    wait_until(lambda: feed.position() >= head, timeout=30, what="the feed to catch up")


@pytest.fixture(scope="module")
def world(module_database_url: str) -> Iterator[World]:
    container = build(settings_for(module_database_url))
    container.reception.clock = lambda: RECEPTION_NOW
    container.start_feed()
    with TestClient(create_app(container)) as client:
        yield _build_world(client, container)
    container.close()


def _build_world(client: TestClient, container: Container) -> World:
    s = container.service
    today = s.today()

    def receive(office: str = ALA_DISTRICT, **overrides: Any) -> UUID:
        return s.bus.send(new_appeal(office=office, **overrides), staff("reg.1")).appeal_id

    # The matrix's prosecutor of an office (``user``) is the assignee of its appeals.
    def assignee(office: str) -> str:
        return f"{Role.PROSECUTOR.value}.{office.lower()}"

    def assigned(office: str = ALA_DISTRICT, **overrides: Any) -> UUID:
        appeal_id = receive(office, **overrides)
        s.bus.send(
            AssignAppeal(appeal_id=appeal_id, assignee=assignee(office), office=office),
            staff("head.1", office),
        )
        return appeal_id

    def decided(office: str = ALA_DISTRICT, **overrides: Any) -> UUID:
        appeal_id = assigned(office, **overrides)
        s.bus.send(
            Decide(appeal_id=appeal_id, outcome="explained", reasons="Explained", ground=None),
            staff("head.1", office),
        )
        return appeal_id

    def redirected(office: str, agency: str) -> UUID:
        appeal_id = receive(office)
        s.bus.send(
            Redirect(
                appeal_id=appeal_id, agency=agency, egov_reference="E-1", applicant_notified=True
            ),
            staff("head.1", office),
        )
        return appeal_id

    def centre_visit(office: str) -> UUID:
        appeal_id = receive(office, channel="law_enforcement_center")
        s.bus.send(
            Consult(
                appeal_id=appeal_id,
                specialist_role="lawyer",
                specialist="lawyer.1",
                help=["legal_help"],
                note=None,
            ),
            staff("head.1", office),
        )
        return appeal_id

    main = assigned()
    request_id = s.bus.send(
        RequestCaseFile(appeal_id=main, requesting_office=ALA, case_ref="CASE-1"),
        staff("sup.ala", ALA),
    ).result
    pending = assigned(channel="personal_reception")
    heard_then(
        s,
        Decide(appeal_id=pending, outcome="refused", reasons="r", ground="no_violation_of_law"),
        staff("head.1", ALA_DISTRICT),
    )
    assert s.get_appeal(pending).status.value == "refusal_pending_explanation"
    closed = decided()
    s.bus.send(CloseAppeal(appeal_id=closed), staff("head.1", ALA_DISTRICT))
    complained = decided()
    suspended = assigned()
    s.bus.send(
        SuspendTerm(appeal_id=suspended, reason="awaiting_materials", note="Expert opinion"),
        staff("head.1", ALA_DISTRICT),
    )
    complaint_id = s.bus.send(
        FileComplaint(appeal_id=complained, grounds="Evidence ignored"),
        staff("head.1", ALA),
    ).result
    erasable = receive(applicant=Applicant(iin=IIN_B, name="Second Person"))
    erasable_ref = s.get_appeal(erasable).applicant_ref
    assert erasable_ref is not None
    ala = {
        "appeal": main,
        "received": receive(),
        "to_redirect": receive(),
        "to_extend": assigned(),
        "to_decide": assigned(),
        "pending_explanation": pending,
        "decided": decided(),
        "closed": closed,
        "complained": complained,
        "to_suspend": assigned(),
        "suspended": suspended,
        "to_notify": assigned(),
    }
    ala_extra = [erasable, redirected(ALA_DISTRICT, ALA_AGENCY), centre_visit(ALA_DISTRICT)]
    ast_appeal = decided(AST_DISTRICT)
    redirected(AST_DISTRICT, AST_AGENCY)
    centre_visit(AST_DISTRICT)

    instructions = container.instructions

    def issue(addressee: str, appeal_id: UUID | None = None) -> UUID:
        return instructions.app.bus.send(
            IssueInstruction(
                issuing_office=GPO,
                addressee_office=addressee,
                subject="Check the appeal",
                body="Verify and report",
                due_on=today + timedelta(days=30),
                appeal_id=appeal_id,
            ),
            staff("gpo.sup", GPO),
        ).instruction_id

    instruction = issue(ALA_DISTRICT, main)
    received_instruction = issue(ALA_DISTRICT)
    instructions.app.bus.send(
        ReceiveInstruction(instruction_id=received_instruction, office=ALA_DISTRICT),
        staff("p.1", ALA_DISTRICT),
    )
    acknowledged_instruction = issue(ALA_DISTRICT)
    instructions.app.bus.send(
        ReceiveInstruction(instruction_id=acknowledged_instruction, office=ALA_DISTRICT),
        staff("p.1", ALA_DISTRICT),
    )
    instructions.app.bus.send(
        AcknowledgeInstruction(instruction_id=acknowledged_instruction, office=ALA_DISTRICT),
        staff("p.1", ALA_DISTRICT),
    )
    ast_instruction = issue(AST_DISTRICT, ast_appeal)

    gpo = user(Role.SUPERVISOR, GPO)

    def created(url: str, body: dict[str, Any]) -> str:
        r = client.post(url, json=body, headers=gpo)
        assert r.status_code == 201, r.text
        created_id: str = r.json()["id"]
        return created_id

    schedule = created(f"/offices/{ALA}/schedules", REGIONAL_SCHEDULE)
    gpo_schedule = created(f"/offices/{GPO}/schedules", GPO_SCHEDULE)
    slots = itertools.cycle(
        f"2025-02-{day}T{hour}+05:00"
        for day in ("05", "12")
        for hour in ("15:00", "15:30", "16:00", "16:30")
    )
    appointment = created("/appointments", booking(schedule, next(slots)))
    to_cancel = created("/appointments", booking(schedule, next(slots)))
    gpo_appointment = created("/appointments", booking(gpo_schedule, "2025-02-14T10:30+05:00"))
    _caught_up(container)
    return World(
        client=client,
        container=container,
        request_id=request_id,
        complaint_id=complaint_id,
        erasable_ref=erasable_ref,
        ala_ids={str(a) for a in [*ala.values(), *ala_extra]},
        ast_appeal=str(ast_appeal),
        instruction=str(instruction),
        received_instruction=str(received_instruction),
        acknowledged_instruction=str(acknowledged_instruction),
        ast_instruction=str(ast_instruction),
        schedule=schedule,
        gpo_schedule=gpo_schedule,
        appointment=appointment,
        to_cancel=to_cancel,
        gpo_appointment=gpo_appointment,
        slots=slots,
        **{k: str(v) for k, v in ala.items()},
    )


REGIONAL_SCHEDULE: dict[str, Any] = {
    "official": "ala.prosecutor",
    "role": "regional_prosecutor",
    "kind": "by_appointment",
    "period_from": "2025-02-03",
    "period_to": "2025-02-16",
    "sessions": [
        {"start": "2025-02-05T15:00:00+05:00", "end": "2025-02-05T17:00:00+05:00"},
        {"start": "2025-02-12T15:00:00+05:00", "end": "2025-02-12T17:00:00+05:00"},
    ],
}
GPO_SCHEDULE: dict[str, Any] = {
    "official": "gpo.deputy.1",
    "role": "deputy_prosecutor_general",
    "kind": "by_appointment",
    "period_from": "2025-02-01",
    "period_to": "2025-03-31",
    "sessions": [
        {"start": "2025-02-14T10:00:00+05:00", "end": "2025-02-14T12:00:00+05:00"},
        {"start": "2025-03-14T10:00:00+05:00", "end": "2025-03-14T12:00:00+05:00"},
    ],
}


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


def booking(schedule_id: str, starts_at: str) -> dict[str, Any]:
    return {
        "schedule_id": schedule_id,
        "starts_at": starts_at,
        "applicant_ref": "applicant-7f3a",
        "channel": "call_centre_115",
        "matter": "Inaction of the investigator in case 123",
        "within_competence": True,
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
    ("POST", "/applicants/{applicant_ref}/erasure"): Spec(
        needs(A.ERASE_PERSON),
        GPO,
        lambda w: Call(f"/applicants/{w.erasable_ref}/erasure"),
        Foreign.PERSON,
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
    "/docs/oauth2-redirect",
    "/redoc",
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
        found.update((method, path) for method in sorted(route.methods))
    return found


def allowed(role: Role, spec: Spec) -> bool:
    return spec.needs <= PERMISSIONS[role]


def is_problem(r: httpx.Response, status: int, rule: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, f"{r.status_code} {r.text}"
    assert r.headers["content-type"] == PROBLEM_JSON, r.headers
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["detail"], body
    if rule is not None:
        assert body["rule"] == rule, body
    return body


# --- every route has a row -----------------------------------------------------------------


def test_every_route_of_the_app_is_in_the_matrix(world: World) -> None:
    found = app_routes(world)
    missing = sorted(found - ROUTES.keys())
    stale = sorted(ROUTES.keys() - found)
    assert not missing, f"routes the access matrix does not know how to call: {missing}"
    assert not stale, f"matrix rows for routes the app no longer has: {stale}"
    for key, spec in ROUTES.items():
        assert spec.needs, key
        assert any(allowed(role, spec) for role in Role), f"nobody may call {key}"


# --- route x role -------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(ROUTES), ids=[f"{m} {p}" for m, p in ROUTES])
def test_each_role_is_served_or_forbidden(world: World, key: tuple[str, str]) -> None:
    method, path = key
    spec = ROUTES[key]
    failures: list[str] = []
    served: list[str] = []
    for role in Role:
        before = world.position()
        r = send(world, method, spec.call(world), user(role, spec.office))
        answer = f"{role.value}@{spec.office}: {r.status_code} {r.text[:300]}"
        if not allowed(role, spec):
            body = r.json() if r.headers.get("content-type") == PROBLEM_JSON else {}
            if r.status_code != 403 or body.get("rule") != "forbidden":
                failures.append(f"should be 403 forbidden: {answer}")
            if world.position() != before:
                failures.append(f"a forbidden request recorded events: {answer}")
            continue
        if r.is_success:
            served.append(role.value)
            continue
        if r.status_code >= 500 or r.status_code in (401, 403, 404):
            failures.append(f"should be served: {answer}")
        elif r.headers.get("content-type") != PROBLEM_JSON:
            failures.append(f"not a problem document: {answer}")
        else:
            body = r.json()
            if body["rule"] in ACCESS_RULES or "errors" in body:
                failures.append(f"refused on access or input, not on the domain: {answer}")
            elif spec.refusal is not None and body["rule"] != spec.refusal:
                failures.append(f"expected the domain to refuse on {spec.refusal}: {answer}")
        if world.position() != before:
            failures.append(f"a refused command recorded events: {answer}")
    if spec.refusal is None and not served:
        failures.append("no permitted role was served: the matrix's request is not valid")
    if spec.refusal is not None and served:
        failures.append(f"served {served} although the world refuses on {spec.refusal}")
    assert not failures, f"{method} {path}:\n" + "\n".join(failures)


# --- a user of another region -----------------------------------------------------------


def foreign_user(spec: Spec) -> dict[str, str]:
    """A REG-AST user whose role may call the route (a supervisor where possible), so
    that what refuses them is the office scope, not the role."""
    roles = [Role.SUPERVISOR, *Role]
    role = next(r for r in roles if allowed(r, spec))
    return user(role, AST)


BY_ID = [key for key, spec in ROUTES.items() if spec.foreign is Foreign.NOT_FOUND]
CREATING = [key for key, spec in ROUTES.items() if spec.foreign is Foreign.OUT_OF_SCOPE]


@pytest.mark.parametrize("key", BY_ID, ids=[f"{m} {p}" for m, p in BY_ID])
def test_another_regions_resource_is_not_found(world: World, key: tuple[str, str]) -> None:
    method, _ = key
    spec = ROUTES[key]
    call = (spec.foreign_call or spec.call)(world)
    before = world.position()
    r = send(world, method, call, foreign_user(spec))
    body = is_problem(r, 404)
    assert body["rule"].endswith("-not-found"), body
    if not allowed(Role.SUPERVISOR, spec):
        # The role is checked before anything is looked up: a 403 tells nothing.
        r = send(world, method, call, user(Role.SUPERVISOR, AST))
        is_problem(r, 403, "forbidden")
    assert world.position() == before


@pytest.mark.parametrize("key", CREATING, ids=[f"{m} {p}" for m, p in CREATING])
def test_creating_at_another_regions_office_is_refused(world: World, key: tuple[str, str]) -> None:
    method, _ = key
    spec = ROUTES[key]
    before = world.position()
    r = send(world, method, spec.call(world), foreign_user(spec))
    body = is_problem(r, 422)
    assert body["rule"] in {"office-out-of-scope", "issuer-not-above-addressee"}, body
    assert world.position() == before


def test_the_office_directory_is_reference_data_for_every_region(world: World) -> None:
    for key, spec in ROUTES.items():
        if spec.foreign is Foreign.PUBLIC:
            r = send(world, key[0], spec.call(world), foreign_user(spec))
            assert r.status_code == 200, (key, r.text)


def test_lists_leave_out_another_regions_items(world: World) -> None:
    client = world.client
    offices = OfficeDirectory.default()
    ast_offices = {o.code for o in offices.subtree(AST)}
    ala_offices = {o.code for o in offices.subtree(ALA)}
    foreign = user(Role.SUPERVISOR, AST)
    ala = user(Role.SUPERVISOR, ALA)

    def get(path: str, headers: dict[str, str], **params: str) -> dict[str, Any]:
        r = client.get(path, params=params, headers=headers)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    # The register.
    mine = get("/appeals", foreign, limit="200")
    ids = {item["appeal_id"] for item in mine["items"]}
    assert world.ast_appeal in ids and not ids & world.ala_ids
    assert {item["region"] for item in mine["items"]} == {AST}
    assert mine["total"] == len(mine["items"])
    theirs = get("/appeals", ala, limit="200")
    assert world.ala_ids <= {item["appeal_id"] for item in theirs["items"]}
    assert get("/appeals", foreign, region=ALA)["items"] == []
    assert get("/appeals", foreign, office=ALA_DISTRICT)["items"] == []

    # Instructions.
    listed = get("/instructions", foreign)["instructions"]
    ids = {i["instruction_id"] for i in listed}
    assert world.ast_instruction in ids and world.instruction not in ids
    assert all(i["addressee_office"] in ast_offices for i in listed), listed
    assert world.instruction in {
        i["instruction_id"] for i in get("/instructions", ala)["instructions"]
    }
    assert get("/instructions", foreign, addressee=ALA_DISTRICT)["instructions"] == []
    assert get("/instructions", foreign, region=ALA)["instructions"] == []

    # Oversight.
    for group_by, other in (("region", {ALA}), ("office", ala_offices), ("prosecutor", None)):
        rows = get("/oversight/decisions", foreign, group_by=group_by)["rows"]
        keys = {row["key"] for row in rows}
        assert keys, f"REG-AST has decisions by {group_by}"
        assert not keys & (other or {f"prosecutor.{ALA_DISTRICT.lower()}"}), (group_by, rows)
        ala_keys = {
            row["key"] for row in get("/oversight/decisions", ala, group_by=group_by)["rows"]
        }
        assert not ala_keys & {AST, *ast_offices, f"prosecutor.{AST_DISTRICT.lower()}"}, (
            group_by,
            ala_keys,
        )
    centres = {c["centre"] for c in get("/oversight/reception-statistics", foreign)["centres"]}
    assert centres == {AST_DISTRICT}
    assert {c["centre"] for c in get("/oversight/reception-statistics", ala)["centres"]} == {
        ALA_DISTRICT
    }
    agencies = {a["agency"] for a in get("/oversight/redirects", foreign)["agencies"]}
    assert AST_AGENCY in agencies and ALA_AGENCY not in agencies
    assert ALA_AGENCY in {a["agency"] for a in get("/oversight/redirects", ala)["agencies"]}
    for path in ("/oversight/decisions", "/oversight/reception-statistics", "/oversight/redirects"):
        is_problem(
            client.get(path, params={"under": ALA}, headers=foreign), 422, "office-out-of-scope"
        )


def test_another_regions_appeal_named_in_a_body_is_unknown(world: World) -> None:
    """An appeal of REG-ALA named in a command of a REG-AST user is refused as an unknown
    one would be: the answer tells nothing about whether it exists."""
    client = world.client
    foreign = user(Role.SUPERVISOR, AST)
    before = world.position()
    for appeal_id in (world.appeal, str(uuid4())):
        body = {**instruction_body(world, AST_DISTRICT), "appeal_id": appeal_id}
        r = client.post("/instructions", json=body, headers=foreign)
        is_problem(r, 422, "unknown-appeal")
    details = []
    for appeal_id in (world.closed, str(uuid4())):
        r = client.post("/appeals", json=appeal_body(AST, repeat_of=appeal_id), headers=foreign)
        body = is_problem(r, 422, "repeat-of-unknown")
        assert body["field"] == "repeat_of", body
        details.append(body["detail"].replace(appeal_id, "<id>"))
    assert details[0] == details[1]
    assert world.position() == before


# --- tokens -------------------------------------------------------------------------------


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(**overrides: Any) -> dict[str, Any]:
    now = system_clock()
    claims: dict[str, Any] = {
        "sub": "sup.1",
        "role": "supervisor",
        "office": GPO,
        "iss": Settings().jwt_issuer,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
    }
    claims.update(overrides)
    return claims


def _signed(claims: dict[str, Any], *, key: str | None = None, kid: str | None = None) -> str:
    s = Settings()
    return jwt.encode(
        claims,
        key or s.jwt_keys[s.jwt_active_kid],
        algorithm="HS256",
        headers={"kid": kid or s.jwt_active_kid},
    )


def bad_credentials() -> dict[str, dict[str, str]]:
    s = Settings()
    service = TokenService(s.jwt_keys, s.jwt_active_kid, s.jwt_issuer)
    expired = service.mint(sub="sup.1", role=Role.SUPERVISOR, office=GPO, ttl=timedelta(seconds=-5))
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': s.jwt_active_kid})}.{_b64(_claims())}."
    bearer = {
        "forged signature": _signed(_claims(), key="not-the-key-" + "x" * 40),
        "expired": expired,
        "alg none": unsigned,
        "unknown kid": _signed(_claims(), kid="retired-2019"),
        "unknown role": _signed(_claims(role="root")),
        "unknown office": _signed(_claims(office="REG-NOWHERE")),
        "other issuer": _signed(_claims(iss="someone-else")),
        "not a token": "nonsense",
    }
    cases = {name: {"Authorization": f"Bearer {token}"} for name, token in bearer.items()}
    cases["no token"] = {}
    cases["basic"] = {"Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()}
    return cases


BAD = bad_credentials()


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_token_is_401_and_records_nothing(world: World, case: str) -> None:
    headers = BAD[case]
    calls = [
        ("GET", Call(f"/appeals/{world.appeal}")),
        ("GET", Call("/appeals")),
        ("POST", Call("/appeals", appeal_body())),
        ("POST", Call(f"/appeals/{world.appeal}/materials", {"documents": ["doc-9"]})),
        ("POST", Call("/instructions", instruction_body(world))),
    ]
    for method, call in calls:
        before = world.position()
        r = send(world, method, call, headers)
        body = is_problem(r, 401, "not-authenticated")
        assert body["field"] == "Authorization", body
        assert r.headers["www-authenticate"] == "Bearer", r.headers
        assert world.position() == before, f"{case}: {method} {call.url} recorded events"


def test_a_good_token_is_accepted(world: World) -> None:
    """The control for the cases above: the same claims, properly signed, pass."""
    r = world.client.get(
        f"/appeals/{world.appeal}", headers={"Authorization": f"Bearer {_signed(_claims())}"}
    )
    assert r.status_code == 200, r.text


# --- mass assignment ----------------------------------------------------------------------


SERVER_FIELDS = {
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
    step_fields = {
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


def test_fields_a_client_may_not_set_are_refused(world: World) -> None:
    for method, call, name, headers in mass_assignment_cases(world):
        before = world.position()
        r = send(world, method, call, headers)
        body = is_problem(r, 422, "extra_forbidden")
        assert body["field"] == name, (call.url, body)
        assert world.position() == before, f"{call.url} with {name} recorded events"


def test_acting_as_another_office_is_refused(world: World) -> None:
    """The office one acts as comes from the token; naming another one is refused, even
    an office below one's own."""
    w = world
    ala = user(Role.SUPERVISOR, ALA)
    cases = [
        (
            Call(
                f"/appeals/{w.appeal}/case-file-requests",
                {"requesting_office": GPO, "case_ref": "C"},
            ),
            "requesting_office",
            ala,
        ),
        (
            Call(f"/appeals/{w.appeal}/reviews", {**REVIEW, "reviewing_office": GPO}),
            "reviewing_office",
            ala,
        ),
        (
            Call("/instructions", {**instruction_body(w), "issuing_office": ALA}),
            "issuing_office",
            user(Role.SUPERVISOR, GPO),
        ),
        (
            Call("/instructions", {**instruction_body(w), "issuing_office": GPO}),
            "issuing_office",
            ala,
        ),
    ]
    for path, body in (
        ("receipt", {}),
        ("acknowledgement", {}),
        ("execution", {"report": "Done"}),
    ):
        for instruction in (w.instruction, w.received_instruction, w.acknowledged_instruction):
            cases.append(
                (
                    Call(f"/instructions/{instruction}/{path}", {**body, "office": ALA_DISTRICT}),
                    "office",
                    ala,
                )
            )
    for call, name, headers in cases:
        before = w.position()
        r = send(w, "POST", call, headers)
        body = is_problem(r, 422, "office-not-yours")
        assert body["field"] == name, (call.url, body)
        assert w.position() == before, f"{call.url} as {name} recorded events"
