"""Complaints to the higher body against an appeal's decision (APPK arts. 91, 100): one
operation to record a complaint, one to decide it. Who may take each is the command's
(``domain.authority``): the registrar or head of an office above the one that decided
records it; the head of the office that received it decides it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from api.auth import may_send
from api.deps import ExpectedVersionDep, ServiceDep
from api.routes.appeals import PROBLEMS, command_result
from api.schemas import AUTH_PROBLEMS, CommandResult, Complaint, ComplaintDecision, ComplaintFiled
from domain import commands
from domain.access import Principal

router = APIRouter(
    prefix="/appeals/{appeal_id}/complaints",
    tags=["appeal steps"],
    responses={**PROBLEMS, **AUTH_PROBLEMS},
)

MayFile = Annotated[Principal, Depends(may_send(commands.FileComplaint))]
MayDecide = Annotated[Principal, Depends(may_send(commands.DecideComplaint))]


@router.post("")
def file_complaint(
    appeal_id: UUID,
    body: Complaint,
    response: Response,
    service: ServiceDep,
    caller: MayFile,
    expected_version: ExpectedVersionDep,
) -> ComplaintFiled:
    """Record the applicant's complaint against the decision on record (a deemed refusal
    included), filed within three months of learning of it."""
    command = commands.FileComplaint(appeal_id=appeal_id, **body.model_dump())
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return ComplaintFiled(
        **command_result(outcome, response).model_dump(), complaint_id=outcome.result
    )


@router.post("/{complaint_id}/decision")
def decide_complaint(
    appeal_id: UUID,
    complaint_id: str,
    body: ComplaintDecision,
    response: Response,
    service: ServiceDep,
    caller: MayDecide,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    """Decide the complaint: upheld; overturned and sent back (``returned``) or decided
    here (``outcome``); or changed to ``outcome``."""
    command = commands.DecideComplaint(
        appeal_id=appeal_id, complaint_id=complaint_id, **body.model_dump()
    )
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return command_result(outcome, response)
