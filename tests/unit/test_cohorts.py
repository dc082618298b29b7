"""The oversight report's figures over cohorts: on generated histories of any shape,
every appeal has one fate, the fates add up to the cohort, every part is within its
whole and every rate is between 0 and 1; and the rules an oversight reader relies on
(an overturned refusal is no longer a refusal, and counts against its office)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from projections.cohorts import CohortAppeal, cohort_rows, fate_of
from tests.support import figures_out_of_bounds

TODAY = date(2026, 6, 1)
OFFICES = ["DIS-ALA-MEDEU", "DIS-ALA-AUEZOV", "REG-ALA"]
OUTCOMES = ["satisfied", "partially_satisfied", "explained", "refused"]


def fact(kind: str, version: int, office: str = "DIS-ALA-MEDEU", **data: Any) -> dict[str, Any]:
    return {"kind": kind, "office": office, "detail": {**data, "event_version": version}}


facts = st.one_of(
    st.builds(
        lambda outcome, late, office: (
            "decided",
            office,
            {
                "outcome": outcome,
                "ground": "no_violation_of_law" if outcome == "refused" else None,
                "late": late,
            },
        ),
        st.sampled_from(OUTCOMES),
        st.booleans(),
        st.sampled_from(OFFICES),
    ),
    st.builds(lambda o: ("deemed_refused", o, {}), st.sampled_from(OFFICES)),
    st.builds(lambda late: ("redirected", OFFICES[0], {"late": late}), st.booleans()),
    st.just(("not_considered", OFFICES[0], {})),
    st.just(("reopened", OFFICES[0], {})),
    st.builds(
        lambda r, o: ("reviewed", o, {"result": r}),
        st.sampled_from(["upheld", "overturned"]),
        st.sampled_from(OFFICES),
    ),
    st.just(("case_file_requested", OFFICES[0], {})),
    st.just(("notice_overdue", OFFICES[0], {})),
    st.builds(
        lambda r, o: ("complaint_decided", o, {"result": r}),
        st.sampled_from(["upheld", "overturned", "changed"]),
        st.sampled_from(OFFICES),
    ),
)
histories = st.lists(st.lists(facts, max_size=8), max_size=40)


def appeals_of(
    generated: list[list[tuple[str, str, dict[str, Any]]]], due: list[int]
) -> list[CohortAppeal]:
    out = []
    for n, history in enumerate(generated):
        recorded = [
            fact(kind, v + 2, office, **data) for v, (kind, office, data) in enumerate(history)
        ]
        out.append(
            CohortAppeal(
                key=OFFICES[n % len(OFFICES)],
                fate=fate_of(reversed(recorded)),  # facts may arrive in any order
                due_on=TODAY + timedelta(days=due[n % len(due)]),
            )
        )
    return out


@settings(max_examples=300, deadline=None)
@given(histories, st.lists(st.integers(-30, 30), min_size=1, max_size=5))
def test_every_figure_is_a_part_of_its_whole(
    generated: list[list[tuple[str, str, dict[str, Any]]]], due: list[int]
) -> None:
    rows = cohort_rows(appeals_of(generated, due), TODAY)
    assert sum(r["received"] for r in rows) == len(generated)
    for r in rows:
        assert figures_out_of_bounds(r) == [], r


def test_an_overturned_refusal_is_a_reversal_against_the_deciding_office() -> None:
    refused = fate_of(
        [
            fact("decided", 3, outcome="refused", ground="no_violation_of_law", late=False),
            fact("reviewed", 4, office="DIS-ALA-MEDEU", result="overturned"),
        ]
    )
    assert (refused.fate, refused.deciding_office, refused.overturned) == (
        "reversed",
        "DIS-ALA-MEDEU",
        True,
    )
    [row] = cohort_rows([CohortAppeal("DIS-ALA-MEDEU", refused, TODAY)], TODAY)
    assert (row["refused"], row["reversed"], row["overturned"], row["refusal_rate"]) == (
        0,
        1,
        1,
        None,
    )
    # Decided again after the reversal: the new answer stands.
    again = fate_of(
        [
            fact("decided", 3, outcome="refused", ground="g", late=False),
            fact("reviewed", 4, result="overturned"),
            fact("decided", 5, outcome="satisfied", late=True),
        ]
    )
    assert (again.fate, again.outcome, again.decided_late, again.overturned) == (
        "decided",
        "satisfied",
        True,
        True,
    )


def test_a_decision_changed_on_complaint_is_a_reversal_against_the_office_below() -> None:
    changed = fate_of(
        [
            fact("decided", 3, outcome="refused", ground="g", late=False),
            fact("complaint_decided", 5, office="DIS-ALA-MEDEU", result="changed"),
        ]
    )
    assert (changed.fate, changed.deciding_office, changed.overturned) == (
        "reversed",
        "DIS-ALA-MEDEU",
        True,
    )


def test_an_upheld_review_leaves_the_answer_and_a_reopening_opens_it_again() -> None:
    upheld = fate_of([fact("deemed_refused", 2), fact("reviewed", 3, result="upheld")])
    assert (upheld.fate, upheld.upheld, upheld.overturned) == ("deemed_refused", True, False)
    reopened = fate_of([fact("decided", 3, outcome="explained", late=False), fact("reopened", 4)])
    assert reopened.fate == "open" and reopened.outcome is None


def test_many_deemed_refusals_of_old_appeals_do_not_count_in_a_later_cohort() -> None:
    """The defect the cohort fixes: refusals deemed today of appeals received long ago
    were divided by the appeals received in the period, giving rates above 100%."""
    this_period = [CohortAppeal("REG-ALA", fate_of([]), TODAY + timedelta(days=10))] * 3
    deemed = fate_of([fact("deemed_refused", 2)])
    this_period.append(CohortAppeal("REG-ALA", deemed, TODAY - timedelta(days=1)))
    [row] = cohort_rows(this_period, TODAY)
    assert (row["received"], row["deemed_refused"], row["deemed_refusal_rate"]) == (4, 1, 0.25)


def test_share_refuses_a_part_larger_than_its_whole() -> None:
    import pytest

    from projections.cohorts import share

    assert share(0, 0) is None and share(1, 4) == 0.25 and share(4, 4) == 1.0
    with pytest.raises(ValueError):
        share(5, 4)


def test_an_enquiry_is_its_own_fate_unless_answered_on_the_merits() -> None:
    assert fate_of([], appeal_kind="enquiry").fate == "enquiry"
    assert fate_of([fact("redirected", 2, late=False)], appeal_kind="enquiry").fate == (
        "redirected"
    )
    assert fate_of([], appeal_kind="statement").fate == "open"
