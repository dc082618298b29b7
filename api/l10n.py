"""Dates, moments and numbers as the dashboard's users read them.

Dates are dd.mm.yyyy in every language, the way documents of the prosecution service
write them; moments are in Astana time (UTC+5, the single time zone of Kazakhstan
since 1 March 2024); numbers are grouped as each language's locale groups them
(CLDR, through Babel: a narrow no-break space in Kazakh and Russian, a comma in
English).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.numbers import format_decimal, format_percent

from domain.clock import KAZAKHSTAN

LOCALE = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"}
DAY_FORMAT = "%d.%m.%Y"
DAY_PATTERN = r"\d{2}\.\d{2}\.\d{4}"
"""For an input's ``pattern``: what a typed day must look like."""
_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def day(value: date | None) -> str:
    return value.strftime(DAY_FORMAT) if value else ""


def moment(value: datetime) -> str:
    """Day and time in Astana, to the minute."""
    return value.astimezone(KAZAKHSTAN).strftime(f"{DAY_FORMAT} %H:%M")


def number(value: int | float, lang: str) -> str:
    return format_decimal(value, locale=LOCALE.get(lang, "en_GB"))


def share(value: float | None, lang: str) -> str:
    """A share in 0..1 as a percentage with one decimal, or an en dash when there is no
    whole to share (never 0%: nothing received is not nothing refused)."""
    if value is None:
        return "\u2013"  # an en dash
    return format_percent(value, "#,##0.0%", locale=LOCALE.get(lang, "en_GB"))


def parse_day(text: str) -> date:
    """A day typed as dd.mm.yyyy, or given as yyyy-mm-dd (links and the API's own
    form); ValueError for anything else."""
    match = _DAY.fullmatch(text.strip())
    if match:
        d, m, y = (int(g) for g in match.groups())
        return date(y, m, d)
    return date.fromisoformat(text.strip())
