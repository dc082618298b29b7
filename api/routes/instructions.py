"""Instructions from higher-ranking offices to lower-ranking ones."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Response, status

from api.auth import InstructionReader, may_send
from api.deps import ContainerDep, ExpectedVersionDep, ServiceDep
from api.instruction_schemas import (
    AcknowledgeInstruction,
    ExecuteInstruction,
    InstructionList,
    InstructionResult,
    InstructionState,
    InstructionSummary,
    IssueInstruction,
    ReceiveInstruction,
    StatusFilter,
)
from api.schemas import AUTH_PROBLEMS, Problem
from api.scope import visible_offices
from domain import commands
from domain.access import Principal
from domain.commands.base import InstructionOutcome
from domain.commands.bus import instruction_visible
from domain.instruction import Instruction, InstructionNotFound
from domain.instruction_service import InstructionService
from projections.instructions import InstructionQueries

router = APIRouter(prefix="/instructions", tags=["instructions"], responses=AUTH_PROBLEMS)

PROBLEMS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such instruction."},
    409: {"model": Problem, "description": "The command conflicts with the instruction's state."},
    422: {"model": Problem, "description": "The input breaks a rule; nothing was recorded."},
}


MayIssue = Annotated[Principal, Depends(may_send(commands.IssueInstruction))]
MayHandle = Annotated[Principal, Depends(may_send(commands.InstructionCommand))]


async def get_instructions(container: ContainerDep) -> InstructionService:
    return container.instructions


InstructionsDep = Annotated[InstructionService, Depends(get_instructions)]


def visible_instruction(
    instructions: InstructionService, principal: Principal, instruction_id: UUID
) -> Instruction:
    """An instruction the user's office issued or receives (or is above); else 404."""
    instruction = instructions.get(instruction_id)
    if not instruction_visible(principal, instruction, instructions.offices):
        raise InstructionNotFound(f"No instruction has id {instruction_id}.")
    return instruction


def _result(outcome: InstructionOutcome, response: Response) -> InstructionResult:
    response.headers["ETag"] = f'"{outcome.version}"'
    response.headers["Location"] = f"/instructions/{outcome.instruction_id}"
    if outcome.position is None:
        response.headers["Idempotent-Replayed"] = "true"
    return InstructionResult(
        instruction_id=outcome.instruction_id, version=outcome.version, position=outcome.position
    )


@router.post("", status_code=status.HTTP_201_CREATED, responses=PROBLEMS)
def issue_instruction(
    body: IssueInstruction,
    response: Response,
    service: ServiceDep,
    caller: MayIssue,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Retrying with the same key issues nothing new."),
    ] = None,
) -> InstructionResult:
    command = commands.IssueInstruction(**body.model_dump())
    outcome = service.bus.send(command, caller, idempotency_key=idempotency_key)
    return _result(outcome, response)


@router.post("/{instruction_id}/receipt", responses=PROBLEMS)
def receive_instruction(
    instruction_id: UUID,
    body: ReceiveInstruction,
    response: Response,
    service: ServiceDep,
    caller: MayHandle,
    expected_version: ExpectedVersionDep,
) -> InstructionResult:
    """Record receipt by the addressee office. Repeating it records nothing and returns
    the instruction's current version."""
    command = commands.ReceiveInstruction(instruction_id=instruction_id, **body.model_dump())
    return _result(service.bus.send(command, caller, expected_version=expected_version), response)


@router.post("/{instruction_id}/acknowledgement", responses=PROBLEMS)
def acknowledge_instruction(
    instruction_id: UUID,
    body: AcknowledgeInstruction,
    response: Response,
    service: ServiceDep,
    caller: MayHandle,
    expected_version: ExpectedVersionDep,
) -> InstructionResult:
    """The addressee office takes the instruction on."""
    command = commands.AcknowledgeInstruction(instruction_id=instruction_id, **body.model_dump())
    return _result(service.bus.send(command, caller, expected_version=expected_version), response)


@router.post("/{instruction_id}/execution", responses=PROBLEMS)
def execute_instruction(
    instruction_id: UUID,
    body: ExecuteInstruction,
    response: Response,
    service: ServiceDep,
    caller: MayHandle,
    expected_version: ExpectedVersionDep,
) -> InstructionResult:
    """The addressee office reports what it did."""
    command = commands.ExecuteInstruction(instruction_id=instruction_id, **body.model_dump())
    return _result(service.bus.send(command, caller, expected_version=expected_version), response)


@router.get("/{instruction_id}", responses=PROBLEMS)
def get_instruction(
    instruction_id: UUID,
    response: Response,
    instructions: InstructionsDep,
    principal: InstructionReader,
) -> InstructionState:
    instruction = visible_instruction(instructions, principal, instruction_id)
    response.headers["ETag"] = f'"{instruction.version}"'
    return InstructionState(
        instruction_id=instruction.id,
        version=instruction.version,
        issuing_office=instruction.issuing_office,
        addressee_office=instruction.addressee_office,
        addressee_region=instruction.addressee_region,
        subject=instruction.subject,
        body=instruction.body,
        due_on=instruction.due_on,
        appeal_id=instruction.appeal_id,
        issued_by=instruction.issued_by,
        issued_at=instruction.issued_at,
        status=instruction.status.value,
        received_at=instruction.received_at,
        acknowledged_at=instruction.acknowledged_at,
        executed_at=instruction.executed_at,
        report=instruction.report,
        marked_overdue=instruction.marked_overdue,
        overdue=instruction.is_overdue_on(instructions.today()),
        late=instruction.late,
    )


@router.get("", responses={422: PROBLEMS[422]})
def list_instructions(
    container: ContainerDep,
    principal: InstructionReader,
    addressee: Annotated[
        str | None, Query(max_length=64, description="Addressee office code.")
    ] = None,
    region: Annotated[
        str | None, Query(max_length=64, description="Addressee region (a regional office).")
    ] = None,
    status: Annotated[
        StatusFilter | None,
        Query(description="A lifecycle stage, or `overdue`: not executed and past due."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> InstructionList:
    """Instructions from the `instruction_status` read model, newest first. It follows
    the event store within moments; `overdue` is computed against today."""
    instructions = container.instructions
    if addressee is not None:
        instructions.offices.get(addressee, field="addressee")
    if region is not None:
        instructions.offices.get(region, field="region")
    visible = visible_offices(principal, instructions.offices)
    today = instructions.today()
    rows = InstructionQueries(container.pool).find(
        today=today,
        addressee=addressee,
        region=region,
        status=status,
        limit=limit,
        visible=visible,
    )
    return InstructionList(today=today, instructions=[InstructionSummary(**row) for row in rows])
