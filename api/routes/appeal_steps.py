"""Every step an appeal can take after receipt, one operation each: parse the body into
its command, send it through the bus, present the outcome. Each takes If-Match (the
version the caller saw) and answers with the new version and position. The role each
needs is the one its command declares (domain/commands)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from api.auth import may_send
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
from domain import commands
from domain.access import Principal

router = APIRouter(
    prefix="/appeals/{appeal_id}",
    tags=["appeal steps"],
    responses={**PROBLEMS, **AUTH_PROBLEMS},
)

MayAssign = Annotated[Principal, Depends(may_send(commands.AssignAppeal))]
MayConsult = Annotated[Principal, Depends(may_send(commands.Consult))]
MayAddMaterials = Annotated[Principal, Depends(may_send(commands.AddMaterials))]
MayRedirect = Annotated[Principal, Depends(may_send(commands.Redirect))]
MayExtend = Annotated[Principal, Depends(may_send(commands.Extend))]
MayDecide = Annotated[Principal, Depends(may_send(commands.Decide))]
MayExplain = Annotated[Principal, Depends(may_send(commands.ExplainRefusal))]
MayRequestCaseFile = Annotated[Principal, Depends(may_send(commands.RequestCaseFile))]
MayReceiveCaseFile = Annotated[Principal, Depends(may_send(commands.ReceiveCaseFile))]
MayReview = Annotated[Principal, Depends(may_send(commands.ReviewDecision))]
MayClose = Annotated[Principal, Depends(may_send(commands.CloseAppeal))]
MayReopen = Annotated[Principal, Depends(may_send(commands.ReopenAppeal))]


@router.post("/assignment")
def assign_appeal(
    appeal_id: UUID,
    body: AssignAppeal,
    response: Response,
    service: ServiceDep,
    caller: MayAssign,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Assign (or reassign) to a prosecutor of the receiving office or one below it."""
    command = commands.AssignAppeal(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/consultations")
def record_consultation(
    appeal_id: UUID,
    body: Consultation,
    response: Response,
    service: ServiceDep,
    caller: MayConsult,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Record help given by a specialist (several kinds of help at once)."""
    command = commands.Consult(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/materials")
def add_materials(
    appeal_id: UUID,
    body: Materials,
    response: Response,
    service: ServiceDep,
    caller: MayAddMaterials,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """The applicant takes part in the consideration and provides documents."""
    command = commands.AddMaterials(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/redirection")
def redirect_appeal(
    appeal_id: UUID,
    body: Redirection,
    response: Response,
    service: ServiceDep,
    caller: MayRedirect,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Redirect to the competent agency via e-Government; marked late after 3 working days."""
    command = commands.Redirect(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/extension")
def extend_deadline(
    appeal_id: UUID,
    body: Extension,
    response: Response,
    service: ServiceDep,
    caller: MayExtend,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Extend the period (head or deputy, with reasons, up to two months)."""
    command = commands.Extend(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/decision")
def decide_appeal(
    appeal_id: UUID,
    body: Decision,
    response: Response,
    service: ServiceDep,
    caller: MayDecide,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Decide: satisfied, partially satisfied, explained, or refused (with a ground)."""
    command = commands.Decide(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/refusal-explanation")
def explain_refusal(
    appeal_id: UUID,
    body: RefusalExplanation,
    response: Response,
    service: ServiceDep,
    caller: MayExplain,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Record the personal explanation of a refusal to the applicant."""
    command = commands.ExplainRefusal(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/case-file-requests")
def request_case_file(
    appeal_id: UUID,
    body: CaseFileRequest,
    response: Response,
    service: ServiceDep,
    caller: MayRequestCaseFile,
    expected_version: ExpectedVersionDep,
) -> CaseFileRequested:
    """A higher-ranking office demands the case file from the office holding the appeal."""
    command = commands.RequestCaseFile(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return CaseFileRequested(
        **command_result(outcome, response).model_dump(), request_id=outcome.result
    )


@router.post("/case-file-requests/{request_id}/receipt")
def receive_case_file(
    appeal_id: UUID,
    request_id: str,
    response: Response,
    service: ServiceDep,
    caller: MayReceiveCaseFile,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Record that the demanded case file arrived."""
    command = commands.ReceiveCaseFile(appeal_id=appeal_id, request_id=request_id)
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/reviews")
def review_decision(
    appeal_id: UUID,
    body: Review,
    response: Response,
    service: ServiceDep,
    caller: MayReview,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """A higher-ranking office reviews a lower one's procedural decision."""
    command = commands.ReviewDecision(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/closure")
def close_appeal(
    appeal_id: UUID,
    response: Response,
    service: ServiceDep,
    caller: MayClose,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Close an answered appeal (a refusal needs its personal explanation first)."""
    command = commands.CloseAppeal(appeal_id=appeal_id)
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/reopening")
def reopen_appeal(
    appeal_id: UUID,
    body: Reopening,
    response: Response,
    service: ServiceDep,
    caller: MayReopen,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Reopen on an appeal against the answer; a new 15-working-day period runs."""
    command = commands.ReopenAppeal(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)
