"""Marking an instruction overdue and executing it late, through its service on the library's
in-memory store, with Kazakhstan's working-day calendar and a clock the tests move by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from domain.clock import events_on
from domain.commands import ExecuteInstruction
from domain.instruction import Instruction, Status
from domain.instruction_service import OVERDUE_WATCH_ACTOR, InstructionService
from domain.service import AppealsService
from tests.support import SettableClock, staff
from tests.unit.instruction_fixtures import (
    FRIDAY,
    acknowledged,
    app_fixture,  # noqa: F401
    clock_fixture,  # noqa: F401
    events_of,
    issue,
    recorded,
    refused,
    service_fixture,  # noqa: F401
)


def test_instruction_is_marked_overdue_once_after_its_due_date(
    app: AppealsService, service: InstructionService, clock: SettableClock
) -> None:
    instruction_id = issue(service)
    assert service.mark_overdue(FRIDAY, [instruction_id]) == 0  # due by the end of Friday
    saturday = FRIDAY + timedelta(days=1)
    assert service.mark_overdue(saturday, [instruction_id, instruction_id]) == 1
    assert service.mark_overdue(saturday + timedelta(days=3), [instruction_id]) == 0
    marked = [e for e in events_of(app, instruction_id) if isinstance(e, Instruction.MarkedOverdue)]
    assert len(marked) == 1
    assert (marked[0].due_on, marked[0].actor, marked[0].addressee_office) == (
        FRIDAY,
        OVERDUE_WATCH_ACTOR,
        "DIS-ALA-MEDEU",
    )
    instruction = service.get(instruction_id)
    assert instruction.marked_overdue and instruction.status == Status.ISSUED


def test_marking_by_hand_follows_the_rules(service: InstructionService) -> None:
    instruction = service.get(issue(service))
    with events_on(service.clock):
        refused(lambda: instruction.mark_overdue(today=FRIDAY, actor="w"), "not-overdue", 409)
        instruction.mark_overdue(today=date(2025, 3, 11), actor="w")
        refused(
            lambda: instruction.mark_overdue(today=date(2025, 3, 12), actor="w"),
            "already-marked-overdue",
            409,
        )


def test_executed_instructions_are_never_overdue(
    app: AppealsService, service: InstructionService
) -> None:
    instruction_id = acknowledged(service)
    service.app.bus.send(
        ExecuteInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU", report="Done"),
        staff("m", "DIS-ALA-MEDEU"),
    )
    assert service.mark_overdue(date(2025, 4, 1), [instruction_id, uuid4()]) == 0
    assert recorded(app) == 4


def test_two_watchers_racing_record_one_event(
    app: AppealsService, service: InstructionService, clock: SettableClock
) -> None:
    instruction_id = issue(service)
    today = date(2025, 3, 11)

    # The same state gives the same event at the same version: the store keeps one.
    first, second = service.get(instruction_id), service.get(instruction_id)
    with events_on(clock):
        first.mark_overdue(today=today, actor=OVERDUE_WATCH_ACTOR)
        second.mark_overdue(today=today, actor=OVERDUE_WATCH_ACTOR)
    app.save(first)
    with pytest.raises(IntegrityError):
        app.save(second)

    # Through the service: the other watcher saves between this one's load and save.
    racing_id = issue(service)
    other = InstructionService(app, service.offices, service.calendar, clock)

    class Overtaken(InstructionService):
        def get(self, instruction_id: UUID) -> Instruction:
            stale = super().get(instruction_id)
            assert other.mark_overdue(today, [instruction_id]) == 1
            return stale

    overtaken = Overtaken(app, service.offices, service.calendar, clock)
    assert overtaken.mark_overdue(today, [racing_id]) == 0
    for aggregate_id in (instruction_id, racing_id):
        events = events_of(app, aggregate_id)
        assert sum(isinstance(e, Instruction.MarkedOverdue) for e in events) == 1


def test_execution_after_the_due_date_is_allowed_and_recorded_late(
    app: AppealsService, service: InstructionService, clock: SettableClock
) -> None:
    marked = acknowledged(service)
    unmarked = acknowledged(service)
    assert service.mark_overdue(date(2025, 3, 11), [marked]) == 1
    clock.set_day(date(2025, 3, 12))
    for instruction_id in (marked, unmarked):
        service.app.bus.send(
            ExecuteInstruction(
                instruction_id=instruction_id, office="DIS-ALA-MEDEU", report="Done late"
            ),
            staff("m", "DIS-ALA-MEDEU"),
        )
        executed = events_of(app, instruction_id)[-1]
        assert isinstance(executed, Instruction.Executed) and executed.late
        assert service.get(instruction_id).late


def test_once_marked_overdue_execution_is_late(
    app: AppealsService, service: InstructionService
) -> None:
    instruction_id = acknowledged(service)
    # A watcher run for a later day (``--today``) marked it; execution today is late.
    assert service.mark_overdue(date(2025, 3, 11), [instruction_id]) == 1
    service.app.bus.send(
        ExecuteInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU", report="Done"),
        staff("m", "DIS-ALA-MEDEU"),
    )
    assert service.get(instruction_id).late is True


def test_execution_on_the_due_date_is_on_time(
    app: AppealsService, service: InstructionService, clock: SettableClock
) -> None:
    instruction_id = acknowledged(service)
    clock.now = datetime(2025, 3, 7, 18, 59, tzinfo=UTC)  # 23:59 on Friday in Kazakhstan
    service.app.bus.send(
        ExecuteInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU", report="Done"),
        staff("m", "DIS-ALA-MEDEU"),
    )
    assert service.get(instruction_id).late is False
