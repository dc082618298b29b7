"""The demo's small parts: its staff, summary, progress report and clock."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol
from uuid import UUID

from domain.access import Principal, Role
from domain.clock import KAZAKHSTAN
from infra.demo.plan import (
    CENTER_FIGURES,
    CENTER_OFFICE,
)


def _staff(actor: str, office: str = "GPO") -> Principal:
    """A head (or deputy) of ``office``: instructions, reception, oversight."""
    return Principal(sub=actor, role=Role.SUPERVISOR, office=office)


def _registrar(actor: str, office: str) -> Principal:
    """A registrar of ``office``: registers and routes appeals."""
    return Principal(sub=actor, role=Role.REGISTRAR, office=office)


class ProgressReport(Protocol):
    """Told how far a stage has got: ``done`` of ``total`` steps of ``stage``."""

    def __call__(self, done: int, total: int, stage: str) -> None: ...


class DemoDataPresent(RuntimeError):
    """The store already holds the demo data of this seed and scale."""


@dataclass
class DemoSummary:
    """What was created, read back from the aggregates themselves."""

    seed: int
    scale: float
    appeal_ids: list[UUID] = field(default_factory=list)
    center_ids: list[UUID] = field(default_factory=list)
    instruction_ids: list[UUID] = field(default_factory=list)
    appointment_ids: list[UUID] = field(default_factory=list)
    schedule_ids: list[UUID] = field(default_factory=list)
    appeal_states: Counter[str] = field(default_factory=Counter)
    stories: Counter[str] = field(default_factory=Counter)
    center: dict[str, int] = field(default_factory=dict)
    center_targets: dict[str, int] = field(default_factory=dict)
    instruction_states: Counter[str] = field(default_factory=Counter)
    appointment_states: Counter[str] = field(default_factory=Counter)
    staff: set[str] = field(default_factory=set)


def scaled(count: int, scale: float) -> int:
    """``count * scale`` rounded half up (so 1,110 at 0.05 is 56)."""
    exact = Decimal(count) * Decimal(str(scale))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def center_targets(scale: float) -> dict[str, int]:
    return {name: scaled(n, scale) for name, n in CENTER_FIGURES.items()}


def slug(office: str) -> str:
    """``REG-ALA`` -> ``ala``, ``DIS-ALA-MEDEU`` -> ``ala-medeu``, ``GPO`` -> ``gpo``."""
    if office == CENTER_OFFICE:
        return "gpo"
    return office.split("-", 1)[1].lower()


class DemoClock:
    """The reception and instruction services' clock: a chosen moment, else the demo's
    own "now" (``real``)."""

    def __init__(self, real: Callable[[], datetime]) -> None:
        self.real = real
        self.moment: datetime | None = None

    def __call__(self) -> datetime:
        return self.moment or self.real()

    def at(self, day: date, hour: int, minute: int = 0) -> None:
        """Set the clock to a moment in Kazakhstan, never later than the demo's now."""
        moment = datetime.combine(day, time(hour, minute), KAZAKHSTAN)
        self.moment = min(moment, self.real())

    def now(self) -> None:
        self.moment = None


# The demo's day ends when the reception day does (09:00-18:30 in the 2017 rules).
DEMO_DAY_ENDS = time(18, 30)


class DemoInTheFuture(ValueError):
    """The demo was asked for a day after the services' own today."""
