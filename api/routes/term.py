"""The applicant's side of an appeal: the hearing before an adverse decision and the
term's suspension (domain/appeal_term.py), and the notices (domain/appeal_notices.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from api.auth import may_send
from api.deps import ExpectedVersionDep, ServiceDep
from api.routes.appeals import PROBLEMS, command_result
from api.schemas import AUTH_PROBLEMS, CommandResult, Hearing, Notice, Suspension
from domain import commands
from domain.access import Principal

router = APIRouter(
    prefix="/appeals/{appeal_id}",
    tags=["appeal steps"],
    responses={**PROBLEMS, **AUTH_PROBLEMS},
)

MaySuspend = Annotated[Principal, Depends(may_send(commands.SuspendTerm))]
MayResume = Annotated[Principal, Depends(may_send(commands.ResumeTerm))]
MayNotify = Annotated[Principal, Depends(may_send(commands.RecordNotice))]
MayHear = Annotated[Principal, Depends(may_send(commands.HearApplicant))]


@router.post("/suspension")
def suspend_term(
    appeal_id: UUID,
    body: Suspension,
    response: Response,
    service: ServiceDep,
    caller: MaySuspend,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Stop the term: no deemed refusal, decision or extension while it stands still."""
    command = commands.SuspendTerm(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/resumption")
def resume_term(
    appeal_id: UUID,
    response: Response,
    service: ServiceDep,
    caller: MayResume,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Let the term run again; the due date moves by the working days it stood still."""
    command = commands.ResumeTerm(appeal_id=appeal_id)
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/notices")
def record_notice(
    appeal_id: UUID,
    body: Notice,
    response: Response,
    service: ServiceDep,
    caller: MayNotify,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Record a notice sent to the applicant of the appeal's receipt, its redirect, a
    suspension of its term, or the answer; late when after its day."""
    command = commands.RecordNotice(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)


@router.post("/hearing")
def hear_applicant(
    appeal_id: UUID,
    body: Hearing,
    response: Response,
    service: ServiceDep,
    caller: MayHear,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Record that the applicant was heard before an adverse decision (APPK art. 73)."""
    command = commands.HearApplicant(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)
