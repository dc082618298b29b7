"""Personal reception of citizens: officials' reception schedules and booked appointments.

The rules come from the reception rules of the General Prosecutor's Office (in force
from 9 October 2017, replaced by order No. 29 of 17 January 2023); the values that
change over time (frequencies, hours, booking channels, refusal grounds) are read from
the rule set in force (``domain/data/rule_sets.json``), never from constants here.

Event classes are part of the stored schema: renaming one needs ``register_topic`` and
changing its fields needs ``class_version`` and an upcaster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.calendar import WorkingCalendar
from domain.clock import events_dated_by_the_clock
from domain.errors import ConflictError, InvalidCommand, NotFound
from domain.offices import Level, Office
from domain.rules import ReceptionRules
from domain.text import required_text

_SLOT_NAMESPACE = uuid5(NAMESPACE_URL, "urn:appeals:reception-slot")
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


# --- Rules broken (each a distinct ``rule``) --------------------------------------


class OfficeNotFound(NotFound):
    """No office has the given code (404)."""

    rule = "office-not-found"


class ScheduleNotFound(NotFound):
    """No reception schedule has the given id (at the given office) (404)."""

    rule = "schedule-not-found"


class AppointmentNotFound(NotFound):
    """No appointment has the given id (404)."""

    rule = "appointment-not-found"


class UnknownRole(InvalidCommand):
    rule = "unknown-role"


class UnknownReceptionKind(InvalidCommand):
    rule = "unknown-reception-kind"


class RoleNotAtOfficeLevel(InvalidCommand):
    """A senior role belongs to one level of office (the GPO, regional, district)."""

    rule = "role-office-level"


class ReceptionKindNotForRole(InvalidCommand):
    """Senior management receives by appointment, district prosecutors and other staff
    daily without appointment, duty prosecutors at detention facilities."""

    rule = "reception-kind-for-role"


class FacilityRequired(InvalidCommand):
    """A duty prosecutor's schedule names the detention facility and its type."""

    rule = "facility-required"


class FacilityOnlyForDuty(InvalidCommand):
    rule = "facility-only-for-duty"


class InvalidPeriod(InvalidCommand):
    rule = "invalid-period"


class TimezoneRequired(InvalidCommand):
    """Times carry the office's UTC offset, so that 'past' and '9:00' mean one thing."""

    rule = "timezone-required"


class NoSessions(InvalidCommand):
    rule = "no-sessions"


class InvalidSession(InvalidCommand):
    """A session starts before it ends, within one day and within the schedule's period."""

    rule = "invalid-session"


class SessionsOverlap(InvalidCommand):
    rule = "sessions-overlap"


class InvalidSlotLength(InvalidCommand):
    rule = "invalid-slot-length"


class MonthlyReceptionMissing(InvalidCommand):
    """GPO senior management receives at least once in every calendar month."""

    rule = "gpo-monthly-reception"


class WeeklyReceptionMissing(InvalidCommand):
    """Regional senior management receives at least once in every (ISO) week."""

    rule = "regional-weekly-reception"


class DailyReceptionMissing(InvalidCommand):
    """Staff receiving without appointment do so on every working day."""

    rule = "daily-reception"


class OutsideReceptionHours(InvalidCommand):
    """Reception without appointment is held within the hours of the rule set."""

    rule = "reception-hours"


class ScheduleOverlap(ConflictError):
    """The official already has an approved schedule with a session at that time."""

    rule = "schedule-overlap"


class DelegationNotAllowed(InvalidCommand):
    """Only a regional prosecutor may instruct a deputy to receive."""

    rule = "delegation-regional-prosecutor-only"


class UnknownSession(InvalidCommand):
    rule = "unknown-session"


class InvalidDeputy(InvalidCommand):
    rule = "invalid-deputy"


class SessionInPast(ConflictError):
    rule = "session-in-past"


class AlreadyDelegated(ConflictError):
    rule = "already-delegated"


class NotABookingChannel(InvalidCommand):
    """Appointments are booked only through the booking channels of the rule set."""

    rule = "booking-channel"


class OutsideCompetence(InvalidCommand):
    """Only matters within the prosecution service's competence are booked."""

    rule = "outside-competence"


class ApplicantRefNotPseudonymous(InvalidCommand):
    """The applicant is referred to by a pseudonymous reference, never a name or IIN."""

    rule = "applicant-ref-pseudonymous"


class OfficialNotByAppointment(InvalidCommand):
    """Only senior management receives by appointment; others receive without one."""

    rule = "official-not-by-appointment"


class SlotOutsideSchedule(InvalidCommand):
    rule = "slot-outside-schedule"


