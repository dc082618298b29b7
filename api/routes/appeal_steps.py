"""Every step an appeal can take after receipt, one operation each. Each takes
If-Match (the version the caller saw) and answers with the new version and position."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from api.auth import Extender, Reviewer, Worker
from api.deps import ExpectedVersionDep, ServiceDep
from api.routes.appeals import PROBLEMS, command_result
from api.schemas import (
    AUTH_PROBLEMS,
    AssignAppeal,
    CaseFileRequest,
    CaseFileRequested,
    CommandResult,
    Consultation,
    Decision,
    Extension,
    Materials,
    Redirection,
    RefusalExplanation,
    Reopening,
    Review,
)
from api.scope import acting_office, in_scope, scope_guard
from domain.appeal import Appeal

router = APIRouter(
    prefix="/appeals/{appeal_id}",
    tags=["appeal steps"],
    responses={**PROBLEMS, **AUTH_PROBLEMS},
)


@router.post("/assignment")
def assign_appeal(
    appeal_id: UUID,
    body: AssignAppeal,
    response: Response,
    service: ServiceDep,
    principal: Worker,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Assign (or reassign) to a prosecutor of the receiving office or one below it."""
    visible = scope_guard(principal, service.offices)

    def guard(appeal: Appeal) -> None:
        visible(appeal)  # an appeal the user cannot see is not found, whatever the body says
        in_scope(principal, service.offices, body.office, "office")

    return command_result(
        service.assign_appeal(
            appeal_id,
            assignee=body.assignee,
            office=body.office,
            actor=principal.actor,
            expected_version=expected_version,
            guard=guard,
        ),
        response,
    )


@router.post("/consultations")
def record_consultation(
    appeal_id: UUID,
    body: Consultation,
    response: Response,
    service: ServiceDep,
    principal: Worker,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Record help given by a specialist (several kinds of help at once)."""
    return command_result(
        service.consult(
            appeal_id,
            specialist_role=body.specialist_role,
            specialist=body.specialist,
            help=list(body.help),
            note=body.note,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )


@router.post("/materials")
def add_materials(
    appeal_id: UUID,
    body: Materials,
    response: Response,
    service: ServiceDep,
    principal: Worker,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """The applicant takes part in the consideration and provides documents."""
    return command_result(
        service.add_materials(
            appeal_id,
            documents=body.documents,
            by_applicant=body.by_applicant,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )


@router.post("/redirection")
def redirect_appeal(
    appeal_id: UUID,
    body: Redirection,
    response: Response,
    service: ServiceDep,
    principal: Worker,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Redirect to the competent agency via e-Government; marked late after 3 working days."""
    return command_result(
        service.redirect(
            appeal_id,
            agency=body.agency,
            egov_reference=body.egov_reference,
            applicant_notified=body.applicant_notified,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )


@router.post("/extension")
def extend_deadline(
    appeal_id: UUID,
    body: Extension,
    response: Response,
    service: ServiceDep,
    principal: Extender,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Extend the period (head or deputy, with reasons, up to two months)."""
    return command_result(
        service.extend(
            appeal_id,
            new_due_on=body.new_due_on,
            reasons=body.reasons,
            approver_role=body.approver_role,
            approver=body.approver,
            applicant_notified_on=body.applicant_notified_on,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )


@router.post("/decision")
def decide_appeal(
    appeal_id: UUID,
    body: Decision,
    response: Response,
    service: ServiceDep,
    principal: Worker,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Decide: satisfied, partially satisfied, explained, or refused (with a ground)."""
    return command_result(
        service.decide(
            appeal_id,
            outcome=body.outcome,
            reasons=body.reasons,
            ground=body.ground,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )


@router.post("/refusal-explanation")
def explain_refusal(
    appeal_id: UUID,
    body: RefusalExplanation,
    response: Response,
    service: ServiceDep,
    principal: Worker,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Record the personal explanation of a refusal to the applicant."""
    return command_result(
        service.explain_refusal(
            appeal_id,
            explained_on=body.explained_on,
            note=body.note,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )


@router.post("/case-file-requests")
def request_case_file(
    appeal_id: UUID,
    body: CaseFileRequest,
    response: Response,
    service: ServiceDep,
    principal: Reviewer,
    expected_version: ExpectedVersionDep,
) -> CaseFileRequested:
    """A higher-ranking office demands the case file from the office holding the appeal."""
    outcome, request_id = service.request_case_file(
        appeal_id,
        requesting_office=acting_office(principal, body.requesting_office, "requesting_office"),
        case_ref=body.case_ref,
        actor=principal.actor,
        expected_version=expected_version,
        guard=scope_guard(principal, service.offices),
    )
    result = command_result(outcome, response)
    return CaseFileRequested(**result.model_dump(), request_id=request_id)


@router.post("/case-file-requests/{request_id}/receipt")
def receive_case_file(
    appeal_id: UUID,
    request_id: str,
    response: Response,
    service: ServiceDep,
    principal: Reviewer,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Record that the demanded case file arrived."""
    return command_result(
        service.receive_case_file(
            appeal_id,
            request_id=request_id,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )


@router.post("/reviews")
def review_decision(
    appeal_id: UUID,
    body: Review,
    response: Response,
    service: ServiceDep,
    principal: Reviewer,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """A higher-ranking office reviews a lower one's procedural decision."""
    return command_result(
        service.review_decision(
            appeal_id,
            reviewing_office=acting_office(principal, body.reviewing_office, "reviewing_office"),
            decided_by_office=body.decided_by_office,
            decision_ref=body.decision_ref,
            result=body.result,
            reasons=body.reasons,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )


@router.post("/closure")
def close_appeal(
    appeal_id: UUID,
    response: Response,
    service: ServiceDep,
    principal: Worker,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Close an answered appeal (a refusal needs its personal explanation first)."""
    return command_result(
        service.close_appeal(
            appeal_id,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )


@router.post("/reopening")
def reopen_appeal(
    appeal_id: UUID,
    body: Reopening,
    response: Response,
    service: ServiceDep,
    principal: Worker,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Reopen on an appeal against the answer; a new 15-working-day period runs."""
    return command_result(
        service.reopen_appeal(
            appeal_id,
            reason=body.reason,
            actor=principal.actor,
            expected_version=expected_version,
            guard=scope_guard(principal, service.offices),
        ),
        response,
    )
