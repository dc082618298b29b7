"""The addressee's receipt of an instruction, through its service on the library's in-memory
store, with Kazakhstan's working-day calendar and a clock the tests move by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.commands import AcknowledgeInstruction, ExecuteInstruction, ReceiveInstruction
from domain.instruction import Instruction, Status
from domain.instruction_service import InstructionService
from domain.service import AppealsService
from tests.support import staff
from tests.unit.instruction_fixtures import (
    WEDNESDAY,
    app_fixture,  # noqa: F401
    clock_fixture,  # noqa: F401
    events_of,
    issue,
    recorded,
    refused,
    service_fixture,  # noqa: F401
)


def test_addressee_records_receipt(app: AppealsService, service: InstructionService) -> None:
    instruction_id = issue(service)
    outcome = service.app.bus.send(
        ReceiveInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("medeu.1", "DIS-ALA-MEDEU"),
    )
    assert (outcome.version, outcome.position) == (2, 2)
    received = events_of(app, instruction_id)[-1]
    assert isinstance(received, Instruction.ReceivedByAddressee)
    assert (received.actor, received.addressee_office, received.addressee_region) == (
        "medeu.1",
        "DIS-ALA-MEDEU",
        "REG-ALA",
    )
    assert received.received_at == WEDNESDAY
    instruction = service.get(instruction_id)
    assert (instruction.status, instruction.received_at) == (Status.RECEIVED, WEDNESDAY)


def test_receiving_again_records_nothing_and_returns_the_state(
    app: AppealsService, service: InstructionService
) -> None:
    instruction_id = issue(service)
    service.app.bus.send(
        ReceiveInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("medeu.1", "DIS-ALA-MEDEU"),
    )
    again = service.app.bus.send(
        ReceiveInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("consumer", "DIS-ALA-MEDEU"),
        expected_version=1,
    )
    assert (again.version, again.position, again.created) == (2, None, False)
    service.app.bus.send(
        AcknowledgeInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("medeu.1", "DIS-ALA-MEDEU"),
    )
    assert (
        service.app.bus.send(
            ReceiveInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
            staff("c", "DIS-ALA-MEDEU"),
        ).version
        == 3
    )
    assert recorded(app) == 3


@pytest.mark.parametrize(
    ("office", "rule", "status"),
    [
        ("REG-ALA", "not-the-addressee", 422),  # above the addressee: sees it, is not it
        ("GPO", "not-the-addressee", 422),
        # A peer of the addressee does not even see the instruction.
        ("DIS-ALA-AUEZOV", "instruction-not-found", 404),
    ],
)
def test_only_the_addressee_receives_acknowledges_and_executes(
    app: AppealsService, service: InstructionService, office: str, rule: str, status: int
) -> None:
    instruction_id = issue(service)
    refused(
        lambda: service.app.bus.send(
            ReceiveInstruction(instruction_id=instruction_id, office=office), staff("x", office)
        ),
        rule,
        status,
    )
    service.app.bus.send(
        ReceiveInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("medeu.1", "DIS-ALA-MEDEU"),
    )
    refused(
        lambda: service.app.bus.send(
            AcknowledgeInstruction(instruction_id=instruction_id, office=office), staff("x", office)
        ),
        rule,
        status,
    )
    service.app.bus.send(
        AcknowledgeInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("medeu.1", "DIS-ALA-MEDEU"),
    )
    error = refused(
        lambda: service.app.bus.send(
            ExecuteInstruction(instruction_id=instruction_id, office=office, report="Done"),
            staff("x", office),
        ),
        rule,
        status,
    )
    assert error.field == ("office" if rule == "not-the-addressee" else None)
    assert recorded(app) == 3


def test_receipt_time_may_be_given_but_not_in_the_future(
    app: AppealsService, service: InstructionService
) -> None:
    instruction_id = issue(service)
    error = refused(
        lambda: service.app.bus.send(
            ReceiveInstruction(
                instruction_id=instruction_id,
                office="DIS-ALA-MEDEU",
                received_at=WEDNESDAY + timedelta(minutes=1),
            ),
            staff("m", "DIS-ALA-MEDEU"),
        ),
        "receipt-in-the-future",
        422,
    )
    assert error.field == "received_at"
    assert recorded(app) == 1
    earlier = WEDNESDAY - timedelta(minutes=5)
    service.app.bus.send(
        ReceiveInstruction(
            instruction_id=instruction_id, office="DIS-ALA-MEDEU", received_at=earlier
        ),
        staff("m", "DIS-ALA-MEDEU"),
    )
    assert service.get(instruction_id).received_at == earlier
