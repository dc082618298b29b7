"""Working days, as the law counts deadlines. The calendar itself is a port: the
domain asks whether a day is a working day and counts from there."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol


class WorkingCalendar(Protocol):
    """Kazakhstan's working days: weekends and public holidays are off, and a weekend
    day the government moves work to is on."""

    def is_working_day(self, day: date) -> bool: ...


def add_working_days(calendar: WorkingCalendar, start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (the day of receipt does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            counted += 1
    return current


def working_days_after(calendar: WorkingCalendar, start: date, end: date) -> int:
    """How many working days fall after ``start`` up to and including ``end``."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            count += 1
    return count


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")