class SlotMisaligned(InvalidCommand):
    """Slots follow one another from the start of a session, slot_minutes apart."""

    rule = "slot-misaligned"


class SlotInPast(InvalidCommand):
    rule = "slot-in-past"


class SlotTaken(ConflictError):
    """The official already has an appointment in that slot."""

    rule = "slot-taken"


class AdmissionRefusalOnlyAtGpo(InvalidCommand):
    """The grounds for refusing admission apply to receptions at the GPO only;
    regional and district prosecutors receive a person even if answered before."""

    rule = "admission-refusal-gpo-only"


class UnknownAdmissionRefusalGround(InvalidCommand):
    rule = "admission-refusal-ground"


class AdmissionRefusalReasonsRequired(InvalidCommand):
    rule = "admission-refusal-reasons"


class AppointmentNotBooked(ConflictError):
    """The appointment was already cancelled, refused or attended."""

    rule = "appointment-not-booked"


class SlotStarted(ConflictError):
    rule = "slot-started"


class SlotNotStarted(ConflictError):
    rule = "slot-not-started"


# --- Helpers ------------------------------------------------------------------------


check_text = required_text


def check_aware(field: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise TimezoneRequired(
            f"{field} needs a UTC offset, e.g. 2025-03-04T10:00:00+05:00.", field=field
        )


def slot_id(official: str, starts_at: datetime) -> UUID:
    """The id of an official's appointment slot: one slot, one aggregate, so the event
    store itself refuses a second booking of the same slot."""
    return uuid5(_SLOT_NAMESPACE, f"{official}|{starts_at.astimezone(UTC).isoformat()}")


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


# --- Appointment ----------------------------------------------------------------------

_IIN_LIKE = re.compile(r"\d{12}")
_REF = re.compile(r"^[A-Za-z0-9._:-]{3,64}$")


@dataclass(frozen=True)
class _Booking:
    """What a valid booking of a schedule's slot records."""

    schedule_id: UUID
    official: str
    office: str
    office_level: str
    session: int
    starts_at: datetime
    ends_at: datetime
    received_by: str


class Appointment(Aggregate):
    """One official's reception slot and who is booked into it.

    The id is derived from (official, slot start), so the event store refuses a second
    booking of the same slot; once cancelled or refused, the slot can be booked again
    (``Rebooked``) and its whole history stays on the one aggregate.
    """

    class Booked(Aggregate.Created):
        """An applicant was booked into an official's slot through a channel."""

        schedule_id: UUID
        official: str
        office: str
        office_level: str
        session: int
        starts_at: datetime
        ends_at: datetime
        received_by: str
        applicant_ref: str
        channel: str
        matter: str
        within_competence: bool
        actor: str

        # Version 1 kept the slot's times as ISO text.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["starts_at"] = datetime.fromisoformat(state["starts_at"])
            state["ends_at"] = datetime.fromisoformat(state["ends_at"])

    class Rebooked(Aggregate.Event):
        """A freed (cancelled or refused) slot was booked again."""

        schedule_id: UUID
        official: str
        office: str
        office_level: str
        session: int
        starts_at: datetime
        ends_at: datetime
        received_by: str
        applicant_ref: str
        channel: str
        matter: str
        within_competence: bool
        actor: str

        # Version 1 kept the slot's times as ISO text.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["starts_at"] = datetime.fromisoformat(state["starts_at"])
            state["ends_at"] = datetime.fromisoformat(state["ends_at"])

    class AdmissionRefused(Aggregate.Event):
        """Admission to a GPO reception was refused on one of the grounds of the rules."""

        ground: str
        reasons: str
        office: str
        actor: str

    class Cancelled(Aggregate.Event):
        """The booking was cancelled; the slot is free again."""

        reason: str
        office: str
        actor: str

    class Attended(Aggregate.Event):
        """The applicant was received."""

        received_by: str
        office: str
        actor: str

    schedule_id: UUID
    official: str
    office: str
    office_level: str
    session: int
    starts_at: datetime
    ends_at: datetime
    received_by: str
    applicant_ref: str
    channel: str
    matter: str
    within_competence: bool
    status: AppointmentStatus
    booking: int
    booked_by: str
    refusal_ground: str | None
    refusal_reasons: str | None
    cancellation_reason: str | None

    @classmethod
    def book(
        cls,
        *,
        schedule: ReceptionSchedule,
        starts_at: datetime,
        applicant_ref: str,
        channel: str,
        matter: str,
        within_competence: bool,
        rules: ReceptionRules,
        now: datetime,
        actor: str,
    ) -> Appointment:
        booking = cls.check_booking(
            schedule, starts_at, applicant_ref, channel, matter, within_competence, rules, now
        )
        return cls._create(
            cls.Booked,
            id=slot_id(booking.official, booking.starts_at),
            **cls._booked_fields(booking, applicant_ref, channel, matter, actor),
        )

    @event(Booked)
    def __init__(
        self,
        *,
        schedule_id: UUID,
        official: str,
        office: str,
        office_level: str,
        session: int,
        starts_at: datetime,
        ends_at: datetime,
        received_by: str,
        applicant_ref: str,
        channel: str,
        matter: str,
        within_competence: bool,
        actor: str,
    ) -> None:
        self.booking = 0
        self._apply_booking(
            schedule_id=schedule_id,
            official=official,
            office=office,
            office_level=office_level,
            session=session,
            starts_at=starts_at,
            ends_at=ends_at,
            received_by=received_by,
            applicant_ref=applicant_ref,
            channel=channel,
            matter=matter,
            within_competence=within_competence,
            actor=actor,
        )

    def rebook(
        self,
        *,
        schedule: ReceptionSchedule,
        starts_at: datetime,
        applicant_ref: str,
        channel: str,
        matter: str,
        within_competence: bool,
        rules: ReceptionRules,
        now: datetime,
        actor: str,
    ) -> None:
        booking = self.check_booking(
            schedule, starts_at, applicant_ref, channel, matter, within_competence, rules, now
        )
        if self.status in (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED):
            raise SlotTaken(
                f"{self.official} already has an appointment at {self.starts_at.isoformat()}.",
                field="starts_at",
            )
        self._rebooked(**self._booked_fields(booking, applicant_ref, channel, matter, actor))

    @event(Rebooked)
    def _rebooked(
        self,
        *,
        schedule_id: UUID,
        official: str,
        office: str,
        office_level: str,
        session: int,
        starts_at: datetime,
        ends_at: datetime,
        received_by: str,
        applicant_ref: str,
        channel: str,
        matter: str,
        within_competence: bool,
        actor: str,
    ) -> None:
        self._apply_booking(
            schedule_id=schedule_id,
            official=official,
            office=office,
            office_level=office_level,
            session=session,
            starts_at=starts_at,
            ends_at=ends_at,
            received_by=received_by,
            applicant_ref=applicant_ref,
            channel=channel,
            matter=matter,
            within_competence=within_competence,
            actor=actor,
        )

    def _apply_booking(
        self,
        *,
        schedule_id: UUID,
        official: str,
        office: str,
        office_level: str,
        session: int,
        starts_at: datetime,
        ends_at: datetime,
        received_by: str,
        applicant_ref: str,
        channel: str,
        matter: str,
        within_competence: bool,
        actor: str,
    ) -> None:
        self.schedule_id = schedule_id
        self.official = official
        self.office = office
        self.office_level = office_level
        self.session = session
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.received_by = received_by
        self.applicant_ref = applicant_ref
        self.channel = channel
        self.matter = matter
        self.within_competence = within_competence
        self.status = AppointmentStatus.BOOKED
        self.booking += 1
        self.booked_by = actor
        self.refusal_ground = None
        self.refusal_reasons = None
        self.cancellation_reason = None

    def refuse_admission(
        self, *, ground: str, reasons: str, rules: ReceptionRules, actor: str
    ) -> None:
        actor = check_text("actor", actor, 128)
        if self.office_level != Level.GPO.value:
            raise AdmissionRefusalOnlyAtGpo(
                "Admission is refused on these grounds only for receptions at the General "
                f"Prosecutor's Office; this appointment is at {self.office}.",
                field="ground",
            )
        if ground not in rules.gpo_admission_refusal_grounds:
            raise UnknownAdmissionRefusalGround(
                f"Unknown ground {ground!r}; use one of: "
                f"{', '.join(rules.gpo_admission_refusal_grounds)}.",
                field="ground",
            )
        if not reasons or not reasons.strip():
            raise AdmissionRefusalReasonsRequired(
                "A refusal of admission states its reasons.", field="reasons"
            )
        reasons = check_text("reasons", reasons, MAX_TEXT)
        self.check_booked()
        self._refused(ground=ground, reasons=reasons, office=self.office, actor=actor)

    @event(AdmissionRefused)
    def _refused(self, *, ground: str, reasons: str, office: str, actor: str) -> None:
        self.status = AppointmentStatus.ADMISSION_REFUSED
        self.refusal_ground = ground
        self.refusal_reasons = reasons

    def cancel(self, *, reason: str, now: datetime, actor: str) -> None:
        actor = check_text("actor", actor, 128)
        reason = check_text("reason", reason, MAX_TEXT)
        self.check_booked()
        if now >= self.starts_at:
            raise SlotStarted(
                f"The slot started at {self.starts_at.isoformat()}; it can no longer be cancelled.",
            )
        self._cancelled(reason=reason, office=self.office, actor=actor)

    @event(Cancelled)
    def _cancelled(self, *, reason: str, office: str, actor: str) -> None:
        self.status = AppointmentStatus.CANCELLED
        self.cancellation_reason = reason

    def attend(self, *, now: datetime, actor: str) -> None:
        actor = check_text("actor", actor, 128)
        self.check_booked()
        if now < self.starts_at:
            raise SlotNotStarted(
                f"The slot starts at {self.starts_at.isoformat()}; attendance is recorded "
                "from then on."
            )
        self._attended(received_by=self.received_by, office=self.office, actor=actor)

    @event(Attended)
    def _attended(self, *, received_by: str, office: str, actor: str) -> None:
        self.status = AppointmentStatus.ATTENDED

    def check_booked(self) -> None:
        if self.status is not AppointmentStatus.BOOKED:
            raise AppointmentNotBooked(f"The appointment is {self.status.value}, not booked.")

    @staticmethod
    def _booked_fields(
        booking: _Booking, applicant_ref: str, channel: str, matter: str, actor: str
    ) -> dict[str, Any]:
        return {
            "schedule_id": booking.schedule_id,
            "official": booking.official,
            "office": booking.office,
            "office_level": booking.office_level,
            "session": booking.session,
            "starts_at": booking.starts_at,
            "ends_at": booking.ends_at,
            "received_by": booking.received_by,
            "applicant_ref": applicant_ref.strip(),
            "channel": channel,
            "matter": matter.strip(),
            "within_competence": True,
            "actor": actor.strip(),
        }

    @staticmethod
    def check_booking(
        schedule: ReceptionSchedule,
        starts_at: datetime,
        applicant_ref: str,
        channel: str,
        matter: str,
        within_competence: bool,
        rules: ReceptionRules,
        now: datetime,
    ) -> _Booking:
        if channel not in rules.booking_channels:
            raise NotABookingChannel(
                f"Appointments are booked through {', '.join(rules.booking_channels)}; "
                f"not {channel!r}.",
                field="channel",
            )
        if not within_competence:
            raise OutsideCompetence(
                "Only matters within the competence of the prosecution service are booked; "
                "redirect this one to the competent body.",
                field="within_competence",
            )
        check_text("applicant_ref", applicant_ref, 64)
        if not _REF.match(applicant_ref.strip()) or _IIN_LIKE.search(applicant_ref):
            raise ApplicantRefNotPseudonymous(
                "applicant_ref is a pseudonymous reference (3-64 letters, digits, '.', '_', "
                "':', '-'), never a name or an IIN.",
                field="applicant_ref",
            )
        check_text("matter", matter, MAX_TEXT)
        check_aware("starts_at", starts_at)
        if schedule.kind is not ReceptionKind.BY_APPOINTMENT:
            raise OfficialNotByAppointment(
                f"{schedule.official} ({schedule.role.value}) receives "
                f"{schedule.kind.value}; no appointment is needed or booked.",
                field="schedule_id",
            )
        session = schedule.session_at(starts_at)
        if session is None:
            raise SlotOutsideSchedule(
                f"{starts_at.isoformat()} is outside every approved session of "
                f"{schedule.official}.",
                field="starts_at",
            )
        offset = (starts_at - session.start).total_seconds()
        slot = schedule.slot_minutes * 60
        ends_at = starts_at + timedelta(seconds=slot)
        if offset % slot or ends_at > session.end:
            raise SlotMisaligned(
                f"Slots of session {session.number} start every {schedule.slot_minutes} "
                f"minutes from {session.start.isoformat()} and end by "
                f"{session.end.isoformat()}.",
                field="starts_at",
            )
        if starts_at <= now:
            raise SlotInPast(f"{starts_at.isoformat()} has passed.", field="starts_at")
        return _Booking(
            schedule_id=schedule.id,
            official=schedule.official,
            office=schedule.office,
            office_level=schedule.office_level,
            session=session.number,
            starts_at=starts_at.astimezone(session.start.tzinfo),
            ends_at=ends_at.astimezone(session.start.tzinfo),
            received_by=session.delegate or schedule.official,
        )


events_dated_by_the_clock(ReceptionSchedule)
events_dated_by_the_clock(Appointment)
