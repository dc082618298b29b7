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
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand
from domain.offices import Level, Office
from domain.reception_errors import (
    AlreadyDelegated,
    DailyReceptionMissing,
    DelegationNotAllowed,
    FacilityOnlyForDuty,
    FacilityRequired,
    InvalidDeputy,
    InvalidPeriod,
    InvalidSession,
    InvalidSlotLength,
    MonthlyReceptionMissing,
    NoSessions,
    OutsideReceptionHours,
    ReceptionKindNotForRole,
    RoleNotAtOfficeLevel,
    SessionInPast,
    SessionsOverlap,
    TimezoneRequired,
    UnknownReceptionKind,
    UnknownRole,
    UnknownSession,
    WeeklyReceptionMissing,
)
from domain.rules import ReceptionRules
from domain.text import required_text

MAX_PERIOD_DAYS = 366
MAX_SESSIONS = 1000
MAX_TEXT = 4000


class Role(StrEnum):
    PROSECUTOR_GENERAL = "prosecutor_general"
    DEPUTY_PROSECUTOR_GENERAL = "deputy_prosecutor_general"
    REGIONAL_PROSECUTOR = "regional_prosecutor"
    DEPUTY_REGIONAL_PROSECUTOR = "deputy_regional_prosecutor"
    DISTRICT_PROSECUTOR = "district_prosecutor"
    STAFF = "staff"
    DUTY_PROSECUTOR = "duty_prosecutor"


class ReceptionKind(StrEnum):
    BY_APPOINTMENT = "by_appointment"
    DAILY_WITHOUT_APPOINTMENT = "daily_without_appointment"
    FACILITY_DUTY = "facility_duty"


class FacilityType(StrEnum):
    """Places where duty prosecutors receive on an approved schedule."""

    TEMPORARY_CONTAINMENT_CELL = "temporary_containment_cell"
    INVESTIGATION_CELL = "investigation_cell"
    SPECIAL_DETENTION_CENTRE = "special_detention_centre"
    RECEPTION_CENTRE = "reception_centre"
    GUARDHOUSE = "guardhouse"
    PENITENTIARY_INSTITUTION = "penitentiary_institution"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    ADMISSION_REFUSED = "admission_refused"
    CANCELLED = "cancelled"
    ATTENDED = "attended"


GPO_SENIOR = frozenset({Role.PROSECUTOR_GENERAL, Role.DEPUTY_PROSECUTOR_GENERAL})
REGIONAL_SENIOR = frozenset({Role.REGIONAL_PROSECUTOR, Role.DEPUTY_REGIONAL_PROSECUTOR})

# The office level a role belongs to; staff and duty prosecutors serve at any level.
ROLE_LEVEL: dict[Role, Level] = {
    Role.PROSECUTOR_GENERAL: Level.GPO,
    Role.DEPUTY_PROSECUTOR_GENERAL: Level.GPO,
    Role.REGIONAL_PROSECUTOR: Level.REGIONAL,
    Role.DEPUTY_REGIONAL_PROSECUTOR: Level.REGIONAL,
    Role.DISTRICT_PROSECUTOR: Level.DISTRICT,
}

# How each role receives: senior management of the GPO and of regional offices by
# appointment; district prosecutors and other staff daily without appointment; duty
# prosecutors at detention facilities.
ROLE_KIND: dict[Role, ReceptionKind] = {
    Role.PROSECUTOR_GENERAL: ReceptionKind.BY_APPOINTMENT,
    Role.DEPUTY_PROSECUTOR_GENERAL: ReceptionKind.BY_APPOINTMENT,
    Role.REGIONAL_PROSECUTOR: ReceptionKind.BY_APPOINTMENT,
    Role.DEPUTY_REGIONAL_PROSECUTOR: ReceptionKind.BY_APPOINTMENT,
    Role.DISTRICT_PROSECUTOR: ReceptionKind.DAILY_WITHOUT_APPOINTMENT,
    Role.STAFF: ReceptionKind.DAILY_WITHOUT_APPOINTMENT,
    Role.DUTY_PROSECUTOR: ReceptionKind.FACILITY_DUTY,
}


# --- Helpers ------------------------------------------------------------------------


check_text = required_text


