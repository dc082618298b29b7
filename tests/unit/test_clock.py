"""The clocks a process can run on, and "today" in Kazakhstan."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.clock import KAZAKHSTAN, kazakhstan_date
from infra.adapters.clock import SetClock, StartedAt, make_clock, system_clock
from infra.adapters.settings import Settings


def test_a_date_starts_the_clock_at_nine_in_kazakhstan_and_it_runs_on() -> None:
    clock = make_clock(date(2026, 3, 24))
    first = clock()
    assert first.astimezone(KAZAKHSTAN).replace(microsecond=0, second=0) == datetime(
        2026, 3, 24, 9, tzinfo=KAZAKHSTAN
    )
    assert clock() >= first


def test_without_a_start_the_clock_is_the_real_one() -> None:
    assert make_clock(None) is system_clock


def test_today_is_the_day_in_kazakhstan_not_on_the_server() -> None:
    # 20:30 UTC on 31 December is already 1 January in Astana (UTC+5).
    assert kazakhstan_date(datetime(2026, 12, 31, 20, 30, tzinfo=UTC)) == date(2027, 1, 1)
    assert kazakhstan_date(datetime(2026, 12, 31, 18, 59, tzinfo=UTC)) == date(2026, 12, 31)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SetClock(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        StartedAt(datetime(2026, 1, 1))


def test_settings_take_the_start_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPEALS_CLOCK_START", "2025-01-06")
    assert Settings().clock_start == date(2025, 1, 6)
    monkeypatch.setenv("APPEALS_CLOCK_START", "2025-01-06T18:00:00+05:00")
    start = Settings().clock_start
    assert isinstance(start, datetime) and kazakhstan_date(start) == date(2025, 1, 6)


def test_a_start_without_a_zone_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPEALS_CLOCK_START", "2025-01-06T18:00:00")
    with pytest.raises(ValueError, match="clock_start"):
        Settings()
