"""The rules a reception schedule must meet to be approved (the reception rules of the
General Prosecutor's Office; the values that change over time come from the rule set in
force, ``domain/data/rule_sets.json``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand
from domain.offices import Office
from domain.reception_errors import (
    DailyReceptionMissing,
    FacilityOnlyForDuty,
    FacilityRequired,
    InvalidPeriod,
    InvalidSession,
    MonthlyReceptionMissing,
    NoSessions,
    OutsideReceptionHours,
    ReceptionKindNotForRole,
    RoleNotAtOfficeLevel,
    SessionsOverlap,
    UnknownReceptionKind,
    UnknownRole,
    WeeklyReceptionMissing,
)
from domain.reception_terms import (
    MAX_PERIOD_DAYS,
    MAX_SESSIONS,
    ROLE_KIND,
    ROLE_LEVEL,
    FacilityType,
    ReceptionKind,
    Role,
    check_aware,
    check_text,
)
from domain.rules import ReceptionRules


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


def check_period(period_from: date, period_to: date) -> None:
    if period_to < period_from:
        raise InvalidPeriod("period_to must not be before period_from.", field="period_to")
    if (period_to - period_from).days >= MAX_PERIOD_DAYS:
        raise InvalidPeriod(f"A schedule covers at most {MAX_PERIOD_DAYS} days.", field="period_to")


def check_sessions(
    sessions: list[tuple[datetime, datetime]], period_from: date, period_to: date
) -> list[tuple[datetime, datetime]]:
    if not sessions:
        raise NoSessions("A schedule has at least one session.", field="sessions")
    if len(sessions) > MAX_SESSIONS:
        raise InvalidSession(f"A schedule has at most {MAX_SESSIONS} sessions.", field="sessions")
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
