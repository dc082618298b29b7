"""Who may take which step on an appeal: every role x every command on an appeal x every
relation of the caller to it, through the command bus on the in-memory event store.

The expected answer is written here from the law, independently of ``domain.access``
and ``domain.authority``: the registrar registers and routes; the prosecutor the
appeal is assigned to, or the head (or a deputy) of the office holding it, works it;
only the head of an office above the holder demands its case file, and only the office
that demanded it records its receipt; only the head of an office above the one that
decided reviews the decision. Auditors, administrators and regional-office inboxes take
no step on an appeal. A caller of another region does not see the appeal at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

import pytest

from domain import commands as c
from domain.access import Principal, Role
from domain.applicants import InMemoryApplicants
from domain.errors import AppealNotFound, DomainError, NotPermitted
from domain.service import AppealsService
from infra.adapters.calendar import KazakhstanCalendar
from tests.support import SettableClock, new_appeal, registrar, send

HOLDER = "DIS-ALA-MEDEU"  # receives and holds the appeal
ABOVE = "REG-ALA"  # the office above it
OTHER_REGION = "REG-AST"
ASSIGNEE = "assignee.medeu"


class Relation(StrEnum):
    ASSIGNEE = "assignee"
    SAME_OFFICE = "same office"
    HEAD = "head"
    HIGHER_OFFICE = "higher office"
    OTHER_REGION = "other region"


WHERE: dict[Relation, tuple[str, str]] = {
    Relation.ASSIGNEE: (ASSIGNEE, HOLDER),
    Relation.SAME_OFFICE: ("colleague.medeu", HOLDER),
    Relation.HEAD: ("head.medeu", HOLDER),
    Relation.HIGHER_OFFICE: ("head.ala", ABOVE),
    Relation.OTHER_REGION: ("head.ast", OTHER_REGION),
}


class Kind(StrEnum):
    """What the law lets a step be taken by."""

    ROUTE = "route"  # the registrar or the head of the office that received or holds it
    WORK = "work"  # the assignee, or the head (or a deputy) of the holding office
    DEMAND_FILE = "demand file"  # the head of an office above the holder
    RECEIVE_FILE = "receive file"  # the head of the office that demanded it
    REVIEW = "review"  # the head of an office above the one that decided
    RECEIVE_COMPLAINT = "receive complaint"  # whoever receives appeals at an office above it
    DECIDE_COMPLAINT = "decide complaint"  # the head of the office that received it
    NOTIFY = "notify"  # the registrar or head of the office, or the assignee


# Each command: its kind, the stage the appeal must be in for it to succeed, and the
# command itself for an appeal id.
Build = Callable[[UUID], c.AppealCommand]
COMMANDS: dict[str, tuple[Kind, str, Build]] = {
    "assign": (
        Kind.ROUTE,
        "assigned",
        lambda a: c.AssignAppeal(appeal_id=a, assignee="other.medeu", office=HOLDER),
    ),
    "redirect": (
        Kind.ROUTE,
        "assigned",
        lambda a: c.Redirect(appeal_id=a, agency="Akimat", applicant_notified=True),
    ),
    "consult": (
        Kind.WORK,
        "assigned",
        lambda a: c.Consult(
            appeal_id=a, specialist_role="lawyer", specialist="l.1", help=["legal_help"]
        ),
    ),
    "add materials": (
        Kind.WORK,
        "assigned",
        lambda a: c.AddMaterials(appeal_id=a, documents=["scan"], by_applicant=True),
    ),
    "extend": (Kind.WORK, "assigned", lambda a: _extension(a)),
    "decide": (
        Kind.WORK,
        "assigned",
        lambda a: c.Decide(appeal_id=a, outcome="explained", reasons="The law explained"),
    ),
    "refuse": (
        Kind.WORK,
        "heard",
        lambda a: c.Decide(
            appeal_id=a, outcome="refused", reasons="Not confirmed", ground="no_violation_of_law"
        ),
    ),
    "explain refusal": (
        Kind.WORK,
        "pending explanation",
        lambda a: c.ExplainRefusal(appeal_id=a, note="Explained in person"),
    ),
    "close": (Kind.WORK, "decided", lambda a: c.CloseAppeal(appeal_id=a)),
    "suspend the term": (
        Kind.WORK,
        "assigned",
        lambda a: c.SuspendTerm(appeal_id=a, reason="awaiting_materials", note="Expert opinion"),
    ),
    "resume the term": (Kind.WORK, "suspended", lambda a: c.ResumeTerm(appeal_id=a)),
    "hear the applicant": (
        Kind.WORK,
        "assigned",
        lambda a: c.HearApplicant(appeal_id=a, form="in_person", note="Maintains it"),
    ),
    "record a notice": (
        Kind.NOTIFY,
        "assigned",
        lambda a: c.RecordNotice(appeal_id=a, kind="receipt", channel="post"),
    ),
    "reopen": (Kind.WORK, "decided", lambda a: c.ReopenAppeal(appeal_id=a, reason="Disputes")),
    "demand case file": (
        Kind.DEMAND_FILE,
        "assigned",
        lambda a: c.RequestCaseFile(appeal_id=a, case_ref="CASE-1"),
    ),
    "receive case file": (Kind.RECEIVE_FILE, "file demanded", lambda a: _receipt(a)),
    "review": (
        Kind.REVIEW,
        "decided",
        lambda a: c.ReviewDecision(appeal_id=a, decision_ref="d-1", result="upheld", reasons="r"),
    ),
    "file complaint": (
        Kind.RECEIVE_COMPLAINT,
        "decided",
        lambda a: c.FileComplaint(appeal_id=a, grounds="The check ignored my evidence"),
    ),
    "decide complaint": (
        Kind.DECIDE_COMPLAINT,
        "complaint filed",
        lambda a: c.DecideComplaint(
            appeal_id=a, complaint_id=_complaints[a], result="upheld", reasons="Lawful"
        ),
    ),
}

# The roles that may take each kind of step at all.
ROLES_FOR: dict[Kind, set[Role]] = {
    Kind.ROUTE: {Role.REGISTRAR, Role.SUPERVISOR},
    Kind.WORK: {Role.PROSECUTOR, Role.SUPERVISOR},
    Kind.DEMAND_FILE: {Role.SUPERVISOR},
    Kind.RECEIVE_FILE: {Role.SUPERVISOR},
    Kind.REVIEW: {Role.SUPERVISOR},
    Kind.RECEIVE_COMPLAINT: {Role.REGISTRAR, Role.PROSECUTOR, Role.SUPERVISOR},
    Kind.DECIDE_COMPLAINT: {Role.SUPERVISOR},
    Kind.NOTIFY: {Role.REGISTRAR, Role.PROSECUTOR, Role.SUPERVISOR},
}


def expected(role: Role, kind: Kind, relation: Relation) -> str:
    """``ok``, or the refusal: ``forbidden`` (the role), ``not found`` (not visible),
    ``not yours`` (visible, but not this caller's step)."""
    if role not in ROLES_FOR[kind]:
        return "forbidden"
    if relation == Relation.OTHER_REGION:
        return "not found"
    at_holder = relation in (Relation.ASSIGNEE, Relation.SAME_OFFICE, Relation.HEAD)
    head = role == Role.SUPERVISOR
    allowed = {
        Kind.ROUTE: at_holder,
        Kind.WORK: relation == Relation.ASSIGNEE or (at_holder and head),
        Kind.DEMAND_FILE: relation == Relation.HIGHER_OFFICE,
        Kind.RECEIVE_FILE: relation == Relation.HIGHER_OFFICE,  # it demanded the file
        Kind.REVIEW: relation == Relation.HIGHER_OFFICE,  # above the deciding office
        Kind.RECEIVE_COMPLAINT: relation == Relation.HIGHER_OFFICE,
        Kind.DECIDE_COMPLAINT: relation == Relation.HIGHER_OFFICE,  # it received it
        Kind.NOTIFY: relation == Relation.ASSIGNEE
        or (at_holder and role in (Role.REGISTRAR, Role.SUPERVISOR)),
    }[kind]
    return "ok" if allowed else "not yours"


# --- the appeal in each stage ---------------------------------------------------------------

_service: AppealsService | None = None
_requests: dict[UUID, str] = {}
_complaints: dict[UUID, str] = {}


def service() -> AppealsService:
    global _service
    if _service is None:
        _service = AppealsService(
            env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
            calendar=KazakhstanCalendar(),
            applicants=InMemoryApplicants(),
            clock=SettableClock(datetime(2026, 3, 16, 6, 0, tzinfo=UTC)),
        )
    return _service


def _extension(appeal_id: UUID) -> c.Extend:
    due = service().get_appeal(appeal_id).due_on
    return c.Extend(
        appeal_id=appeal_id,
        new_due_on=due + timedelta(days=10),
        reasons="Expert opinion",
        approver_role="head",
        approver="head.medeu",
    )


def _receipt(appeal_id: UUID) -> c.ReceiveCaseFile:
    return c.ReceiveCaseFile(appeal_id=appeal_id, request_id=_requests[appeal_id])


def appeal_in(stage: str) -> UUID:
    s = service()
    channel = "personal_reception" if stage == "pending explanation" else "written"
    appeal_id: UUID = s.bus.send(
        new_appeal(office=HOLDER, channel=channel), registrar("reg.medeu", HOLDER)
    ).appeal_id
    send(s, c.AssignAppeal(appeal_id=appeal_id, assignee=ASSIGNEE, office=HOLDER), "reg.medeu")
    if stage in ("decided", "pending explanation", "complaint filed"):
        outcome = "refused" if stage == "pending explanation" else "explained"
        ground = "no_violation_of_law" if outcome == "refused" else None
        decide = c.Decide(appeal_id=appeal_id, outcome=outcome, reasons="r", ground=ground)
        send(s, decide, ASSIGNEE)
    if stage == "heard":
        hearing = c.HearApplicant(appeal_id=appeal_id, form="written", note="Heard")
        send(s, hearing, ASSIGNEE)
    if stage == "suspended":
        suspend = c.SuspendTerm(appeal_id=appeal_id, reason="awaiting_applicant", note="n")
        send(s, suspend, ASSIGNEE)
    if stage == "complaint filed":
        complaint = c.FileComplaint(appeal_id=appeal_id, grounds="g", office=ABOVE)
        _complaints[appeal_id] = send(s, complaint, "reg.ala").result
    if stage == "file demanded":
        demand = c.RequestCaseFile(appeal_id=appeal_id, requesting_office=ABOVE, case_ref="C")
        _requests[appeal_id] = send(s, demand, "head.ala").result
    return appeal_id


# --- the matrix ----------------------------------------------------------------------------

CASES = [(role, name, relation) for role in Role for name in COMMANDS for relation in Relation]


@pytest.mark.parametrize(
    ("role", "name", "relation"),
    CASES,
    ids=[f"{r.value}-{n.replace(' ', '_')}-{rel.value.replace(' ', '_')}" for r, n, rel in CASES],
)
def test_who_may_take_each_step(role: Role, name: str, relation: Relation) -> None:
    kind, stage, build = COMMANDS[name]
    s = service()
    appeal_id = appeal_in(stage)
    sub, office = WHERE[relation]
    caller = Principal(sub=sub, role=role, office=office)
    before = s.get_appeal(appeal_id).version
    want = expected(role, kind, relation)
    answer = _answer(lambda: s.bus.send(build(appeal_id), caller))
    assert answer[0] == want, f"{role.value} as {relation.value} to {name}: {answer}"
    changed = s.get_appeal(appeal_id).version != before
    assert changed == (want == "ok"), "a refused step changed the appeal, or an allowed one did not"


def _answer(send_it: Callable[[], Any]) -> tuple[str, str | None]:
    try:
        send_it()
    except AppealNotFound as e:
        return "not found", e.rule
    except NotPermitted as e:
        return ("forbidden" if e.rule == "forbidden" else "not yours"), e.rule
    except DomainError as e:
        return "refused by the appeal's rules", e.rule
    return "ok", None


def test_the_matrix_is_whole_and_each_answer_is_given_somewhere() -> None:
    assert len(CASES) == len(Role) * len(COMMANDS) * len(Relation) == 6 * 19 * 5
    answers = {expected(r, COMMANDS[n][0], rel) for r, n, rel in CASES}
    assert answers == {"ok", "forbidden", "not found", "not yours"}
