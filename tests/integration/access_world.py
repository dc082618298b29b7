"""The small world the access matrix (test_access_matrix.py) addresses, built once per
module on real PostgreSQL: REG-ALA's resources in the states the routes need (a route that
would spoil one for the next gets its own appeal, instruction or appointment), and a few of
REG-AST's for the lists."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.access import Principal, Role
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
    RequestErasure,
    SuspendTerm,
)
from domain.iin import generate_iin
from infra.bootstrap import Container, build
from tests.support import (
    IIN_B,
    as_user,
    fresh_database,
    heard_then,
    new_appeal,
    settings_for,
    staff,
    wait_until,
)

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
    erasure_id: str  # a request to erase another person, by an administrator of the GPO
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


# On REG-ALA's staff list for the matrix to release.
LEAVING = [("ala.clerk.9", "staff")]


def user(role: Role, office: str, sub: str | None = None) -> dict[str, str]:
    return as_user(sub or f"{role.value}.{office.lower()}", role.value, office)


def send(w: World, method: str, call: Call, headers: dict[str, str]) -> httpx.Response:
    return w.client.request(method, call.url, json=call.json, params=call.params, headers=headers)


@pytest.fixture(name="module_database_url", scope="module")
def module_database_url_fixture(postgres_server: str, migrated_template: str) -> Iterator[str]:
    """A fresh database for this module's world (as ``database_url`` makes one per test)."""
    with fresh_database(postgres_server, migrated_template) as url:
        yield url


def _caught_up(container: Container) -> None:
    head = container.service.recorder.max_notification_id() or 0
    feed = container.feed
    assert feed is not None
    wait_until(lambda: feed.position() >= head, timeout=30, what="the feed to catch up")


@pytest.fixture(name="world", scope="module")
def world_fixture(module_database_url: str) -> Iterator[World]:
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
    # A request by an administrator none of the matrix's users is, for them to approve.
    other_iin = generate_iin(random.Random(7), date(1990, 1, 1), female=False)
    other = s.get_appeal(receive(applicant=Applicant(iin=other_iin, name="Third Person")))
    assert other.applicant_ref is not None
    erasure_id = s.bus.send(
        RequestErasure(applicant_ref=other.applicant_ref, ground="purpose_achieved"),
        Principal(sub="hr.requester", role=Role.ADMINISTRATOR, office=GPO),
    ).id
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
    hr = user(Role.ADMINISTRATOR, GPO)
    for staff_id, position in (("ala.deputy.1", "deputy_regional_prosecutor"), *LEAVING):
        r = client.put(f"/offices/{ALA}/staff/{staff_id}", json={"position": position}, headers=hr)
        assert r.status_code == 200, r.text
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
        erasure_id=str(erasure_id),
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
        **{k: str(v) for k, v in ala.items()},  # type: ignore[arg-type]
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


def booking(schedule_id: str, starts_at: str) -> dict[str, Any]:
    return {
        "schedule_id": schedule_id,
        "starts_at": starts_at,
        "applicant_ref": "applicant-7f3a",
        "channel": "call_centre_115",
        "matter": "Inaction of the investigator in case 123",
        "matter_area": "pretrial_investigation",
    }
