"""The one way a command is handled (see the package's docstring)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, overload
from uuid import UUID

from domain.access import Principal, acting_office, in_scope, require
from domain.appeal import Appeal
from domain.authority import check_step
from domain.commands.appeal_handlers import HANDLERS
from domain.commands.appeals import DecideComplaint, ReceiveAppeal, ReceiveCaseFile
from domain.commands.base import (
    AnyOutcome,
    AppealCommand,
    Command,
    CommandLog,
    InstructionOutcome,
    NoLog,
    Outcome,
    ReceptionOutcome,
)
from domain.commands.erasure import ApproveErasure, ErasureCommand, RequestErasure
from domain.commands.instructions import (
    AcknowledgeInstruction,
    ExecuteInstruction,
    InstructionCommand,
    IssueInstruction,
    ReceiveInstruction,
)
from domain.commands.reception import (
    AppointmentCommand,
    AppointStaff,
    ApproveSchedule,
    BookAppointment,
    DelegateSession,
    ReceptionCommand,
    ReleaseStaff,
    StaffCommand,
)
from domain.errors import AppealNotFound, DomainError, InvalidCommand
from domain.instruction import Instruction, InstructionNotFound, UnknownAppeal
from domain.offices import OfficeDirectory
from domain.reception_errors import AppointmentNotFound, OfficeNotFound, ScheduleNotFound

if TYPE_CHECKING:
    from domain.erasure_service import ErasureService
    from domain.instruction_service import InstructionService
    from domain.reception_service import ReceptionService
    from domain.service import AppealsService


class CommandBus:
    """Sends a command on behalf of a caller.

    For every command alike: the caller's role must allow what it ``needs``; offices it
    names must be within the caller's; the offices it ``acts_as`` are the caller's own.
    A command on an existing appeal loads it, refuses it as not found if the caller may
    not see it and as not theirs unless the caller's relation to the appeal allows the
    step (``domain.authority``), checks ``expected_version`` (If-Match), runs the
    command's handler and saves; ``ReceiveAppeal`` and ``IssueInstruction`` are idempotent on
    ``idempotency_key``. Commands on instructions and of the reception are loaded and
    checked against the caller's offices the same way, then handed to their service.
    Each command handled or refused is reported to the ``CommandLog``.
    """

    def __init__(
        self,
        appeals: AppealsService,
        log: CommandLog | None = None,
        *,
        instructions: InstructionService | None = None,
        reception: ReceptionService | None = None,
        erasures: ErasureService | None = None,
    ) -> None:
        self.appeals = appeals
        self.log: CommandLog = log or NoLog()
        # The services of the other aggregates on the same event store; the composition
        # root (infra/bootstrap.py) sets them once it has built them.
        self.instructions = instructions
        self.reception = reception
        self.erasures = erasures

    @overload
    def send(  # type: ignore[overload-overlap]
        self,
        command: IssueInstruction | InstructionCommand,
        caller: Principal,
        *,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> InstructionOutcome: ...

    @overload
    def send(  # type: ignore[overload-overlap]
        self,
        command: ReceptionCommand | ErasureCommand,
        caller: Principal,
        *,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> ReceptionOutcome: ...

    @overload
    def send(
        self,
        command: Command,
        caller: Principal,
        *,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...

    def send(
        self,
        command: Command,
        caller: Principal,
        *,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> AnyOutcome:
        outcome: AnyOutcome
        try:
            command = self.authorize(command, caller)
            if isinstance(command, ReceiveAppeal):
                outcome = self.appeals.receive(command, caller.actor, idempotency_key)
            elif isinstance(command, AppealCommand):
                outcome = self._on_appeal(command, caller, expected_version)
            elif isinstance(command, IssueInstruction):
                outcome = self._instructions().issue(command, caller.actor, idempotency_key)
            elif isinstance(command, InstructionCommand):
                outcome = self._on_instruction(command, caller, expected_version)
            elif isinstance(command, ReceptionCommand):
                outcome = self._on_reception(command, caller, expected_version)
            elif isinstance(command, ErasureCommand):
                outcome = self._on_erasure(command, caller)
            else:
                raise TypeError(f"no handler for {type(command).__name__}")
        except DomainError as error:
            self.log.refused(caller, command, error)
            raise
        self.log.handled(caller, command, outcome)
        return outcome

    def _instructions(self) -> InstructionService:
        assert self.instructions is not None, "no InstructionService on this application"
        return self.instructions

    def _on_reception(
        self, command: ReceptionCommand, caller: Principal, expected_version: int | None
    ) -> ReceptionOutcome:
        assert self.reception is not None, "no ReceptionService on this application"
        service, offices = self.reception, self.appeals.offices
        if isinstance(command, ApproveSchedule):
            service.office(command.office)  # an unknown office is not found (404)
            in_scope(caller, offices, command.office, "code")
            return service.approve_schedule(command, caller.actor)
        if isinstance(command, StaffCommand):
            service.office(command.office)  # an unknown office is not found (404)
            in_scope(caller, offices, command.office, "code")
            if isinstance(command, AppointStaff):
                return service.appoint_staff(command, caller.actor)
            assert isinstance(command, ReleaseStaff), type(command).__name__
            return service.release_staff(command, caller.actor)
        if isinstance(command, DelegateSession):
            # Another region's reception is not found, as an unknown office is.
            if not caller.sees(service.office(command.office).code, offices):
                raise OfficeNotFound(
                    f"{command.office} is outside your office ({caller.office}) and the "
                    "offices below it."
                )
            return service.delegate_session(command, caller.actor, expected_version)
        if isinstance(command, BookAppointment):
            schedule = service.get_schedule(command.schedule_id)
            if not caller.sees(schedule.office, offices):
                raise ScheduleNotFound(f"No reception schedule {command.schedule_id}.")
            return service.book(schedule, command, caller.actor)
        assert isinstance(command, AppointmentCommand), type(command).__name__
        appointment = service.get_appointment(command.appointment_id)
        if not caller.sees(appointment.office, offices):
            raise AppointmentNotFound(f"No appointment has id {command.appointment_id}.")
        return service.on_appointment(appointment, command, caller.actor, expected_version)

    def _on_erasure(self, command: ErasureCommand, caller: Principal) -> ReceptionOutcome:
        assert self.erasures is not None, "no ErasureService on this application"
        if isinstance(command, RequestErasure):
            return self.erasures.request(command, caller)
        assert isinstance(command, ApproveErasure), type(command).__name__
        return self.erasures.approve(command, caller)

    def _on_instruction(
        self, command: InstructionCommand, caller: Principal, expected_version: int | None
    ) -> InstructionOutcome:
        service = self._instructions()
        instruction = service.get(command.instruction_id)
        if not instruction_visible(caller, instruction, self.appeals.offices):
            raise InstructionNotFound(f"No instruction has id {command.instruction_id}.")
        if isinstance(command, ReceiveInstruction):
            return service.receive(instruction, command, caller.actor, expected_version)
        if isinstance(command, AcknowledgeInstruction):
            return service.acknowledge(instruction, command, caller.actor, expected_version)
        if isinstance(command, ExecuteInstruction):
            return service.execute(instruction, command, caller.actor, expected_version)
        raise TypeError(f"no handler for {type(command).__name__}")

    def authorize(self, command: Command, caller: Principal) -> Command:
        """The command as it will be handled (acting offices filled in), or a refusal."""
        require(caller, *command.needs)
        offices = self.appeals.offices
        filled = {
            name: acting_office(caller, getattr(command, name), name) for name in command.acts_as
        }
        if filled:
            command = dataclasses.replace(command, **filled)
        if not isinstance(command, AppealCommand):
            for name in command.names_offices:
                in_scope(caller, offices, getattr(command, name), name)
        if isinstance(command, ReceiveAppeal) and command.repeat_of is not None:
            self._repeat_visible(caller, command.repeat_of)
        if isinstance(command, IssueInstruction) and command.appeal_id is not None:
            self._linked_appeal_visible(caller, command.appeal_id)
        return command

    def _on_appeal(
        self, command: AppealCommand, caller: Principal, expected_version: int | None
    ) -> Outcome:
        handler = HANDLERS[type(command)]
        offices = self.appeals.offices

        def guard(appeal: Appeal) -> None:
            if not visible(caller, appeal, self.appeals.offices):
                raise AppealNotFound(f"No appeal has id {appeal.id}.")
            check_step(
                caller, command.who, appeal, offices, request_office=_requester(command, appeal)
            )
            for name in command.names_offices:
                in_scope(caller, offices, getattr(command, name), name)

        result = None

        def act(appeal: Appeal) -> None:
            nonlocal result
            result = handler(appeal, command, self.appeals, caller.actor)

        outcome = self.appeals.act(command.appeal_id, expected_version, act, guard=guard)
        return dataclasses.replace(outcome, result=result)

    def _repeat_visible(self, caller: Principal, earlier: UUID) -> None:
        if not self._sees_appeal(caller, earlier):
            raise InvalidCommand(
                f"repeat_of: no appeal has id {earlier}.",
                field="repeat_of",
                rule="repeat-of-unknown",
            )

    def _linked_appeal_visible(self, caller: Principal, appeal_id: UUID) -> None:
        if not self._sees_appeal(caller, appeal_id):
            raise UnknownAppeal(f"No appeal has id {appeal_id}.", field="appeal_id")

    def _sees_appeal(self, caller: Principal, appeal_id: UUID) -> bool:
        """Whether the appeal exists and the caller may see it: another region's appeal
        is refused exactly as a missing one is."""
        try:
            appeal = self.appeals.get_appeal(appeal_id)
        except AppealNotFound:
            return False
        return visible(caller, appeal, self.appeals.offices)


def _requester(command: AppealCommand, appeal: Appeal) -> str | None:
    """The office that demanded the file, or that received the complaint, named."""
    if isinstance(command, DecideComplaint):
        complaint = appeal.complaints.get(command.complaint_id)
        return None if complaint is None else str(complaint["office"])
    if not isinstance(command, ReceiveCaseFile):
        return None
    request = appeal.case_file_requests.get(command.request_id)
    return None if request is None else str(request["requesting_office"])


def visible(caller: Principal, appeal: Appeal, offices: OfficeDirectory) -> bool:
    """An appeal is seen by the offices at or above the one holding it or the one that
    received it (the API's queries and the bus's commands alike)."""
    return caller.sees(appeal.office, offices) or caller.sees(appeal.receiving_office, offices)


def instruction_visible(
    caller: Principal, instruction: Instruction, offices: OfficeDirectory
) -> bool:
    """An instruction is seen by the offices at or above its issuer or its addressee."""
    return caller.sees(instruction.addressee_office, offices) or caller.sees(
        instruction.issuing_office, offices
    )
