"""Kazakhstan's working-day calendar from the `holidays` package: weekends and public
holidays are off (with their observed and substituted days), and weekend days that
the government moves work to are on."""

from __future__ import annotations

from datetime import date
from functools import cached_property

import holidays


class KazakhstanCalendar:
    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        # expand=True fills in each year the first time a date in it is asked about.
        return holidays.country_holidays("KZ", expand=True)

    def is_working_day(self, day: date) -> bool:
        return bool(self._holidays.is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        name = self._holidays.get(day)
        return str(name) if name else None
