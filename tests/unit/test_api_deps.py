"""Request dependencies that parse headers themselves."""

from __future__ import annotations

import pytest

from api.deps import expected_version
from domain.errors import InvalidCommand


@pytest.mark.parametrize(
    ("header", "version"), [(None, None), ('"3"', 3), ("3", 3), ('W/"12"', 12), (' "7" ', 7)]
)
def test_if_match_carries_the_version(header: str | None, version: int | None) -> None:
    assert expected_version(header) == version


# Headers arrive decoded as latin-1: a client can send a superscript digit, which
# str.isdigit() accepts and int() does not; that was a 500.
@pytest.mark.parametrize("header", ['"\u00b2"', "\u00b3", '"1\u00b9"', "abc", '"1", "2"', '""'])
def test_if_match_that_is_not_a_version_is_a_422(header: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        expected_version(header)
    assert refused.value.field == "If-Match"
