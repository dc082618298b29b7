"""Commands on instructions: load, act, save, on the shared event store."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.appeal import Appeal
from domain.calendar import WorkingCalendar
from domain.clock import Clock, kazakhstan_date, on_the_clock
from domain.commands.base import InstructionOutcome
from domain.commands.instructions import (
    AcknowledgeInstruction,
    ExecuteInstruction,
    IssueInstruction,
    ReceiveInstruction,
)
from domain.errors import IdempotencyKeyReused, InvalidCommand, VersionConflict
from domain.instruction import Instruction, InstructionNotFound, UnknownAppeal
from domain.offices import OfficeDirectory
from domain.service import AppealsService
from domain.versions import check_expected_version as check_version

OVERDUE_WATCH_ACTOR = "system:overdue-watch"

_IDEMPOTENCY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:appeals:instruction-idempotency-key")


class InstructionService:
    """Instructions from higher-ranking offices to lower-ranking ones.

    ``app`` is the shared event store (``domain.service.AppealsService``); ``clock``
    returns the current time, timezone-aware.
    """

    def __init__(
        self,
        app: AppealsService,
        offices: OfficeDirectory,
        calendar: WorkingCalendar,
        clock: Clock,
    ) -> None:
        self.app = app
        self.offices = offices
        self.calendar = calendar
        self.clock = clock

    def today(self) -> date:
        return kazakhstan_date(self.clock())

    @on_the_clock
    def issue(
        self, c: IssueInstruction, actor: str, idempotency_key: str | None = None
    ) -> InstructionOutcome:
        """Issue an instruction. Retrying with the same idempotency key returns the
        instruction the first call issued and records nothing new."""
        assert c.issuing_office is not None, "the bus fills the acting office"
        instruction_id = self.instruction_id_for(idempotency_key) if idempotency_key else uuid4()
        if c.appeal_id is not None:
            self.check_appeal_exists(c.appeal_id)
        instruction = Instruction.issue(
            instruction_id=instruction_id,
            issuing_office=c.issuing_office,
            addressee_office=c.addressee_office,
            subject=c.subject,
            body=c.body,
            due_on=c.due_on,
            appeal_id=c.appeal_id,
            actor=actor,
            today=self.today(),
            offices=self.offices,
            calendar=self.calendar,
        )
        try:
            recordings = self.app.save(instruction)
        except IntegrityError:
            existing = self.get(instruction_id)
            if self._fingerprint(existing) != self._fingerprint(instruction):
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was already used for a different instruction.",
                    field="Idempotency-Key",
                ) from None
            return InstructionOutcome(instruction_id, existing.version, None)
        return InstructionOutcome(
            instruction_id, instruction.version, recordings[-1].notification.id, created=True
        )

    @on_the_clock
    def receive(
        self,
        instruction: Instruction,
        c: ReceiveInstruction,
        actor: str,
        expected_version: int | None,
    ) -> InstructionOutcome:
        """Record receipt by the addressee office. Idempotent: an instruction already
        received is returned as it is and nothing is recorded (even under a stale
        If-Match, since nothing would change)."""
        assert c.office is not None, "the bus fills the acting office"
        version_before = instruction.version
        now = self.clock()
        recorded = instruction.receive(
            office=c.office, actor=actor, received_at=c.received_at or now, now=now
        )
        if not recorded:
            return InstructionOutcome(instruction.id, instruction.version, None)
        self.check_expected_version(version_before, expected_version)
        return self.save_changes(instruction)

    @on_the_clock
    def acknowledge(
        self,
        instruction: Instruction,
        c: AcknowledgeInstruction,
        actor: str,
        expected_version: int | None,
    ) -> InstructionOutcome:
        assert c.office is not None, "the bus fills the acting office"
        self.check_expected_version(instruction.version, expected_version)
        instruction.acknowledge(office=c.office, actor=actor)
        return self.save_changes(instruction)

    @on_the_clock
    def execute(
        self,
        instruction: Instruction,
        c: ExecuteInstruction,
        actor: str,
        expected_version: int | None,
    ) -> InstructionOutcome:
        assert c.office is not None, "the bus fills the acting office"
        self.check_expected_version(instruction.version, expected_version)
        instruction.execute(office=c.office, report=c.report, actor=actor, today=self.today())
        return self.save_changes(instruction)

    @on_the_clock
    def mark_overdue(
        self, today: date, candidates: Iterable[UUID], actor: str = OVERDUE_WATCH_ACTOR
    ) -> int:
        """Mark overdue each candidate that is past its due date and not executed;
        returns how many were marked. Candidates come from a read model and may be
        stale: each is checked against its own events. When another watcher (or an
        execution) saved first, the save collides and the instruction is skipped."""
        marked = 0
        for instruction_id in candidates:
            try:
                instruction = self.get(instruction_id)
            except InstructionNotFound:
                continue
            if instruction.marked_overdue or not instruction.is_overdue_on(today):
                continue
            instruction.mark_overdue(today=today, actor=actor)
            try:
                self.app.save(instruction)
            except IntegrityError:
                continue
            marked += 1
        return marked

    def get(self, instruction_id: UUID) -> Instruction:
        instruction: object
        try:
            instruction = self.app.repository.get(instruction_id)
        except AggregateNotFoundError:
            instruction = None
        if not isinstance(instruction, Instruction):
            raise InstructionNotFound(f"No instruction has id {instruction_id}.")
        return instruction

    def save_changes(self, instruction: Instruction) -> InstructionOutcome:
        try:
            recordings = self.app.save(instruction)
        except IntegrityError:
            raise VersionConflict(
                "The instruction was changed by someone else at the same time; reload and retry."
            ) from None
        position = recordings[-1].notification.id if recordings else None
        return InstructionOutcome(instruction.id, instruction.version, position)

    def check_appeal_exists(self, appeal_id: UUID) -> None:
        appeal: object
        try:
            appeal = self.app.repository.get(appeal_id)
        except AggregateNotFoundError:
            appeal = None
        if not isinstance(appeal, Appeal):
            raise UnknownAppeal(f"No appeal has id {appeal_id}.", field="appeal_id")

    @staticmethod
    def check_expected_version(version: int, expected_version: int | None) -> None:
        check_version("instruction", version, expected_version)

    @staticmethod
    def instruction_id_for(idempotency_key: str) -> UUID:
        if not idempotency_key.strip() or len(idempotency_key) > 200:
            raise InvalidCommand(
                "Idempotency-Key must be 1 to 200 characters.", field="Idempotency-Key"
            )
        return uuid5(_IDEMPOTENCY_NAMESPACE, idempotency_key)

    @staticmethod
    def _fingerprint(instruction: Instruction) -> tuple[object, ...]:
        return (
            instruction.issuing_office,
            instruction.addressee_office,
            instruction.subject,
            instruction.body,
            instruction.due_on,
            instruction.appeal_id,
            instruction.issued_by,
        )
