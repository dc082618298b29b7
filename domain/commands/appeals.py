"""Commands on appeals (the Rules' chapters on consideration, redirection, extension,
decision, review; see docs/rules.md for each rule's source)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar
from uuid import UUID

from domain.access import Action
from domain.applicants import Applicant
from domain.authority import Who
from domain.commands.base import AppealCommand, Command


@dataclass(frozen=True, kw_only=True)
class ReceiveAppeal(Command):
    """Record a new appeal; ``applicant`` None means anonymous. An anonymous appeal is
    set aside unless it reports a crime or a threat, redirected at once to
    ``redirect_to``."""

    needs: ClassVar[tuple[Action, ...]] = (Action.RECEIVE_APPEAL,)
    names_offices: ClassVar[tuple[str, ...]] = ("office",)

    channel: str
    office: str
    summary: str
    applicant: Applicant | None = None
    reports_crime: bool = False
    redirect_to: str | None = None
    repeat_of: UUID | None = None
    received_on: date | None = None
    kind: str | None = None
    language: str | None = None


@dataclass(frozen=True, kw_only=True)
class AssignAppeal(AppealCommand):
    """Assign (or reassign) to a prosecutor of the receiving office or one below it."""

    needs: ClassVar[tuple[Action, ...]] = (Action.ROUTE_APPEAL,)
    who: ClassVar[Who] = Who.ROUTER
    names_offices: ClassVar[tuple[str, ...]] = ("office",)

    assignee: str
    office: str


@dataclass(frozen=True, kw_only=True)
class Consult(AppealCommand):
    """Record help given by a specialist."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)

    specialist_role: str
    specialist: str
    help: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class AddMaterials(AppealCommand):
    """Documents provided during the consideration (by the applicant or not)."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)

    documents: list[str]
    by_applicant: bool


@dataclass(frozen=True, kw_only=True)
class Redirect(AppealCommand):
    """Redirect to the competent agency via e-Government."""

    needs: ClassVar[tuple[Action, ...]] = (Action.ROUTE_APPEAL,)
    who: ClassVar[Who] = Who.ROUTER

    agency: str
    egov_reference: str | None = None
    applicant_notified: bool = False


@dataclass(frozen=True, kw_only=True)
class Extend(AppealCommand):
    """Extend the period of consideration, with reasons, as approved by the head of the
    office or a deputy (sent by the assignee or the head)."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)

    new_due_on: date
    reasons: str
    approver_role: str
    approver: str
    applicant_notified_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class Decide(AppealCommand):
    """Decide: satisfied, partially satisfied, explained, or refused with a ground."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)

    outcome: str
    reasons: str
    ground: str | None = None
    language: str | None = None  # of the answer: the appeal's, or the state language


@dataclass(frozen=True, kw_only=True)
class ExplainRefusal(AppealCommand):
    """The personal explanation of a refusal to the applicant."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)

    note: str
    explained_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class RequestCaseFile(AppealCommand):
    """A higher-ranking office demands the case file from the office holding the
    appeal; the outcome's ``result`` is the request's id."""

    needs: ClassVar[tuple[Action, ...]] = (Action.OVERSEE, Action.WORK_APPEAL)
    who: ClassVar[Who] = Who.HIGHER_OFFICE
    acts_as: ClassVar[tuple[str, ...]] = ("requesting_office",)

    case_ref: str
    requesting_office: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveCaseFile(AppealCommand):
    """The demanded case file arrived."""

    needs: ClassVar[tuple[Action, ...]] = (Action.OVERSEE, Action.WORK_APPEAL)
    who: ClassVar[Who] = Who.REQUESTING_OFFICE

    request_id: str


@dataclass(frozen=True, kw_only=True)
class ReviewDecision(AppealCommand):
    """A higher-ranking office reviews a lower one's decision; the deciding office is
    the one on record."""

    needs: ClassVar[tuple[Action, ...]] = (Action.OVERSEE, Action.WORK_APPEAL)
    who: ClassVar[Who] = Who.ABOVE_DECIDER
    acts_as: ClassVar[tuple[str, ...]] = ("reviewing_office",)

    decision_ref: str
    result: str
    reasons: str
    reviewing_office: str | None = None


@dataclass(frozen=True, kw_only=True)
class CloseAppeal(AppealCommand):
    """Close an answered appeal (a refusal needs its personal explanation first)."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)


@dataclass(frozen=True, kw_only=True)
class ReopenAppeal(AppealCommand):
    """Reopen on an appeal against the answer; a new period runs."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)

    reason: str


@dataclass(frozen=True, kw_only=True)
class FileComplaint(AppealCommand):
    """Record the applicant's complaint against the decision (a deemed refusal
    included), received by the caller's office, which must be above the office that
    decided; ``learned_on`` (default: the decision's day) starts the three months. The
    outcome's ``result`` is the complaint's id."""

    needs: ClassVar[tuple[Action, ...]] = (Action.RECEIVE_APPEAL,)
    who: ClassVar[Who] = Who.COMPLAINT_DESK
    acts_as: ClassVar[tuple[str, ...]] = ("office",)

    grounds: str
    learned_on: date | None = None
    office: str | None = None


@dataclass(frozen=True, kw_only=True)
class DecideComplaint(AppealCommand):
    """The higher office's decision on a complaint: ``upheld``; ``overturned`` and
    either ``returned`` for a new decision or decided here with ``outcome``; or
    ``changed`` to ``outcome``."""

    needs: ClassVar[tuple[Action, ...]] = (Action.OVERSEE, Action.WORK_APPEAL)
    who: ClassVar[Who] = Who.COMPLAINT_OFFICE

    complaint_id: str
    result: str
    reasons: str
    returned: bool = False
    outcome: str | None = None
    ground: str | None = None


@dataclass(frozen=True, kw_only=True)
class SuspendTerm(AppealCommand):
    """Stop the term while the office awaits materials from another body
    (``awaiting_materials``) or the applicant (``awaiting_applicant``)."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)

    reason: str
    note: str


@dataclass(frozen=True, kw_only=True)
class ResumeTerm(AppealCommand):
    """Let the term run again; the due date moves by the working days it stood still."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)


@dataclass(frozen=True, kw_only=True)
class RecordNotice(AppealCommand):
    """A notice to the applicant of a step (receipt, redirect, suspension, answer) was
    sent through ``channel`` on ``sent_on`` (default: today)."""

    needs: ClassVar[tuple[Action, ...]] = (Action.RECORD_NOTICE,)
    who: ClassVar[Who] = Who.NOTIFIER

    kind: str
    channel: str
    sent_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class HearApplicant(AppealCommand):
    """The applicant was heard before an adverse decision (APPK art. 73): ``in_person``,
    ``written``, ``video``, or ``declined`` (invited, and declined or did not answer)."""

    needs: ClassVar[tuple[Action, ...]] = (Action.WORK_APPEAL,)

    form: str
    note: str
    heard_on: date | None = None
