"""The Instruction aggregate: a higher-ranking office instructs a lower-ranking one.

Lifecycle: issued -> received by the addressee -> acknowledged -> executed with a
report. Independently of that order, an instruction not executed by its due date is
marked overdue once; executing it afterwards is still allowed and recorded as late.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.calendar import WorkingCalendar, working_days_after
from domain.clock import events_dated_by_the_clock
from domain.errors import ConflictError, InvalidCommand, NotFound
from domain.offices import OfficeDirectory
from domain.text import required_text

MAX_SUBJECT_LENGTH = 300
MAX_BODY_LENGTH = 8000
MAX_REPORT_LENGTH = 8000


class Status(StrEnum):
    ISSUED = "issued"
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    EXECUTED = "executed"


class InstructionNotFound(NotFound):
    """No instruction has the given id (404)."""

    rule = "instruction-not-found"


class IssuerNotAbove(InvalidCommand):
    """Only an office above the addressee in the hierarchy may instruct it: not the
    addressee itself, not an office above it, not an office of another branch."""

    rule = "issuer-not-above-addressee"


class DueDateTooEarly(InvalidCommand):
    """The due date must fall at least one working day after the day of issue."""

    rule = "due-date-not-after-issue"


class UnknownAppeal(InvalidCommand):
    """The instruction refers to an appeal that does not exist."""

    rule = "unknown-appeal"


class NotTheAddressee(InvalidCommand):
    """Only the addressee office receives, acknowledges and executes an instruction."""

    rule = "not-the-addressee"


class ReceiptInTheFuture(InvalidCommand):
    """A receipt cannot be recorded ahead of time."""

    rule = "receipt-in-the-future"


class ReportRequired(InvalidCommand):
    """Execution is recorded with a non-blank report."""

    rule = "report-required"


class NotYetReceived(ConflictError):
    """Acknowledging comes after receipt."""

    rule = "not-yet-received"


class AlreadyAcknowledged(ConflictError):
    rule = "already-acknowledged"


class NotYetAcknowledged(ConflictError):
    """Execution comes after acknowledgement."""

    rule = "not-yet-acknowledged"


class AlreadyExecuted(ConflictError):
    rule = "already-executed"


class NotOverdue(ConflictError):
    """Only an instruction past its due date and not executed becomes overdue."""

    rule = "not-overdue"


class AlreadyMarkedOverdue(ConflictError):
    rule = "already-marked-overdue"


def _due_on_from_text(state: dict[str, Any]) -> None:
    """Version 1 of Issued and MarkedOverdue kept the due date as ISO text."""
    state["due_on"] = date.fromisoformat(state["due_on"])


class Instruction(Aggregate):
    """An instruction's state is whatever its events say.

    Every event carries the actor and the addressee office and region, which the
    public contract publishes as the office the event concerns. Event classes are part
    of the stored schema (see ``domain.appeal.Appeal``): version 1 of ``Issued`` and
    ``MarkedOverdue`` kept ``due_on`` as ISO text, version 2 as a date; the upcasters
    turn the first into the second when old events are read.
    """

    class Issued(Aggregate.Created):
        """An office issued the instruction to a lower-ranking office."""

        issuing_office: str
        addressee_office: str
        addressee_region: str
        subject: str
        body: str
        due_on: date
        appeal_id: UUID | None
        actor: str

        class_version = 2
        upcast_v1_v2 = staticmethod(_due_on_from_text)

    class ReceivedByAddressee(Aggregate.Event):
        """The addressee office received the instruction."""

        addressee_office: str
        addressee_region: str
        received_at: datetime
        actor: str

        def apply(self, aggregate: Instruction) -> None:
            aggregate.status = Status.RECEIVED
            aggregate.received_at = self.received_at

    class Acknowledged(Aggregate.Event):
        """The addressee office accepted the instruction for execution."""

        addressee_office: str
        addressee_region: str
        actor: str

        def apply(self, aggregate: Instruction) -> None:
            aggregate.status = Status.ACKNOWLEDGED
            aggregate.acknowledged_at = self.timestamp

    class Executed(Aggregate.Event):
        """The addressee office reported the instruction executed; ``late`` when after
        its due date."""

        addressee_office: str
        addressee_region: str
        report: str
        late: bool
        actor: str

        def apply(self, aggregate: Instruction) -> None:
            aggregate.status = Status.EXECUTED
            aggregate.executed_at = self.timestamp
            aggregate.report = self.report
            aggregate.late = self.late

    class MarkedOverdue(Aggregate.Event):
        """The due date passed without execution."""

        addressee_office: str
        addressee_region: str
        due_on: date
        actor: str

        class_version = 2
        upcast_v1_v2 = staticmethod(_due_on_from_text)

        def apply(self, aggregate: Instruction) -> None:
            aggregate.marked_overdue = True

    issuing_office: str
    addressee_office: str
    addressee_region: str
    subject: str
    body: str
    due_on: date
    appeal_id: UUID | None
    issued_by: str
    status: Status
    received_at: datetime | None
    acknowledged_at: datetime | None
    executed_at: datetime | None
    report: str | None
    marked_overdue: bool
    late: bool

    @classmethod
    def issue(
        cls,
        *,
        instruction_id: UUID,
        issuing_office: str,
        addressee_office: str,
        subject: str,
        body: str,
        due_on: date,
        appeal_id: UUID | None,
        actor: str,
        today: date,
        offices: OfficeDirectory,
        calendar: WorkingCalendar,
    ) -> Instruction:
        cls.check_text("subject", subject, MAX_SUBJECT_LENGTH)
        cls.check_text("body", body, MAX_BODY_LENGTH)
        cls.check_text("actor", actor, 128)
        cls.check_issuer_above_addressee(offices, issuing_office, addressee_office)
        cls.check_due_date(calendar, today, due_on)
        return cls._create(
            cls.Issued,
            id=instruction_id,
            issuing_office=issuing_office,
            addressee_office=addressee_office,
            addressee_region=offices.region_of(addressee_office),
            subject=subject.strip(),
            body=body.strip(),
            due_on=due_on,
            appeal_id=appeal_id,
            actor=actor,
        )

    @event(Issued)
    def __init__(
        self,
        *,
        issuing_office: str,
        addressee_office: str,
        addressee_region: str,
        subject: str,
        body: str,
        due_on: date,
        appeal_id: UUID | None,
        actor: str,
    ) -> None:
        self.issuing_office = issuing_office
        self.addressee_office = addressee_office
        self.addressee_region = addressee_region
        self.subject = subject
        self.body = body
        self.due_on = due_on
        self.appeal_id = appeal_id
        self.issued_by = actor
        self.status = Status.ISSUED
        self.received_at = None
        self.acknowledged_at = None
        self.executed_at = None
        self.report = None
        self.marked_overdue = False
        self.late = False

    @property
    def issued_at(self) -> datetime:
        return self.created_on

    def receive(self, *, office: str, actor: str, received_at: datetime, now: datetime) -> bool:
        """Record receipt by the addressee. Receiving again records nothing (a
        redelivered message must not fail): returns whether anything was recorded."""
        self.check_text("actor", actor, 128)
        self.check_addressee(office)
        if self.status != Status.ISSUED:
            return False
        if received_at > now:
            raise ReceiptInTheFuture("received_at must not lie in the future.", field="received_at")
        self.trigger_event(
            self.ReceivedByAddressee,
            addressee_office=self.addressee_office,
            addressee_region=self.addressee_region,
            received_at=received_at,
            actor=actor,
        )
        return True

    def acknowledge(self, *, office: str, actor: str) -> None:
        self.check_text("actor", actor, 128)
        self.check_addressee(office)
        if self.status == Status.ISSUED:
            raise NotYetReceived("The instruction has not been received yet; record receipt first.")
        if self.status in (Status.ACKNOWLEDGED, Status.EXECUTED):
            raise AlreadyAcknowledged("The instruction was already acknowledged.")
        self.trigger_event(
            self.Acknowledged,
            addressee_office=self.addressee_office,
            addressee_region=self.addressee_region,
            actor=actor,
        )

    def execute(self, *, office: str, report: str, actor: str, today: date) -> None:
        """Record execution with a report; after the due date it is recorded as late."""
        self.check_text("actor", actor, 128)
        self.check_addressee(office)
        if not report or not report.strip():
            raise ReportRequired("A report of what was done is required.", field="report")
        self.check_text("report", report, MAX_REPORT_LENGTH)
        if self.status == Status.EXECUTED:
            raise AlreadyExecuted("The instruction was already executed.")
        if self.status != Status.ACKNOWLEDGED:
            raise NotYetAcknowledged(
                "The instruction must be received and acknowledged before it is executed."
            )
        self.trigger_event(
            self.Executed,
            addressee_office=self.addressee_office,
            addressee_region=self.addressee_region,
            report=report.strip(),
            late=self.marked_overdue or today > self.due_on,
            actor=actor,
        )

    def is_overdue_on(self, today: date) -> bool:
        """Past its due date and not executed (whether or not marked yet)."""
        return self.status != Status.EXECUTED and today > self.due_on

    def mark_overdue(self, *, today: date, actor: str) -> None:
        """Mark the instruction overdue, once. The event depends only on the current
        state, so two watchers racing produce the same event at the same version and
        the event store keeps one."""
        if self.marked_overdue:
            raise AlreadyMarkedOverdue("The instruction is already marked overdue.")
        if not self.is_overdue_on(today):
            raise NotOverdue(
                f"The instruction is executed or not yet past its due date {self.due_on}."
            )
        self.trigger_event(
            self.MarkedOverdue,
            addressee_office=self.addressee_office,
            addressee_region=self.addressee_region,
            due_on=self.due_on,
            actor=actor,
        )

    @staticmethod
    def check_issuer_above_addressee(
        offices: OfficeDirectory, issuing_office: str, addressee_office: str
    ) -> None:
        offices.get(issuing_office, field="issuing_office")
        offices.get(addressee_office, field="addressee_office")
        if issuing_office == addressee_office:
            raise IssuerNotAbove("An office cannot instruct itself.", field="addressee_office")
        if not offices.is_above(issuing_office, addressee_office):
            raise IssuerNotAbove(
                f"{issuing_office} is not above {addressee_office} in the hierarchy; only a "
                "higher-ranking office of the same branch may instruct it.",
                field="addressee_office",
            )

    @staticmethod
    def check_due_date(calendar: WorkingCalendar, today: date, due_on: date) -> None:
        if working_days_after(calendar, today, due_on) < 1:
            raise DueDateTooEarly(
                f"due_on {due_on.isoformat()} must be at least one working day after the "
                f"day of issue {today.isoformat()}.",
                field="due_on",
            )

    def check_addressee(self, office: str) -> None:
        if office != self.addressee_office:
            raise NotTheAddressee(
                f"Only the addressee office {self.addressee_office} may do this, not {office}.",
                field="office",
            )

    @staticmethod
    def check_text(field: str, value: str, max_length: int) -> None:
        required_text(field, value, max_length)


events_dated_by_the_clock(Instruction)
