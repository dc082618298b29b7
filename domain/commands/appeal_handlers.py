"""One handler per command on an appeal: the appeal loaded (or, for ``ReceiveAppeal``,
nothing yet), the command, and the application for the calendar, the rules in force,
the offices and the seal of personal texts. A handler acts; the bus does the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from domain.appeal import Appeal
from domain.commands.appeals import (
    AddMaterials,
    AssignAppeal,
    CloseAppeal,
    Consult,
    Decide,
    DecideComplaint,
    ExplainRefusal,
    Extend,
    FileComplaint,
    HearApplicant,
    ReceiveCaseFile,
    RecordNotice,
    Redirect,
    ReopenAppeal,
    RequestCaseFile,
    ResumeTerm,
    ReviewDecision,
    SuspendTerm,
)
from domain.commands.base import AppealCommand

if TYPE_CHECKING:
    from domain.service import AppealsService

Handler = Callable[[Appeal, Any, "AppealsService", str], Any]


def assign(appeal: Appeal, c: AssignAppeal, app: AppealsService, actor: str) -> None:
    appeal.assign(assignee=c.assignee, office=c.office, actor=actor, offices=app.offices)


def consult(appeal: Appeal, c: Consult, app: AppealsService, actor: str) -> None:
    appeal.consult(
        specialist_role=c.specialist_role,
        specialist=c.specialist,
        help=list(c.help),
        note=c.note,
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )


def add_materials(appeal: Appeal, c: AddMaterials, app: AppealsService, actor: str) -> None:
    appeal.add_materials(
        documents=list(c.documents),
        by_applicant=c.by_applicant,
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )


def redirect(appeal: Appeal, c: Redirect, app: AppealsService, actor: str) -> None:
    appeal.redirect(
        agency=c.agency,
        egov_reference=c.egov_reference,
        applicant_notified=c.applicant_notified,
        today=app.today(),
        calendar=app.calendar,
        rules=app.rules_of(appeal),
        actor=actor,
    )


def extend(appeal: Appeal, c: Extend, app: AppealsService, actor: str) -> None:
    today = app.today()
    appeal.extend(
        new_due_on=c.new_due_on,
        reasons=c.reasons,
        approver_role=c.approver_role,
        approver=c.approver,
        applicant_notified_on=c.applicant_notified_on or today,
        today=today,
        calendar=app.calendar,
        rules=app.rules_of(appeal),
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )


def decide(appeal: Appeal, c: Decide, app: AppealsService, actor: str) -> None:
    appeal.decide(
        outcome=c.outcome,
        reasons=c.reasons,
        ground=c.ground,
        today=app.today(),
        rules=app.rules_of(appeal),
        offices=app.offices,
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
        language=c.language,
    )


def explain_refusal(appeal: Appeal, c: ExplainRefusal, app: AppealsService, actor: str) -> None:
    today = app.today()
    appeal.explain_refusal(
        explained_on=c.explained_on or today,
        note=c.note,
        today=today,
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )


def request_case_file(appeal: Appeal, c: RequestCaseFile, app: AppealsService, actor: str) -> str:
    assert c.requesting_office is not None, "the bus fills the acting office"
    request_id = f"cfr-{uuid4().hex[:12]}"
    appeal.request_case_file(
        request_id=request_id,
        requesting_office=c.requesting_office,
        case_ref=c.case_ref,
        offices=app.offices,
        actor=actor,
    )
    return request_id


def receive_case_file(appeal: Appeal, c: ReceiveCaseFile, app: AppealsService, actor: str) -> None:
    appeal.receive_case_file(request_id=c.request_id, actor=actor)


def review_decision(appeal: Appeal, c: ReviewDecision, app: AppealsService, actor: str) -> None:
    assert c.reviewing_office is not None, "the bus fills the acting office"
    appeal.review_decision(
        reviewing_office=c.reviewing_office,
        decision_ref=c.decision_ref,
        result=c.result,
        reasons=c.reasons,
        offices=app.offices,
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )


def close(appeal: Appeal, c: CloseAppeal, app: AppealsService, actor: str) -> None:
    appeal.close(actor=actor)


def reopen(appeal: Appeal, c: ReopenAppeal, app: AppealsService, actor: str) -> None:
    today = app.today()
    appeal.reopen(
        reason=c.reason,
        today=today,
        calendar=app.calendar,
        rules=app.rules.on(today),
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )


def file_complaint(appeal: Appeal, c: FileComplaint, app: AppealsService, actor: str) -> str:
    assert c.office is not None, "the bus fills the acting office"
    complaint_id = f"cmp-{uuid4().hex[:12]}"
    appeal.file_complaint(
        complaint_id=complaint_id,
        office=c.office,
        learned_on=c.learned_on,
        grounds=c.grounds,
        today=app.today(),
        rules=app.rules_of(appeal),
        calendar=app.calendar,
        offices=app.offices,
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )
    return complaint_id


def decide_complaint(appeal: Appeal, c: DecideComplaint, app: AppealsService, actor: str) -> None:
    appeal.decide_complaint(
        complaint_id=c.complaint_id,
        result=c.result,
        returned=c.returned,
        outcome=c.outcome,
        ground=c.ground,
        reasons=c.reasons,
        today=app.today(),
        rules=app.rules_of(appeal),
        calendar=app.calendar,
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )


def suspend_term(appeal: Appeal, c: SuspendTerm, app: AppealsService, actor: str) -> None:
    appeal.suspend_term(
        reason=c.reason,
        note=c.note,
        today=app.today(),
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )


def resume_term(appeal: Appeal, c: ResumeTerm, app: AppealsService, actor: str) -> None:
    appeal.resume_term(today=app.today(), calendar=app.calendar, actor=actor)


def record_notice(appeal: Appeal, c: RecordNotice, app: AppealsService, actor: str) -> None:
    today = app.today()
    appeal.record_notice(
        kind=c.kind,
        channel=c.channel,
        sent_on=c.sent_on or today,
        today=today,
        rules=app.rules_of(appeal),
        calendar=app.calendar,
        actor=actor,
    )


def hear_applicant(appeal: Appeal, c: HearApplicant, app: AppealsService, actor: str) -> None:
    today = app.today()
    appeal.hear_applicant(
        form=c.form,
        heard_on=c.heard_on or today,
        note=c.note,
        today=today,
        actor=actor,
        seal=app.sealer(appeal.applicant_ref),
    )


HANDLERS: dict[type[AppealCommand], Handler] = {
    AssignAppeal: assign,
    Consult: consult,
    AddMaterials: add_materials,
    Redirect: redirect,
    Extend: extend,
    Decide: decide,
    ExplainRefusal: explain_refusal,
    RequestCaseFile: request_case_file,
    ReceiveCaseFile: receive_case_file,
    ReviewDecision: review_decision,
    CloseAppeal: close,
    ReopenAppeal: reopen,
    FileComplaint: file_complaint,
    DecideComplaint: decide_complaint,
    SuspendTerm: suspend_term,
    ResumeTerm: resume_term,
    RecordNotice: record_notice,
    HearApplicant: hear_applicant,
}
