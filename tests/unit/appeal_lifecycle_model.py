"""The Appeal's state machine (tests/unit/test_appeal_lifecycle.py), part one: the rules as its
model sees them, written from the rules rather than from the code, and the machine's state
and helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine

from domain.appeal_terms import Status
from domain.applicants import Applicant, InMemoryApplicants
from domain.channels import Channel
from domain.errors import DomainError
from domain.rules import RuleBook
from domain.service import AppealsService
from infra.adapters.calendar import KazakhstanCalendar
from tests.support import IIN_A, IIN_B, SettableClock

# One calendar for every example: it fills its holiday tables once per year asked about.
CALENDAR = KazakhstanCalendar()

# --- the model's view of the rules -----------------------------------------------------

# A corner of the office hierarchy: code -> (parent, level).
OFFICES: dict[str, tuple[str | None, str]] = {
    "GPO": (None, "gpo"),
    "REG-ALA": ("GPO", "regional"),
    "DIS-ALA-MEDEU": ("REG-ALA", "district"),
    "DIS-ALA-ALMALY": ("REG-ALA", "district"),
    "REG-AST": ("GPO", "regional"),
    "DIS-AST-YESIL": ("REG-AST", "district"),
    "REG-TRN": ("GPO", "regional"),  # the transport office, equated to a regional one
    "GPO-DEP-APPEALS": ("GPO", "gpo"),  # a department of the GPO
}
OFFICE_CODES = sorted(OFFICES)
# Personal receptions weigh more: only they can need a personal explanation of a refusal.
CHANNELS = st.sampled_from([Channel.PERSONAL_RECEPTION.value] * 3 + [c.value for c in Channel])
# Levels at which a refusal after a personal reception is explained to the person.
EXPLAINING_LEVELS = {"regional", "district"}


def ancestors(code: str) -> list[str]:
    out = []
    parent = OFFICES[code][0]
    while parent is not None:
        out.append(parent)
        parent = OFFICES[parent][0]
    return out


def above(higher: str, lower: str) -> bool:
    if lower not in OFFICES or higher not in OFFICES:
        return False
    # A department of the GPO stands above every regional and district office.
    gpo_over_lower = OFFICES[higher][1] == "gpo" and OFFICES[lower][1] != "gpo"
    return higher in ancestors(lower) or gpo_over_lower


def within(code: str, root: str) -> bool:
    return code == root or above(root, code)


def level(code: str) -> str:
    return OFFICES[code][1]


_RULE_DATA = RuleBook.default()
CONSIDERATION_WORKING_DAYS = _RULE_DATA.deadlines[-1].consideration_working_days
EXTENSION_MAX_MONTHS = _RULE_DATA.deadlines[-1].extension_max_months
REFUSAL_GROUNDS = sorted(_RULE_DATA.decision_refusal_grounds)

OPEN = frozenset({Status.RECEIVED, Status.IN_PROGRESS})
# Answered one way or another: these may be closed.
CLOSABLE = frozenset(
    {
        Status.DECIDED,
        Status.REFUSED,
        Status.DEEMED_REFUSED,
        Status.REDIRECTED,
        Status.NOT_CONSIDERED,
    }
)
# Answered on the merits: only these can be appealed against and reopened (also once
# closed). A redirected or set-aside appeal was never answered by this office.
REOPENABLE = frozenset({Status.DECIDED, Status.REFUSED, Status.DEEMED_REFUSED})
EVERY_STATUS = frozenset(Status)
DECIDABLE = OPEN | {Status.DEEMED_REFUSED}

PEOPLE = [
    Applicant(iin=IIN_A, name="Aigerim Nurlanovna", phone="+7 700 111 2233"),
    Applicant(iin=IIN_B, name="Serik Bolatuly", email="serik@example.kz"),
]
BAD_IIN = "791028302729"  # wrong check digit
# Nothing of the person may reach the event store (they live in the registry).
PERSONAL = [IIN_A, IIN_B, BAD_IIN, "Aigerim Nurlanovna", "Serik Bolatuly", "+7 700 111 2233"]
PERSONAL += ["serik@example.kz"]


def working_days_later(start: date, days: int) -> date:
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        counted += CALENDAR.is_working_day(current)
    return current


def months_later(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


@dataclass
class Model:
    """What the rules say the appeal should be."""

    channel: str
    receiving_office: str
    office: str
    anonymous: bool
    status: Status
    due_on: date
    original_due_on: date
    version: int
    assignee: str | None = None
    outcome: str | None = None
    closed_from: Status | None = None
    requests: dict[str, bool] = field(default_factory=dict)
    requesters: dict[str, str] = field(default_factory=dict)
    received_on: date = date.min
    decided_by: str | None = None  # the office of the last decision on record
    heard: bool = False  # the applicant heard since the consideration began
    file_holder: str | None = None  # the office the case file moved to, if any


# Where the first appeal of an example is brought before the random steps begin.
STAGES = [
    "received",
    "assigned",
    "decided",
    "refused",
    "refused in person",
    "refused in person",
    "refused in person at the GPO",
    "deemed refused",
    "overdue",
    "redirected",
    "closed",
    "reopened",
    "set aside",
]


# --- the state machine ----------------------------------------------------------------


class AppealMachine(RuleBasedStateMachine):
    """The machine's state and helpers: its steps are added by WorkingSteps and
    DecidingSteps, its invariants by AppealLifecycle (test_appeal_lifecycle.py)."""

    appeals = Bundle("appeals")

    def __init__(self) -> None:
        super().__init__()
        self.clock = SettableClock(date(2026, 3, 16))
        self.service = AppealsService(
            env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
            calendar=CALENDAR,
            applicants=InMemoryApplicants(),
            clock=self.clock,
        )
        self.models: dict[UUID, Model] = {}
        # The day each event was recorded on, by (appeal, version): events carry the
        # wall-clock time, not the service's clock.
        self.recorded_on: dict[tuple[UUID, int], date] = {}
        # The last replay of each appeal: its version and the state it gave.
        self.replayed: dict[UUID, tuple[int, tuple[Any, ...]]] = {}

    # --- helpers -----------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.service.today()

    def head(self) -> int:
        return self.service.recorder.max_notification_id() or 0

    def stored_version(self, appeal_id: UUID) -> int:
        last = self.service.recorder.select_events(appeal_id, desc=True, limit=1)
        return last[0].originator_version if last else 0

    def attempt(
        self, appeal_id: UUID | None, predicted: bool, command: Callable[[], Any]
    ) -> UUID | None:
        """Run one command and check what it recorded against the prediction.

        Returns the id of the appeal it changed, or None when it was refused."""
        head = self.head()
        versions = {a: self.stored_version(a) for a in self.models}
        try:
            command()
        except DomainError as error:
            assert not predicted, f"refused, but the rules allow it: {error!r} ({error.rule})"
            assert self.head() == head, "a refused command recorded something"
            after = {a: self.stored_version(a) for a in self.models}
            assert after == versions, "a refused command changed an appeal's version"
            return None
        assert predicted, "succeeded, but the rules refuse it"
        new = list(self.service.recorder.select_notifications(start=head + 1, limit=100))
        assert new, "a successful command recorded nothing"
        positions = [n.id for n in new]
        assert positions[0] > head
        assert all(a < b for a, b in pairwise(positions)), positions
        changed = {n.originator_id for n in new}
        assert len(changed) == 1, "one command changed several appeals"
        (target,) = changed
        assert isinstance(target, UUID)
        if appeal_id is not None:
            assert target == appeal_id
        previous = versions.get(target, 0)
        recorded = [n.originator_version for n in new]
        assert recorded == list(range(previous + 1, previous + 1 + len(new))), (
            previous,
            recorded,
        )
        for version in recorded:
            self.recorded_on[(target, version)] = self.today
        if target in self.models:
            self.models[target].version = recorded[-1]
        return target

    def expected(self, model: Model, fresh: bool) -> int | None:
        """The If-Match a careful caller sends (or none at all)."""
        return model.version if fresh else None
