"""Issuing an instruction to a lower office, through its service on the library's in-memory
store, with Kazakhstan's working-day calendar and a clock the tests move by hand."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.commands import IssueInstruction, ReceiveInstruction
from domain.errors import IdempotencyKeyReused, InvalidCommand
from domain.instruction import Instruction, InstructionNotFound, Status
from domain.instruction_service import InstructionService
from domain.service import AppealsService
from tests.support import SettableClock, new_appeal, staff
from tests.unit.instruction_fixtures import (
    FRIDAY,
    app_fixture,  # noqa: F401
    clock_fixture,  # noqa: F401
    events_of,
    issue,
    recorded,
    refused,
    service_fixture,  # noqa: F401
)


def test_issue_records_offices_region_due_date_and_actor(
    app: AppealsService, service: InstructionService
) -> None:
    outcome = service.app.bus.send(
        IssueInstruction(
            issuing_office="GPO",
            addressee_office="DIS-ALA-MEDEU",
            subject=" Verify the refusal ",
            body="Check it.",
            due_on=FRIDAY,
        ),
        staff("center.1", "GPO"),
    )
    assert (outcome.version, outcome.created, outcome.position) == (1, True, 1)
    [issued] = events_of(app, outcome.instruction_id)
    assert isinstance(issued, Instruction.Issued)
    assert (issued.issuing_office, issued.addressee_office, issued.addressee_region) == (
        "GPO",
        "DIS-ALA-MEDEU",
        "REG-ALA",
    )
    assert (issued.due_on, issued.appeal_id, issued.actor) == (FRIDAY, None, "center.1")
    instruction = service.get(outcome.instruction_id)
    assert instruction.status == Status.ISSUED
    assert (instruction.subject, instruction.due_on) == ("Verify the refusal", FRIDAY)


def test_a_regional_office_instructs_its_districts(service: InstructionService) -> None:
    instruction_id = issue(service, issuing_office="REG-ALA", addressee_office="DIS-ALA-AUEZOV")
    assert service.get(instruction_id).addressee_region == "REG-ALA"
    regional = issue(service, addressee_office="REG-AST")
    assert service.get(regional).addressee_region == "REG-AST"


@pytest.mark.parametrize(
    ("issuer", "addressee"),
    [
        ("REG-ALA", "REG-ALA"),  # its own office
        ("DIS-ALA-MEDEU", "REG-ALA"),  # a higher office
        ("REG-ALA", "GPO"),
        ("DIS-ALA-MEDEU", "DIS-ALA-AUEZOV"),  # a peer
        ("REG-AST", "DIS-ALA-MEDEU"),  # another region's district
    ],
)
def test_only_an_office_above_the_addressee_may_instruct_it(
    app: AppealsService, service: InstructionService, issuer: str, addressee: str
) -> None:
    error = refused(
        lambda: issue(service, issuing_office=issuer, addressee_office=addressee),
        "issuer-not-above-addressee",
        422,
    )
    assert error.field == "addressee_office"
    assert recorded(app) == 0


@pytest.mark.parametrize("field", ["issuing_office", "addressee_office"])
def test_unknown_office_is_refused(
    app: AppealsService, service: InstructionService, field: str
) -> None:
    error = refused(lambda: issue(service, **{field: "NOWHERE"}), "unknown-office", 422)
    assert error.field == field
    assert recorded(app) == 0


@pytest.mark.parametrize(
    "due_on",
    [
        date(2025, 3, 4),  # before the issue
        date(2025, 3, 5),  # the day of issue
    ],
)
def test_due_date_must_follow_the_day_of_issue(
    app: AppealsService, service: InstructionService, due_on: date
) -> None:
    error = refused(lambda: issue(service, due_on=due_on), "due-date-not-after-issue", 422)
    assert error.field == "due_on"
    assert recorded(app) == 0


@pytest.mark.parametrize("due_on", [date(2025, 3, 8), date(2025, 3, 9), date(2025, 3, 10)])
def test_due_date_counts_working_days_with_public_holidays(
    app: AppealsService, service: InstructionService, clock: SettableClock, due_on: date
) -> None:
    clock.set_day(FRIDAY)  # nothing but days off between Friday and Tuesday 11 March
    refused(lambda: issue(service, due_on=due_on), "due-date-not-after-issue", 422)
    assert recorded(app) == 0
    issue(service, due_on=date(2025, 3, 11))
    assert recorded(app) == 1


@pytest.mark.parametrize(
    ("field", "value"), [("subject", " "), ("body", ""), ("actor", ""), ("subject", "x" * 301)]
)
def test_blank_or_long_text_is_refused(
    app: AppealsService, service: InstructionService, field: str, value: str
) -> None:
    with pytest.raises(InvalidCommand) as caught:
        issue(service, **{field: value})
    assert caught.value.field == field
    assert recorded(app) == 0


def test_instruction_may_refer_to_an_existing_appeal(
    app: AppealsService, service: InstructionService
) -> None:
    appeal = app.bus.send(
        new_appeal(channel="law_enforcement_center", office="GPO", summary="Application"),
        staff("c.1"),
    )
    instruction_id = issue(service, appeal_id=appeal.appeal_id)
    assert service.get(instruction_id).appeal_id == appeal.appeal_id
    assert events_of(app, instruction_id)[0].appeal_id == appeal.appeal_id


def test_reference_to_an_unknown_appeal_is_refused(
    app: AppealsService, service: InstructionService
) -> None:
    other_instruction = issue(service)
    for appeal_id in (uuid4(), other_instruction):
        error = refused(lambda a=appeal_id: issue(service, appeal_id=a), "unknown-appeal", 422)
        assert error.field == "appeal_id"
    assert recorded(app) == 1


def test_retried_issue_with_the_same_idempotency_key_records_nothing_new(
    app: AppealsService, service: InstructionService
) -> None:
    first = service.app.bus.send(
        IssueInstruction(
            issuing_office="GPO", addressee_office="REG-AST", subject="S", body="B", due_on=FRIDAY
        ),
        staff("c.1", "GPO"),
        idempotency_key="req-1",
    )
    again = service.app.bus.send(
        IssueInstruction(
            issuing_office="GPO", addressee_office="REG-AST", subject="S", body="B", due_on=FRIDAY
        ),
        staff("c.1", "GPO"),
        idempotency_key="req-1",
    )
    assert again.instruction_id == first.instruction_id
    assert (again.created, again.position) == (False, None)
    with pytest.raises(IdempotencyKeyReused):
        service.app.bus.send(
            IssueInstruction(
                issuing_office="GPO",
                addressee_office="REG-AST",
                subject="Other",
                body="B",
                due_on=FRIDAY,
            ),
            staff("c.1", "GPO"),
            idempotency_key="req-1",
        )
    assert recorded(app) == 1


def test_unknown_instruction_is_not_found(app: AppealsService, service: InstructionService) -> None:
    refused(lambda: service.get(uuid4()), "instruction-not-found", 404)
    appeal = app.bus.send(new_appeal(office="GPO", summary="S"), staff("c.1"))
    with pytest.raises(InstructionNotFound):
        service.app.bus.send(
            ReceiveInstruction(instruction_id=appeal.appeal_id, office="GPO"), staff("c.1", "GPO")
        )
