"""Kazakhstan's working days, as the terms of the APPK count them: weekends and public
holidays off, a holiday falling on a weekend moved to the next working day (the Labour
Code's rule, as the `holidays` package applies it), Nauryz three days long."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import add_working_days, working_days_after
from infra.adapters.calendar import KazakhstanCalendar

CALENDAR = KazakhstanCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 16), True),  # an ordinary Monday
        (date(2026, 3, 21), False),  # Saturday, Nauryz
        (date(2026, 3, 23), False),  # Nauryz
        (date(2026, 3, 24), False),  # Nauryz moved from the weekend
        (date(2026, 3, 26), True),
        (date(2026, 3, 8), False),  # Sunday, International Women's Day
        (date(2026, 3, 9), False),  # ... moved to Monday
        (date(2026, 5, 1), False),  # Unity Day
        (date(2026, 10, 26), False),  # Republic Day (Sunday 25th) moved to Monday
        (date(2026, 12, 16), False),  # Independence Day
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_a_term_skips_the_holidays_and_the_day_of_receipt() -> None:
    # Received Monday 16 March 2026: Nauryz (21-25 March) lengthens the 15 working days.
    due = add_working_days(CALENDAR, date(2026, 3, 16), 15)
    assert due == date(2026, 4, 9)
    assert working_days_after(CALENDAR, date(2026, 3, 16), due) == 15
