"""The Instruction's events: their public mapping, the events published to the addressee, and
events stored by earlier versions, through its service on the library's in-memory store,
with Kazakhstan's working-day calendar and a clock the tests move by hand."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, cast

from domain.appeal import Appeal
from domain.commands import AcknowledgeInstruction, ExecuteInstruction, ReceiveInstruction
from domain.instruction import Instruction
from domain.instruction_service import InstructionService
from domain.service import AppealsService
from infra.contract.envelope import from_kafka_value, to_kafka_message, to_record
from infra.contract.events import CONTRACT
from tests.support import SettableClock, new_appeal, staff, stored_as_version_1
from tests.unit.instruction_fixtures import (
    FRIDAY,
    app_fixture,  # noqa: F401
    clock_fixture,  # noqa: F401
    issue,
    service_fixture,  # noqa: F401
)

# Public contract


def test_every_event_class_has_a_public_mapping() -> None:
    def event_classes(aggregate: type[Any]) -> set[type]:
        bases = {aggregate.Event, aggregate.Created}
        return {
            value
            for value in vars(aggregate).values()
            if isinstance(value, type) and issubclass(value, aggregate.Event) and value not in bases
        }

    instruction_events = event_classes(Instruction)
    assert len(instruction_events) == 5
    assert event_classes(Appeal) | instruction_events <= set(CONTRACT)


def test_published_instruction_events_validate_and_concern_the_addressee(
    app: AppealsService, service: InstructionService, clock: SettableClock
) -> None:
    appeal = app.bus.send(new_appeal(office="GPO", summary="S"), staff("c.1"))
    instruction_id = issue(service, appeal_id=appeal.appeal_id, body="Secret details of a person")
    service.app.bus.send(
        ReceiveInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("m", "DIS-ALA-MEDEU"),
    )
    service.app.bus.send(
        AcknowledgeInstruction(instruction_id=instruction_id, office="DIS-ALA-MEDEU"),
        staff("m", "DIS-ALA-MEDEU"),
    )
    service.mark_overdue(date(2025, 3, 11), [instruction_id])
    clock.set_day(date(2025, 3, 11))
    service.app.bus.send(
        ExecuteInstruction(
            instruction_id=instruction_id, office="DIS-ALA-MEDEU", report="Private report"
        ),
        staff("m", "DIS-ALA-MEDEU"),
    )
    envelopes = []
    for n in app.recorder.select_notifications(start=2, limit=10):
        message = to_kafka_message(to_record(app.mapper.to_domain_event(n), n.id), "urn:t")
        value = message.value
        assert b"Secret details" not in value and b"Private report" not in value
        record = from_kafka_value(str(instruction_id).encode(), value)  # validates
        assert record.office == "DIS-ALA-MEDEU"
        assert record.data["addressee_region"] == "REG-ALA"
        envelopes.append(json.loads(value))
    assert [e["type"] for e in envelopes] == [
        "appeals.instruction.issued",
        "appeals.instruction.received",
        "appeals.instruction.acknowledged",
        "appeals.instruction.marked_overdue",
        "appeals.instruction.executed",
    ]
    assert envelopes[0]["data"]["appeal_id"] == str(appeal.appeal_id)
    assert envelopes[0]["data"]["due_on"] == "2025-03-07"
    assert envelopes[-1]["data"]["late"] is True


# Events stored by earlier versions


def test_instructions_stored_with_text_dates_are_read_as_dates(
    app: AppealsService, service: InstructionService
) -> None:
    """Version 1 of Issued kept due_on as ISO text; those events still read."""
    issued = next(iter(app.events.get(issue(service))))

    def as_text(state: dict[str, Any]) -> None:
        state["due_on"] = state["due_on"].isoformat()

    old = stored_as_version_1(app, issued, as_text)
    again = cast(Instruction.Issued, app.mapper.to_domain_event(old))
    assert again == issued and again.due_on == FRIDAY
