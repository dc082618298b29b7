"""Suspending and resuming an appeal's term of consideration (see domain/appeal_term.py):
the assignee or the head of the holding office stops the term while materials or the
applicant are awaited, and lets it run again."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from api.auth import may_send
from api.deps import ExpectedVersionDep, ServiceDep
from api.routes.appeals import PROBLEMS, command_result
from api.schemas import AUTH_PROBLEMS, CommandResult, Suspension
from domain import commands
from domain.access import Principal

router = APIRouter(
    prefix="/appeals/{appeal_id}",
    tags=["appeal steps"],
    responses={**PROBLEMS, **AUTH_PROBLEMS},
)

MaySuspend = Annotated[Principal, Depends(may_send(commands.SuspendTerm))]
MayResume = Annotated[Principal, Depends(may_send(commands.ResumeTerm))]


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
