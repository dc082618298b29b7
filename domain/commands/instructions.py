"""Commands on instructions from higher-ranking offices to lower-ranking ones
(docs/instructions.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from domain.access import Action
from domain.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class IssueInstruction(Command):
    """Issue an instruction to an office below the caller's; ``appeal_id`` links it to
    an appeal the caller can see."""

    needs: ClassVar[tuple[Action, ...]] = (Action.ISSUE_INSTRUCTION,)
    acts_as: ClassVar[tuple[str, ...]] = ("issuing_office",)

    addressee_office: str
    subject: str
    body: str
    due_on: date
    appeal_id: UUID | None = None
    issuing_office: str | None = None


@dataclass(frozen=True, kw_only=True)
class InstructionCommand(Command):
    """A command on an instruction that exists; refused as not found unless the caller
    sees its issuing or its addressee office."""

    needs: ClassVar[tuple[Action, ...]] = (Action.HANDLE_INSTRUCTION,)
    acts_as: ClassVar[tuple[str, ...]] = ("office",)

    instruction_id: UUID
    office: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveInstruction(InstructionCommand):
    """The addressee office records receipt; receiving again records nothing."""

    received_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AcknowledgeInstruction(InstructionCommand):
    """The addressee office takes the instruction on."""


@dataclass(frozen=True, kw_only=True)
class ExecuteInstruction(InstructionCommand):
    """The addressee office reports what it did."""

    report: str
