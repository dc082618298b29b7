"""The access log of commands: who sent which command on what, and what came of it.

Only the command's type, its target and the caller are logged, never its fields: they
hold applicants' words and names, which stay out of logs (docs/guarantees.md).
"""

from __future__ import annotations

from typing import Any

import structlog

from domain.access import Principal
from domain.commands import AppealCommand, Command, InstructionCommand
from domain.commands.base import AnyOutcome
from domain.commands.reception import AppointmentCommand

log = structlog.get_logger("appeals.commands")


def _target(command: Command) -> str | None:
    if isinstance(command, AppealCommand):
        return str(command.appeal_id)
    if isinstance(command, InstructionCommand):
        return str(command.instruction_id)
    if isinstance(command, AppointmentCommand):
        return str(command.appointment_id)
    return None


class StructlogCommandLog:
    def __init__(self, logger: Any = None) -> None:
        self.log = logger if logger is not None else log

    def handled(self, caller: Principal, command: Command, outcome: AnyOutcome) -> None:
        self.log.info(
            "command.handled",
            command=type(command).__name__,
            actor=caller.sub,
            role=caller.role.value,
            office=caller.office,
            target=str(outcome.aggregate_id),
            version=outcome.version,
            position=outcome.position,
            created=outcome.created,
        )

    def refused(self, caller: Principal, command: Command, error: Exception) -> None:
        self.log.info(
            "command.refused",
            command=type(command).__name__,
            actor=caller.sub,
            role=caller.role.value,
            office=caller.office,
            target=_target(command),
            rule=getattr(error, "rule", type(error).__name__),
            field=getattr(error, "field", None),
        )
