"""Kazakhstan's individual identification number (IIN): 12 digits, YYMMDD birth
date, a century-and-sex digit 1-6, a 4-digit serial and a check digit."""

from __future__ import annotations

from datetime import date
from random import Random

from domain.errors import InvalidCommand

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


class InvalidIin(InvalidCommand):
    rule = "invalid-iin"


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no valid IIN can end them."""
    digits = [int(c) for c in first_eleven]
    value = sum(d * w for d, w in zip(digits, _FIRST_WEIGHTS, strict=True)) % 11
    if value == 10:
        value = sum(d * w for d, w in zip(digits, _SECOND_WEIGHTS, strict=True)) % 11
        if value == 10:
            return None
    return value


def birth_date(iin: str) -> date:
    century = _CENTURY[int(iin[6])]
    return date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))


def validate_iin(value: str, *, today: date, field: str = "applicant.iin") -> str:
    """Return the IIN if valid; otherwise raise InvalidIin saying which part is wrong."""
    iin = value.strip()
    # isdigit() alone accepts other scripts' digits (Arabic-Indic, fullwidth, ...).
    if len(iin) != 12 or not (iin.isascii() and iin.isdigit()):
        raise InvalidIin("An IIN is exactly 12 digits (0-9).", field=field)
    if int(iin[6]) not in _CENTURY:
        raise InvalidIin("The 7th digit of an IIN (century and sex) must be 1 to 6.", field=field)
    try:
        born = birth_date(iin)
    except ValueError:
        raise InvalidIin(
            "The first 6 digits of an IIN must be a date (YYMMDD).", field=field
        ) from None
    if born > today:
        raise InvalidIin("The IIN's birth date is in the future.", field=field)
    expected = check_digit(iin[:11])
    if expected is None:
        raise InvalidIin("No IIN is issued with these first 11 digits.", field=field)
    if int(iin[11]) != expected:
        raise InvalidIin("The IIN's check digit does not match; check for a typo.", field=field)
    return iin


def generate_iin(rng: Random, born: date, *, female: bool) -> str:
    """A valid IIN for someone born on ``born`` (1800-2099), drawing serials from
    ``rng`` until one can be completed with a check digit."""
    if not 1800 <= born.year <= 2099:
        raise ValueError("An IIN encodes birth years from 1800 to 2099.")
    century_sex = 1 + 2 * ((born.year - 1800) // 100) + (1 if female else 0)
    prefix = f"{born:%y%m%d}{century_sex}"
    while True:
        first_eleven = f"{prefix}{rng.randrange(10_000):04d}"
        check = check_digit(first_eleven)
        if check is not None:
            return f"{first_eleven}{check}"
