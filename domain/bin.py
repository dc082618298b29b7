"""Kazakhstan's business identification number (BIN) of a legal entity: 12 digits, the
year and month of registration (YYMM), a type digit (4 resident legal entity,
5 non-resident, 6 joint entrepreneurship), an attribute digit (0 head office, 1 branch,
2 representative office, 3 peasant farm), a 5-digit serial and a check digit computed
as for an IIN (Law "On national registers of identification numbers")."""

from __future__ import annotations

from datetime import date
from random import Random

from domain.errors import InvalidCommand
from domain.iin import check_digit

TYPES = {4: "resident legal entity", 5: "non-resident legal entity", 6: "joint entrepreneurship"}
ATTRIBUTES = {0: "head office", 1: "branch", 2: "representative office", 3: "peasant farm"}


class InvalidBin(InvalidCommand):
    rule = "invalid-bin"


def validate_bin(value: str, *, field: str = "applicant.bin") -> str:
    """Return the BIN if valid; otherwise raise InvalidBin saying which part is wrong."""
    bin_ = value.strip()
    if len(bin_) != 12 or not (bin_.isascii() and bin_.isdigit()):
        raise InvalidBin("A BIN is exactly 12 digits (0-9).", field=field)
    month = int(bin_[2:4])
    if not 1 <= month <= 12:
        raise InvalidBin("The 3rd-4th digits of a BIN are the month of registration.", field=field)
    # The two-digit year may be of either century (entities registered before BINs
    # were introduced got one with their own year), so only the month is checked.
    if int(bin_[4]) not in TYPES:
        raise InvalidBin(
            "The 5th digit of a BIN is the type: 4, 5 or 6 (an IIN's 5th digit is a day).",
            field=field,
        )
    if int(bin_[5]) not in ATTRIBUTES:
        raise InvalidBin("The 6th digit of a BIN is the attribute: 0 to 3.", field=field)
    expected = check_digit(bin_[:11])
    if expected is None:
        raise InvalidBin("No BIN is issued with these first 11 digits.", field=field)
    if int(bin_[11]) != expected:
        raise InvalidBin("The BIN's check digit does not match; check for a typo.", field=field)
    return bin_


def generate_bin(rng: Random, registered: date, *, kind: int = 4, attribute: int = 0) -> str:
    """A valid BIN registered in ``registered``'s month, drawing serials from ``rng``."""
    prefix = f"{registered:%y%m}{kind}{attribute}"
    while True:
        first_eleven = f"{prefix}{rng.randrange(100_000):05d}"
        check = check_digit(first_eleven)
        if check is not None:
            return f"{first_eleven}{check}"
