"""`appeals demo` on real PostgreSQL: every state appears, the Center's figures come out
exactly at the scaled targets, and one seed gives the same data set twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from domain.appeal_terms import Status
from infra.bootstrap import build
from infra.demo.generate import generate
from infra.demo.support import DemoDataPresent, DemoSummary
from projections.oversight_queries import Scope
from tests.support import (
    HARD_DAYS,
    evening_of,
    figures_out_of_bounds,
    fresh_database,
    settings_for,
    wait_until,
)

ALMATY_DISTRICTS = ["DIS-ALA-ALMALY", "DIS-ALA-AUEZOV", "DIS-ALA-BOSTANDYK", "DIS-ALA-MEDEU"]

pytestmark = pytest.mark.postgres

SCALE = 0.1
# The Center's two months (1,110 / 616 / 175 / 134 / 341) times 0.1, rounded half up.
CENTER_AT_SCALE = {
    "received": 111,
    "legal_help": 62,
    "lawyers": 18,
    "psychologist": 13,
    "accepted_with_instructions": 34,
}


def run_demo(database_url: str, day: date, seed: int = 7) -> DemoSummary:
    container = build(settings_for(database_url), evening_of(day))
    stages: Counter[str] = Counter()
    try:
        summary = generate(
            container,
            today=day,
            scale=SCALE,
            seed=seed,
            progress=lambda done, total, stage: stages.update([stage]),
        )
        with pytest.raises(DemoDataPresent):
            generate(container, today=day, scale=SCALE, seed=seed, progress=lambda *_: None)
        # Read back independently of the summary: every appeal from the event store.
        states = Counter(container.service.get_appeal(i).status.value for i in summary.appeal_ids)
        assert states == summary.appeal_states
    finally:
        container.close()
    assert {"appeals", "Center visits", "checking"} <= set(stages)
    return summary


@pytest.fixture
def second_database(postgres_server: str, migrated_template: str) -> Iterator[str]:
    """Another fresh database, for the second run of the same seed."""
    with fresh_database(postgres_server, migrated_template) as url:
        yield url


@pytest.mark.parametrize("day", HARD_DAYS.values(), ids=HARD_DAYS.keys())
def test_demo_reaches_every_state_and_the_center_figures(
    database_url: str, second_database: str, day: date
) -> None:
    summary = run_demo(database_url, day)

    assert set(summary.appeal_states) == {s.value for s in Status}
    assert all(summary.stories.values())
    assert summary.center == CENTER_AT_SCALE
    assert summary.center_targets == CENTER_AT_SCALE
    instruction_states = set(summary.instruction_states)
    assert {"issued", "received", "acknowledged", "executed", "executed late"} <= (
        instruction_states
    )
    assert any(state.startswith("overdue") for state in instruction_states)
    assert {"booked", "attended", "cancelled", "admission_refused"} <= set(
        summary.appointment_states
    )
    assert summary.appointment_states["admission_refused"] == 5
    assert len(summary.schedule_ids) == 5

    again = run_demo(second_database, day)
    assert again.appeal_ids == summary.appeal_ids
    assert again.instruction_ids == summary.instruction_ids
    assert again.appeal_states == summary.appeal_states
    assert again.instruction_states == summary.instruction_states
    assert again.appointment_states == summary.appointment_states
    assert again.center == summary.center


def test_no_oversight_figure_of_the_demo_passes_its_whole(database_url: str) -> None:
    day = date(2026, 12, 5)
    container = build(settings_for(database_url), evening_of(day))
    try:
        generate(container, today=day, scale=SCALE, seed=11, progress=lambda *_: None)
        container.start_feed()
        head = container.service.recorder.max_notification_id() or 0
        feed = container.feed
        assert feed is not None
        wait_until(lambda: feed.position() >= head, timeout=120, what="the read models")
        periods = [(day - timedelta(days=n), day) for n in (0, 7, 30, 90, 365, 2000)]
        periods += [(day - timedelta(days=60), day - timedelta(days=30))]
        checked = 0
        for start, end in periods:
            for group_by in ("region", "office", "prosecutor"):
                for under in (None, ["REG-ALA", *ALMATY_DISTRICTS]):
                    rows = container.oversight.decisions(
                        Scope(start=start, end=end, offices=under), group_by, day
                    )
                    for row in rows:
                        assert figures_out_of_bounds(row) == [], (start, end, group_by, row)
                        checked += 1
        # The deemed refusals of the whole demo are many; no period's share passes 1.
        whole = container.oversight.decisions(Scope(start=date(2021, 7, 1), end=day), "region", day)
        assert sum(r["deemed_refused"] for r in whole) > 0 and checked > 100
    finally:
        container.close()