def check_aware(field: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise TimezoneRequired(
            f"{field} needs a UTC offset, e.g. 2025-03-04T10:00:00+05:00.", field=field
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
        the_role = cls.check_role(role, office)
        the_kind = cls.check_kind(kind, the_role)
        facility = cls.check_facility(the_kind, facility_type, facility_name)
        cls.check_period(period_from, period_to)
        if not 5 <= slot_minutes <= 240:
            raise InvalidSlotLength("slot_minutes must be from 5 to 240.", field="slot_minutes")
        ordered = cls.check_sessions(sessions, period_from, period_to)
        if the_kind is ReceptionKind.BY_APPOINTMENT:
            minimum = (
                rules.gpo_senior_reception_min
                if the_role in GPO_SENIOR
                else rules.regional_senior_reception_min
            )
            cls.check_frequency(minimum, ordered, period_from, period_to)
        if the_kind is ReceptionKind.DAILY_WITHOUT_APPOINTMENT:
            cls.check_hours(ordered, rules)
            cls.check_daily(ordered, period_from, period_to, calendar)
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

    def delegate(self, *, session: int, deputy: str, now: datetime, actor: str) -> None:
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

    @staticmethod
    def check_role(role: str, office: Office) -> Role:
        try:
            the_role = Role(role)
        except ValueError:
            raise UnknownRole(
                f"Unknown role {role!r}; use one of: {', '.join(Role)}.", field="role"
            ) from None
        level = ROLE_LEVEL.get(the_role)
        if level is not None and level is not office.level:
            raise RoleNotAtOfficeLevel(
                f"A {the_role.value} serves at a {level.value} office; {office.code} is a "
                f"{office.level.value} office.",
                field="role",
            )
        return the_role

    @staticmethod
    def check_kind(kind: str, role: Role) -> ReceptionKind:
        try:
            the_kind = ReceptionKind(kind)
        except ValueError:
            raise UnknownReceptionKind(
                f"Unknown reception kind {kind!r}; use one of: {', '.join(ReceptionKind)}.",
                field="kind",
            ) from None
        if ROLE_KIND[role] is not the_kind:
            raise ReceptionKindNotForRole(
                f"A {role.value} receives {ROLE_KIND[role].value}, not {the_kind.value}.",
                field="kind",
            )
        return the_kind

    @staticmethod
    def check_facility(
        kind: ReceptionKind, facility_type: str | None, facility_name: str | None
    ) -> tuple[str | None, str | None]:
        if kind is not ReceptionKind.FACILITY_DUTY:
            if facility_type is not None or facility_name is not None:
                raise FacilityOnlyForDuty(
                    "Only duty prosecutors' schedules name a detention facility.",
                    field="facility_type",
                )
            return None, None
        if facility_type is None or not facility_name or not facility_name.strip():
            raise FacilityRequired(
                "A duty prosecutor's schedule names the facility and its type.",
                field="facility_type" if facility_type is None else "facility_name",
            )
        try:
            the_type = FacilityType(facility_type)
        except ValueError:
            raise FacilityRequired(
                f"Unknown facility type {facility_type!r}; use one of: {', '.join(FacilityType)}.",
                field="facility_type",
            ) from None
        return the_type.value, check_text("facility_name", facility_name, 256)

    @staticmethod
    def check_period(period_from: date, period_to: date) -> None:
        if period_to < period_from:
            raise InvalidPeriod("period_to must not be before period_from.", field="period_to")
        if (period_to - period_from).days >= MAX_PERIOD_DAYS:
            raise InvalidPeriod(
                f"A schedule covers at most {MAX_PERIOD_DAYS} days.", field="period_to"
            )

    @staticmethod
    def check_sessions(
        sessions: list[tuple[datetime, datetime]], period_from: date, period_to: date
    ) -> list[tuple[datetime, datetime]]:
        if not sessions:
            raise NoSessions("A schedule has at least one session.", field="sessions")
        if len(sessions) > MAX_SESSIONS:
            raise InvalidSession(
                f"A schedule has at most {MAX_SESSIONS} sessions.", field="sessions"
            )
        for n, (start, end) in enumerate(sessions):
            field = f"sessions.{n}"
            check_aware(f"{field}.start", start)
            check_aware(f"{field}.end", end)
            if end <= start:
                raise InvalidSession("A session ends after it starts.", field=field)
            if start.date() != end.date():
                raise InvalidSession("A session starts and ends on one day.", field=field)
            if not period_from <= start.date() <= period_to:
                raise InvalidSession(
                    f"The session on {start.date()} is outside the schedule's period "
                    f"{period_from} to {period_to}.",
                    field=field,
                )
        ordered = sorted(sessions)
        for (_, end), (start, _) in pairwise(ordered):
            if start < end:
                raise SessionsOverlap(
                    f"The session starting {start.isoformat()} overlaps the one before it.",
                    field="sessions",
                )
        return ordered

    @staticmethod
    def check_frequency(
        minimum: str,
        sessions: list[tuple[datetime, datetime]],
        period_from: date,
        period_to: date,
    ) -> None:
        """At least one session in every calendar month ('monthly') or ISO week
        ('weekly') that the period covers, even in part."""
        days = [period_from + timedelta(days=n) for n in range((period_to - period_from).days + 1)]
        error: type[InvalidCommand]
        if minimum == "monthly":
            error, unit = MonthlyReceptionMissing, "calendar month"
        elif minimum == "weekly":
            error, unit = WeeklyReceptionMissing, "week"
        else:
            raise ValueError(f"unknown reception frequency {minimum!r} in the rule set")

        def key(day: date) -> tuple[int, int]:
            if minimum == "monthly":
                return day.year, day.month
            iso = day.isocalendar()
            return iso.year, iso.week

        held = {s.date() for s, _ in sessions}
        covered = {key(d) for d in held}
        for day in days:
            if key(day) not in covered:
                raise error(
                    f"This official receives at least once every {unit}; no session is "
                    f"scheduled in the {unit} of {day.isoformat()}.",
                    field="sessions",
                )

    @staticmethod
    def check_hours(sessions: list[tuple[datetime, datetime]], rules: ReceptionRules) -> None:
        opens, closes = (time.fromisoformat(t) for t in rules.staff_reception_hours)
        for start, end in sessions:
            if start.timetz().replace(tzinfo=None) < opens or (
                end.timetz().replace(tzinfo=None) > closes
            ):
                raise OutsideReceptionHours(
                    f"Reception without appointment is held from {opens:%H:%M} to "
                    f"{closes:%H:%M}; the session {start.isoformat()} to {end.isoformat()} "
                    "is not.",
                    field="sessions",
                )

    @staticmethod
    def check_daily(
        sessions: list[tuple[datetime, datetime]],
        period_from: date,
        period_to: date,
        calendar: WorkingCalendar,
    ) -> None:
        held = {s.date() for s, _ in sessions}
        day = period_from
        while day <= period_to:
            if calendar.is_working_day(day) and day not in held:
                raise DailyReceptionMissing(
                    f"Staff receive daily without appointment; {day.isoformat()} is a "
                    "working day with no session.",
                    field="sessions",
                )
            day += timedelta(days=1)
