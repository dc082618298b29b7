"""The staff of each office: who holds which position there.

The office's own data, as the reception rules need it. "If necessary, regional
prosecutors may instruct their deputies to receive the applicants" (order No. 87, kept by
order No. 29): so a delegation names someone this list holds as a deputy of the
schedule's office, never free text. Administrators keep the list; its events are
published so that other systems see the same staff.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.clock import events_dated_by_the_clock
from domain.errors import ConflictError, InvalidCommand, NotFound
from domain.offices import Office
from domain.reception_terms import ROLE_LEVEL, Role, check_text

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:appeals:office-staff")

# The head of an office: one at a time.
HEADS = frozenset({Role.PROSECUTOR_GENERAL, Role.REGIONAL_PROSECUTOR, Role.DISTRICT_PROSECUTOR})


def staff_list_id(office: str) -> UUID:
    """One staff list per office, so the event store itself keeps them apart."""
    return uuid5(_NAMESPACE, office)


class UnknownPosition(InvalidCommand):
    rule = "unknown-position"


class PositionWrongLevel(InvalidCommand):
    """A regional prosecutor's position exists only at a regional office, and so on."""

    rule = "position-level"


class HeadAlreadyAppointed(ConflictError):
    rule = "head-already-appointed"


class NotOnStaff(NotFound):
    rule = "not-on-staff"


class OfficeStaff(Aggregate):
    """Who holds which position at one office."""

    class Opened(Aggregate.Created):
        """The office's staff list was started."""

        office: str
        actor: str

    class Appointed(Aggregate.Event):
        """Someone took a position at the office (or moved to another there)."""

        staff_id: str
        position: str
        office: str
        actor: str

    class Released(Aggregate.Event):
        """Someone left the office's staff."""

        staff_id: str
        office: str
        actor: str

    office: str
    members: dict[str, Role]

    @classmethod
    def open(cls, office: Office, actor: str) -> OfficeStaff:
        return cls._create(
            cls.Opened, id=staff_list_id(office.code), office=office.code, actor=actor
        )

    @event(Opened)
    def __init__(self, *, office: str, actor: str) -> None:
        self.office = office
        self.members = {}

    def appoint(self, *, staff_id: str, position: str, office: Office, actor: str) -> bool:
        """Record ``staff_id`` in ``position``; False when that is already so."""
        staff_id = check_text("staff_id", staff_id, 128)
        try:
            role = Role(position)
        except ValueError:
            raise UnknownPosition(
                f"{position!r} is not a position; one of {', '.join(r.value for r in Role)}.",
                field="position",
            ) from None
        level = ROLE_LEVEL.get(role)
        if level is not None and level != office.level:
            raise PositionWrongLevel(
                f"A {role.value} serves at a {level.value} office; {office.code} is "
                f"{office.level.value}.",
                field="position",
            )
        if self.members.get(staff_id) == role:
            return False
        if role in HEADS:
            head = next((s for s, r in self.members.items() if r in HEADS and s != staff_id), None)
            if head is not None:
                raise HeadAlreadyAppointed(
                    f"{head} heads {office.code}; release them first.", field="position"
                )
        self._appointed(staff_id=staff_id, position=role.value, office=self.office, actor=actor)
        return True

    @event(Appointed)
    def _appointed(self, *, staff_id: str, position: str, office: str, actor: str) -> None:
        self.members[staff_id] = Role(position)

    def release(self, *, staff_id: str, actor: str) -> None:
        if staff_id not in self.members:
            raise NotOnStaff(f"{staff_id} is not on the staff of {self.office}.")
        self._released(staff_id=staff_id, office=self.office, actor=actor)

    @event(Released)
    def _released(self, *, staff_id: str, office: str, actor: str) -> None:
        del self.members[staff_id]

    def holding(self, position: Role) -> frozenset[str]:
        return frozenset(s for s, r in self.members.items() if r is position)


events_dated_by_the_clock(OfficeStaff)
