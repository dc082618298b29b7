"""The Instruction aggregate and its service, on the library's in-memory store, with
Kazakhstan's working-day calendar and a clock the tests move by hand."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from api.problems import status_of
from domain.appeal import Appeal
from domain.clock import events_on
from domain.commands import (
    AcknowledgeInstruction,
    ExecuteInstruction,
    IssueInstruction,
    ReceiveInstruction,
)
from domain.errors import DomainError, IdempotencyKeyReused, InvalidCommand, VersionConflict
from domain.instruction import Instruction, InstructionNotFound, Status
from domain.instruction_service import OVERDUE_WATCH_ACTOR, InstructionService
from domain.offices import OfficeDirectory
from domain.service import AppealsService
from infra.adapters.calendar import KazakhstanCalendar
from infra.contract.envelope import CONTRACT, from_kafka_value, to_kafka_message, to_record
from tests.support import SettableClock, new_appeal, staff, stored_as_version_1

# Wednesday 5 March 2025, 10:00 in Kazakhstan (UTC+5). Saturday 8 March is International
# Women's Day and Monday 10 March its observed day off.
WEDNESDAY = datetime(2025, 3, 5, 5, 0, tzinfo=UTC)
FRIDAY = date(2025, 3, 7)


@pytest.fixture
def app(clock: SettableClock) -> AppealsService:
    return AppealsService(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        calendar=KazakhstanCalendar(),
        clock=clock,
    )


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(WEDNESDAY)


@pytest.fixture
def service(app: AppealsService, clock: SettableClock) -> InstructionService:
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


# Issue


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


# Receipt


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


# Acknowledgement and execution, in order


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


# Overdue


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


def test_instructions_stored_with_text_dates_are_read_as_dates(
    app: AppealsService, service: InstructionService
) -> None:
    """Version 1 of Issued kept due_on as ISO text; those events still read."""
    issued = next(iter(app.events.get(issue(service))))

    def as_text(state: dict[str, Any]) -> None:
        state["due_on"] = state["due_on"].isoformat()

    old = stored_as_version_1(app, issued, as_text)
    again = app.mapper.to_domain_event(old)
    assert again == issued and again.due_on == FRIDAY
