"""Commands of erasure (``domain.erasure``): request, then a second administrator's
approval, which executes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from domain.access import Action
from domain.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class ErasureCommand(Command):
    needs: ClassVar[tuple[Action, ...]] = (Action.ERASE_PERSON,)


@dataclass(frozen=True, kw_only=True)
class RequestErasure(ErasureCommand):
    """Ask for the person's data to be erased, on a ground of the Law on personal data."""

    applicant_ref: str
    ground: str


@dataclass(frozen=True, kw_only=True)
class ApproveErasure(ErasureCommand):
    """Approve another administrator's request; the key is destroyed at once."""

    erasure_id: UUID
