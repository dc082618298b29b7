"""What every command shares: the permission it needs, the offices it names (which
must be within the caller's), the office the caller acts as, and its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol
from uuid import UUID

from domain.access import Action, Principal
from domain.authority import Who


@dataclass(frozen=True, kw_only=True)
class Command:
    """A request to change state. Subclasses are frozen dataclasses named in the
    imperative (``AssignAppeal``); the events they cause are named in the past tense.

    ``needs``: every action the caller's role must allow.
    ``names_offices``: fields holding an office the caller must see (their own or one
    below it).
    ``acts_as``: fields holding the office the caller acts for; left empty, they are
    filled with the caller's office; another office is refused.
    """

    needs: ClassVar[tuple[Action, ...]] = ()
    names_offices: ClassVar[tuple[str, ...]] = ()
    acts_as: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True, kw_only=True)
class AppealCommand(Command):
    """A command on an appeal that exists: loaded, checked against If-Match, changed
    and saved by the bus; refused as not found if the caller may not see it, and as
    not theirs (``domain.authority``) unless the caller is ``who`` may send it."""

    who: ClassVar[Who] = Who.HANDLER

    appeal_id: UUID


@dataclass(frozen=True)
class Outcome:
    """What a command did: the aggregate's id and version after it, and the position of
    its last event in the event store (for read-your-writes). ``created`` is False when
    an idempotent retry found the first call's result; ``result`` carries what the
    command produced besides (a case-file request's id)."""

    appeal_id: UUID
    version: int
    position: int | None
    created: bool = True
    result: Any = None

    @property
    def aggregate_id(self) -> UUID:
        return self.appeal_id


@dataclass(frozen=True)
class InstructionOutcome:
    """What a command on an instruction did, as ``Outcome`` for an appeal (``position``
    None when nothing was recorded)."""

    instruction_id: UUID
    version: int
    position: int | None
    created: bool = False

    @property
    def aggregate_id(self) -> UUID:
        return self.instruction_id


@dataclass(frozen=True)
class ReceptionOutcome:
    """What a command of the reception did, to a schedule or an appointment."""

    id: UUID
    version: int
    position: int | None
    created: bool = True

    @property
    def aggregate_id(self) -> UUID:
        return self.id


AnyOutcome = Outcome | InstructionOutcome | ReceptionOutcome


class CommandLog(Protocol):
    """Where the bus reports every command it handled or refused (the access log)."""

    def handled(self, caller: Principal, command: Command, outcome: AnyOutcome) -> None: ...

    def refused(self, caller: Principal, command: Command, error: Exception) -> None: ...


class NoLog:
    def handled(self, caller: Principal, command: Command, outcome: AnyOutcome) -> None:
        pass

    def refused(self, caller: Principal, command: Command, error: Exception) -> None:
        pass
