"""The one place that reads the wall clock (tests/unit/test_clock_discipline.py keeps
it so). Everything else is given a ``domain.clock.Clock``: the real one in
production, a clock started at a chosen day for demos and for tests that must pass on
any day, or a hand-set one in unit tests."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from domain.clock import KAZAKHSTAN, Clock, aware


def system_clock() -> datetime:
    """The real current time, in UTC."""
    return datetime.now(UTC)


class StartedAt:
    """A clock that reads ``start`` when built and then runs at real speed, so that a
    whole process (API, workers, demo) lives on a chosen day, for demos and for tests
    that must give the same answers on any day."""

    def __init__(self, start: datetime) -> None:
        self.start = aware(start)
        self._origin = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin)


class SetClock:
    """A clock that stands still at the moment it was last set to (unit tests, the
    demo's walk through the past)."""

    def __init__(self, moment: datetime) -> None:
        self.moment = aware(moment)

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = aware(moment)

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def morning_of(day: date, hour: int = 9) -> datetime:
    """``hour`` o'clock on ``day`` in Kazakhstan: where a clock started "on a day" starts."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=KAZAKHSTAN)


def make_clock(start: datetime | date | None) -> Clock:
    """The real clock, or with ``start`` (``APPEALS_CLOCK_START``) one started then:
    a bare date starts at 09:00 in Kazakhstan."""
    if start is None:
        return system_clock
    if not isinstance(start, datetime):
        start = morning_of(start)
    return StartedAt(start)
