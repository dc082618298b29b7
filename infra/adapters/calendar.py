"""Kazakhstan's working-day calendar from the `holidays` package: weekends and public
holidays are off (with their observed and substituted days), and weekend days that
the government moves work to are on."""

from __future__ import annotations

from datetime import date
from functools import cached_property

import holidays


class KazakhstanCalendar:
    def __init__(self) -> None:
        # Every term counts 15 working days or more, each asked about in every command
        # that sets one: the answers are kept (a day's status never changes while the
        # process runs; the package's data is fixed at install).
        self._working: dict[date, bool] = {}

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        # expand=True fills in each year the first time a date in it is asked about.
        return holidays.country_holidays("KZ", expand=True)

    def is_working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = bool(self._holidays.is_working_day(day))
        return known

    def holiday_name(self, day: date) -> str | None:
        name = self._holidays.get(day)
        return str(name) if name else None
