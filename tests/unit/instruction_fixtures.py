"""Fixtures and helpers shared by the Instruction's tests (tests/unit/test_instruction_*.py):
its service on the library's in-memory store, with Kazakhstan's working-day calendar and a
clock the tests move by hand; test modules import the fixtures by name."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from api.problems import status_of
from domain.commands import AcknowledgeInstruction, IssueInstruction, ReceiveInstruction
from domain.errors import DomainError
from domain.instruction_service import InstructionService
from domain.offices import OfficeDirectory
from domain.service import AppealsService
from infra.adapters.calendar import KazakhstanCalendar
from tests.support import SettableClock, staff

# Wednesday 5 March 2025, 10:00 in Kazakhstan (UTC+5). Saturday 8 March is International
# Women's Day and Monday 10 March its observed day off.
WEDNESDAY = datetime(2025, 3, 5, 5, 0, tzinfo=UTC)
FRIDAY = date(2025, 3, 7)


@pytest.fixture(name="app")
def app_fixture(clock: SettableClock) -> AppealsService:
    return AppealsService(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        calendar=KazakhstanCalendar(),
        clock=clock,
    )


@pytest.fixture(name="clock")
def clock_fixture() -> SettableClock:
    return SettableClock(WEDNESDAY)


@pytest.fixture(name="service")
def service_fixture(app: AppealsService, clock: SettableClock) -> InstructionService:
    service = InstructionService(app, OfficeDirectory.default(), KazakhstanCalendar(), clock)
    app.bus.instructions = service
    return service


def issue(service: InstructionService, **overrides: Any) -> UUID:
    values: dict[str, Any] = {
        "issuing_office": "GPO",
        "addressee_office": "DIS-ALA-MEDEU",
        "subject": "Verify the refusal",
        "body": "Check the legality of the refusal and report.",
        "due_on": FRIDAY,
    }
    actor = overrides.pop("actor", "center.1")
    key = overrides.pop("idempotency_key", None)
    values.update(overrides)
    caller = staff(actor, values["issuing_office"])
    command = IssueInstruction(**values)
    return service.app.bus.send(command, caller, idempotency_key=key).instruction_id


def events_of(app: AppealsService, aggregate_id: UUID) -> list[Any]:
    return list(app.events.get(aggregate_id))


def recorded(app: AppealsService) -> int:
    return app.recorder.max_notification_id() or 0


def refused(call: Any, rule: str, status: int) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.rule, status_of(caught.value)[0]) == (rule, status)
    return caught.value


def acknowledged(service: InstructionService) -> UUID:
    instruction_id = issue(service)
    service.app.bus.send(
        ReceiveInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("medeu.1", "DIS-ALA-MEDEU"),
    )
    service.app.bus.send(
        AcknowledgeInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("medeu.1", "DIS-ALA-MEDEU"),
    )
    return instruction_id
