"""The demo's IIN generator: every number it makes passes the validator."""

from __future__ import annotations

from datetime import date
from random import Random

import pytest

from domain.iin import InvalidIin, birth_date, generate_iin, validate_iin


@pytest.mark.parametrize("female", [False, True])
def test_generated_iins_are_valid_and_encode_birth_and_sex(female: bool) -> None:
    rng = Random(11)
    for n in range(2000):
        born = date(1900 + n % 125, 1 + n % 12, 1 + n % 28)
        iin = generate_iin(rng, born, female=female)
        assert validate_iin(iin, today=date(2030, 1, 1)) == iin
        assert birth_date(iin) == born
        assert int(iin[6]) % 2 == (0 if female else 1)


def test_same_seed_same_numbers() -> None:
    born = date(1979, 10, 28)
    assert [generate_iin(Random(3), born, female=False) for _ in range(3)] == [
        generate_iin(Random(3), born, female=False) for _ in range(3)
    ]


def test_years_outside_the_encoding_are_refused() -> None:
    with pytest.raises(ValueError):
        generate_iin(Random(1), date(1799, 1, 1), female=True)


def test_a_birth_date_after_today_is_refused_whatever_day_it_is() -> None:
    iin = generate_iin(Random(3), date(2026, 12, 6), female=True)
    assert validate_iin(iin, today=date(2026, 12, 6)) == iin
    with pytest.raises(InvalidIin, match="future"):
        validate_iin(iin, today=date(2026, 12, 5))
