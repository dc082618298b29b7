"""Personal reception of citizens: officials' reception schedules and booked appointments.

The rules come from the reception rules of the General Prosecutor's Office (in force
from 9 October 2017, replaced by order No. 29 of 17 January 2023); the values that
change over time (frequencies, hours, booking channels, refusal grounds) are read from
the rule set in force (``domain/data/rule_sets.json``), never from constants here.

Event classes are part of the stored schema: renaming one needs ``register_topic`` and
changing its fields needs ``class_version`` and an upcaster.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.calendar import WorkingCalendar
from domain.clock import events_dated_by_the_clock
from domain.offices import Office
from domain.reception_errors import (
    AlreadyDelegated,
    DelegationNotAllowed,
    DeputyNotOnStaff,
    InvalidDeputy,
    InvalidSlotLength,
    SessionInPast,
    UnknownSession,
)
from domain.reception_terms import (
    GPO_SENIOR,
    ReceptionKind,
    Role,
    check_text,
)
from domain.rules import ReceptionRules
from domain.schedule_checks import (
    check_daily,
    check_facility,
    check_frequency,
    check_hours,
    check_kind,
    check_period,
    check_role,
    check_sessions,
)


@dataclass(frozen=True)
class Session:
    """One approved reception session; ``number`` counts from 1 in time order."""

    number: int
    start: datetime
    end: datetime
    delegate: str | None = None


# --- Reception schedule ------------------------------------------------------------


class ReceptionSchedule(Aggregate):
    """An official's approved reception timetable for a period."""

    class Approved(Aggregate.Created):
        """The schedule was approved: who receives, how, where and when."""

        office: str
        office_level: str
        official: str
        role: str
        kind: str
        facility_type: str | None
        facility_name: str | None
        period_from: date
        period_to: date
        slot_minutes: int
        sessions: list[dict[str, datetime]]
        rule_set: str
        actor: str

        # Version 1 kept the period and the sessions' times as ISO text.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["period_from"] = date.fromisoformat(state["period_from"])
            state["period_to"] = date.fromisoformat(state["period_to"])
            state["sessions"] = [
                {k: datetime.fromisoformat(v) for k, v in s.items()} for s in state["sessions"]
            ]

    class SessionDelegated(Aggregate.Event):
        """A regional prosecutor instructed a deputy to hold one session."""

        session: int
        deputy: str
        office: str
        actor: str

    office: str
    office_level: str
    official: str
    role: Role
    kind: ReceptionKind
    facility_type: str | None
    facility_name: str | None
    period_from: date
    period_to: date
    slot_minutes: int
    sessions: list[Session]
    rule_set: str
    approved_by: str

    @classmethod
    def approve(
        cls,
        *,
        schedule_id: UUID,
        office: Office,
        official: str,
        role: str,
        kind: str,
        facility_type: str | None,
        facility_name: str | None,
        period_from: date,
        period_to: date,
        slot_minutes: int,
        sessions: list[tuple[datetime, datetime]],
        rules: ReceptionRules,
        calendar: WorkingCalendar,
        actor: str,
    ) -> ReceptionSchedule:
        official = check_text("official", official, 128)
        actor = check_text("actor", actor, 128)
        the_role = check_role(role, office)
        the_kind = check_kind(kind, the_role)
        facility = check_facility(the_kind, facility_type, facility_name)
        check_period(period_from, period_to)
        if not 5 <= slot_minutes <= 240:
            raise InvalidSlotLength("slot_minutes must be from 5 to 240.", field="slot_minutes")
        ordered = check_sessions(sessions, period_from, period_to)
        if the_kind is ReceptionKind.BY_APPOINTMENT:
            minimum = (
                rules.gpo_senior_reception_min
                if the_role in GPO_SENIOR
                else rules.regional_senior_reception_min
            )
            check_frequency(minimum, ordered, period_from, period_to)
        if the_kind is ReceptionKind.DAILY_WITHOUT_APPOINTMENT:
            check_hours(ordered, rules)
            check_daily(ordered, period_from, period_to, calendar)
        return cls._create(
            cls.Approved,
            id=schedule_id,
            office=office.code,
            office_level=office.level.value,
            official=official,
            role=the_role.value,
            kind=the_kind.value,
            facility_type=facility[0],
            facility_name=facility[1],
            period_from=period_from,
            period_to=period_to,
            slot_minutes=slot_minutes,
            sessions=[{"start": s, "end": e} for s, e in ordered],
            rule_set=rules.id,
            actor=actor,
        )

    @event(Approved)
    def __init__(
        self,
        *,
        office: str,
        office_level: str,
        official: str,
        role: str,
        kind: str,
        facility_type: str | None,
        facility_name: str | None,
        period_from: date,
        period_to: date,
        slot_minutes: int,
        sessions: list[dict[str, datetime]],
        rule_set: str,
        actor: str,
    ) -> None:
        self.office = office
        self.office_level = office_level
        self.official = official
        self.role = Role(role)
        self.kind = ReceptionKind(kind)
        self.facility_type = facility_type
        self.facility_name = facility_name
        self.period_from = period_from
        self.period_to = period_to
        self.slot_minutes = slot_minutes
        self.sessions = [Session(n, s["start"], s["end"]) for n, s in enumerate(sessions, start=1)]
        self.rule_set = rule_set
        self.approved_by = actor

    def delegate(
        self, *, session: int, deputy: str, deputies: frozenset[str], now: datetime, actor: str
    ) -> None:
        """Hand session ``session`` to ``deputy``, one of ``deputies`` (the deputies on the
        office's staff list, ``domain.staff``)."""
        actor = check_text("actor", actor, 128)
        deputy = check_text("deputy", deputy, 128)
        if self.role is not Role.REGIONAL_PROSECUTOR:
            raise DelegationNotAllowed(
                f"Only a regional prosecutor may instruct a deputy to receive; this schedule "
                f"is a {self.role.value}'s.",
                field="session",
            )
        if deputy == self.official:
            raise InvalidDeputy(
                "The deputy must be someone other than the official.", field="deputy"
            )
        if deputy not in deputies:
            raise DeputyNotOnStaff(
                f"{deputy} is not a deputy on the staff of {self.office}; GET "
                f"/offices/{self.office}/staff lists them, and an administrator records one "
                "with PUT /offices/{code}/staff/{staff_id}.",
                field="deputy",
            )
        target = self.session(session)
        if target.end <= now:
            raise SessionInPast(f"Session {session} has already ended.", field="session")
        if target.delegate == deputy:
            raise AlreadyDelegated(
                f"Session {session} is already delegated to {deputy}.", field="deputy"
            )
        self._delegated(session=session, deputy=deputy, office=self.office, actor=actor)

    @event(SessionDelegated)
    def _delegated(self, *, session: int, deputy: str, office: str, actor: str) -> None:
        old = self.sessions[session - 1]
        self.sessions[session - 1] = Session(old.number, old.start, old.end, deputy)

    def session(self, number: int) -> Session:
        if not 1 <= number <= len(self.sessions):
            raise UnknownSession(
                f"The schedule has sessions 1 to {len(self.sessions)}, not {number}.",
                field="session",
            )
        return self.sessions[number - 1]

    def session_at(self, moment: datetime) -> Session | None:
        """The session during which ``moment`` falls, if any."""
        return next((s for s in self.sessions if s.start <= moment < s.end), None)

    def overlaps(self, sessions: list[tuple[datetime, datetime]]) -> bool:
        return any(
            s.start < end and start < s.end for s in self.sessions for start, end in sessions
        )


events_dated_by_the_clock(ReceptionSchedule)
