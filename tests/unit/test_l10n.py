"""Dates, moments and numbers as the dashboard shows them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api import l10n


def test_a_day_is_dd_mm_yyyy() -> None:
    assert l10n.day(date(2026, 3, 2)) == "02.03.2026"
    assert l10n.day(None) == ""


def test_a_moment_is_shown_in_astana_time() -> None:
    # 19:30 UTC on 31 December is already New Year's Day in Astana (UTC+5).
    assert l10n.moment(datetime(2026, 12, 31, 19, 30, tzinfo=UTC)) == "01.01.2027 00:30"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_a_shown_day_reads_back_as_the_same_day(value: date) -> None:
    assert l10n.parse_day(l10n.day(value)) == value
    assert l10n.parse_day(value.isoformat()) == value


@pytest.mark.parametrize("text", ["31.02.2026", "2026/03/02", "02.03.26", "", "03.02"])
def test_anything_else_is_not_a_day(text: str) -> None:
    with pytest.raises(ValueError):
        l10n.parse_day(text)


def test_numbers_are_grouped_as_each_language_groups_them() -> None:
    assert l10n.number(1234567, "en") == "1,234,567"
    assert l10n.number(1234567, "ru") == "1\u00a0234\u00a0567"
    assert l10n.number(1234567, "kk") == "1\u00a0234\u00a0567"


def test_a_share_is_a_percentage_or_a_dash_when_there_is_no_whole() -> None:
    assert l10n.share(0.1234, "en") == "12.3%"
    assert l10n.share(None, "ru") == "\u2013"
    assert l10n.share(1.0, "ru").startswith("100,0")
