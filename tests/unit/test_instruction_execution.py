"""Acknowledging and executing an instruction, in order, through its service on the library's
in-memory store, with Kazakhstan's working-day calendar and a clock the tests move by hand."""

from __future__ import annotations

import pytest

from domain.commands import AcknowledgeInstruction, ExecuteInstruction, ReceiveInstruction
from domain.errors import VersionConflict
from domain.instruction import Instruction, Status
from domain.instruction_service import InstructionService
from domain.service import AppealsService
from tests.support import staff
from tests.unit.instruction_fixtures import (
    acknowledged,
    app_fixture,  # noqa: F401
    clock_fixture,  # noqa: F401
    events_of,
    issue,
    recorded,
    refused,
    service_fixture,  # noqa: F401
)


def test_acknowledging_before_receipt_is_refused(
    app: AppealsService, service: InstructionService
) -> None:
    instruction_id = issue(service)
    refused(
        lambda: service.app.bus.send(
            AcknowledgeInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
            staff("m", "DIS-ALA-MEDEU"),
        ),
        "not-yet-received",
        409,
    )
    assert recorded(app) == 1


def test_acknowledging_twice_is_refused(app: AppealsService, service: InstructionService) -> None:
    instruction_id = acknowledged(service)
    event = events_of(app, instruction_id)[-1]
    assert isinstance(event, Instruction.Acknowledged) and event.actor == "medeu.1"
    assert service.get(instruction_id).acknowledged_at == event.timestamp
    refused(
        lambda: service.app.bus.send(
            AcknowledgeInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
            staff("m", "DIS-ALA-MEDEU"),
        ),
        "already-acknowledged",
        409,
    )
    assert recorded(app) == 3


@pytest.mark.parametrize("steps", [0, 1])
def test_executing_before_acknowledgement_is_refused(
    app: AppealsService, service: InstructionService, steps: int
) -> None:
    instruction_id = issue(service)
    if steps:
        service.app.bus.send(
            ReceiveInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
            staff("m", "DIS-ALA-MEDEU"),
        )
    refused(
        lambda: service.app.bus.send(
            ExecuteInstruction(
                instruction_id=instruction_id, office="DIS-ALA-MEDEU", report="Done"
            ),
            staff("m", "DIS-ALA-MEDEU"),
        ),
        "not-yet-acknowledged",
        409,
    )
    assert recorded(app) == 1 + steps


def test_execution_records_the_report_once(
    app: AppealsService, service: InstructionService
) -> None:
    instruction_id = acknowledged(service)
    outcome = service.app.bus.send(
        ExecuteInstruction(
            instruction_id=instruction_id, office="DIS-ALA-MEDEU", report=" Refusal reversed "
        ),
        staff("medeu.2", "DIS-ALA-MEDEU"),
    )
    assert outcome.version == 4
    executed = events_of(app, instruction_id)[-1]
    assert isinstance(executed, Instruction.Executed)
    assert (executed.report, executed.late, executed.actor) == (
        "Refusal reversed",
        False,
        "medeu.2",
    )
    instruction = service.get(instruction_id)
    assert (instruction.status, instruction.report, instruction.late) == (
        Status.EXECUTED,
        "Refusal reversed",
        False,
    )
    refused(
        lambda: service.app.bus.send(
            ExecuteInstruction(
                instruction_id=instruction_id, office="DIS-ALA-MEDEU", report="Again"
            ),
            staff("m", "DIS-ALA-MEDEU"),
        ),
        "already-executed",
        409,
    )
    refused(
        lambda: service.app.bus.send(
            AcknowledgeInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
            staff("m", "DIS-ALA-MEDEU"),
        ),
        "already-acknowledged",
        409,
    )
    assert recorded(app) == 4


@pytest.mark.parametrize("report", ["", "   "])
def test_execution_needs_a_report(
    app: AppealsService, service: InstructionService, report: str
) -> None:
    instruction_id = acknowledged(service)
    error = refused(
        lambda: service.app.bus.send(
            ExecuteInstruction(
                instruction_id=instruction_id, office="DIS-ALA-MEDEU", report=report
            ),
            staff("m", "DIS-ALA-MEDEU"),
        ),
        "report-required",
        422,
    )
    assert error.field == "report"
    assert recorded(app) == 3


def test_stale_expected_version_is_a_conflict(
    app: AppealsService, service: InstructionService
) -> None:
    instruction_id = issue(service)
    service.app.bus.send(
        ReceiveInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("m", "DIS-ALA-MEDEU"),
        expected_version=1,
    )
    with pytest.raises(VersionConflict):
        service.app.bus.send(
            AcknowledgeInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
            staff("m", "DIS-ALA-MEDEU"),
            expected_version=1,
        )
    assert service.get(instruction_id).status == Status.RECEIVED
    service.app.bus.send(
        AcknowledgeInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("m", "DIS-ALA-MEDEU"),
        expected_version=2,
    )
    assert recorded(app) == 3
