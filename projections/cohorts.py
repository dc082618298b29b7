"""Oversight figures over cohorts: the appeals received in a period, and what became of
each of them. Every appeal of the cohort has exactly one fate, so the fates add up to
the cohort and no share of it can pass 100%; every other figure is a count of appeals
within a fate (late decisions among the decided, late redirects among the redirected,
overturned among the reviewed), so no rate between them can pass 100% either.

A decision overturned by a higher office, on review or on the applicant's complaint,
stops counting as the appeal's answer: the appeal's fate is ``reversed`` (until the
office holding it decides again), and the reversal counts against the office whose
decision it was, also when the higher office decided the appeal itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# An appeal's fate, from its facts in the order they happened.
FATES = (
    "decided",  # answered on the merits, not refused (satisfied, partly, explained)
    "refused",  # answered on the merits with a refusal
    "deemed_refused",  # no answer within the term (a refusal in law)
    "redirected",  # sent to the competent agency
    "not_considered",  # set aside (anonymous)
    "reversed",  # its answer was overturned by a higher office, and not yet given again
    "enquiry",  # an enquiry answered on the spot: no term, no answer on the merits
    "open",  # no answer yet (received, in progress, or reopened)
)
ANSWERED_ON_MERITS = ("decided", "refused")


@dataclass
class AppealFate:
    """What became of one appeal, read from its oversight facts."""

    fate: str = "open"
    outcome: str | None = None  # of the standing decision
    ground: str | None = None
    decided_late: bool = False
    redirected_late: bool = False
    deciding_office: str | None = None  # of the standing (or overturned) answer
    reviewed: bool = False
    upheld: bool = False
    overturned: bool = False
    file_requested: bool = False
    notice_overdue: bool = False  # a notice to the applicant was not sent by its day


def fate_of(facts: Iterable[dict[str, Any]], *, appeal_kind: str | None = None) -> AppealFate:
    """The fate of an appeal of ``appeal_kind`` from its facts (``kind``, ``office``,
    ``detail`` with the event's data and ``event_version``), in any order. An enquiry
    left without an answer on the merits was answered on the spot."""
    fate = AppealFate("enquiry" if appeal_kind == "enquiry" else "open")
    for fact in sorted(facts, key=lambda f: int(f["detail"]["event_version"])):
        kind, detail = fact["kind"], fact["detail"]
        if kind == "decided":
            refused = detail["outcome"] == "refused"
            fate.fate = "refused" if refused else "decided"
            fate.outcome, fate.ground = detail["outcome"], detail.get("ground")
            fate.decided_late = bool(detail.get("late"))
            fate.deciding_office = fact["office"]
        elif kind == "deemed_refused":
            fate.fate, fate.outcome, fate.ground = "deemed_refused", None, None
            fate.decided_late = False
            fate.deciding_office = fact["office"]
        elif kind == "redirected":
            fate.fate = "redirected"
            fate.redirected_late = bool(detail.get("late"))
        elif kind == "not_considered":
            fate.fate = "not_considered"
        elif kind == "reopened":
            fate.fate, fate.outcome, fate.ground, fate.decided_late = "open", None, None, False
        elif kind in ("reviewed", "complaint_decided"):
            # A review, or a complaint decided above: the decision stands (upheld) or
            # no longer does (overturned or changed), which is a reversal against the
            # office that gave it, whether the appeal went back or was decided above.
            fate.reviewed = True
            if detail.get("result") in ("overturned", "changed"):
                fate.overturned = True
                if fate.fate in ("decided", "refused", "deemed_refused"):
                    fate.fate, fate.outcome, fate.ground = "reversed", None, None
                    fate.decided_late = False
            else:
                fate.upheld = True
        elif kind == "case_file_requested":
            fate.file_requested = True
        elif kind == "notice_overdue":
            fate.notice_overdue = True
    return fate


@dataclass
class CohortRow:
    """The figures of one region, office or prosecutor."""

    key: str
    counts: dict[str, int] = field(default_factory=dict)
    grounds: dict[str, int] = field(default_factory=dict)

    def add(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1


COUNTS = (
    "received",
    *FATES,
    "satisfied",
    "partially_satisfied",
    "explained",
    "decided_late",
    "redirected_late",
    "reviewed",
    "upheld",
    "overturned",
    "reviews_pending",
    "overdue_now",
    "notices_overdue",
)


@dataclass(frozen=True)
class CohortAppeal:
    """One appeal of the cohort: where it is counted and what became of it."""

    key: str
    fate: AppealFate
    due_on: date


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole``, rounded; None when there is no whole to share."""
    if part > whole:
        raise ValueError(f"a part ({part}) cannot exceed its whole ({whole})")
    return round(part / whole, 4) if whole else None


def cohort_rows(appeals: Iterable[CohortAppeal], today: date) -> list[dict[str, Any]]:
    """The report's rows: per key, the cohort's size, its fates, the counts within them
    and the shares between them."""
    rows: dict[str, CohortRow] = {}
    for appeal in appeals:
        row = rows.setdefault(appeal.key, CohortRow(appeal.key))
        fate = appeal.fate
        row.add("received")
        row.add(fate.fate)
        if fate.fate in ANSWERED_ON_MERITS:
            if fate.fate == "decided" and fate.outcome:
                row.add(fate.outcome)
            if fate.decided_late:
                row.add("decided_late")
            if fate.fate == "refused" and fate.ground:
                row.grounds[fate.ground] = row.grounds.get(fate.ground, 0) + 1
        if fate.fate == "redirected" and fate.redirected_late:
            row.add("redirected_late")
        for flag in ("reviewed", "upheld", "overturned"):
            if getattr(fate, flag):
                row.add(flag)
        if fate.file_requested and not fate.reviewed:
            row.add("reviews_pending")
        if fate.notice_overdue:
            row.add("notices_overdue")
        if fate.fate == "open" and appeal.due_on < today:
            row.add("overdue_now")
    return [_figures(rows[key]) for key in sorted(rows)]


def _figures(row: CohortRow) -> dict[str, Any]:
    c = {name: row.counts.get(name, 0) for name in COUNTS}
    answered = c["decided"] + c["refused"]
    return {
        "key": row.key,
        **c,
        # "decided" on the merits, refusals included, as oversight staff read it.
        "decided": answered,
        "refusals_by_ground": dict(sorted(row.grounds.items())),
        "refusal_rate": share(c["refused"], answered),
        "late_decision_rate": share(c["decided_late"], answered),
        "deemed_refusal_rate": share(c["deemed_refused"], c["received"]),
        "late_redirect_rate": share(c["redirected_late"], c["redirected"]),
        "overturn_rate": share(c["overturned"], c["reviewed"]),
        "reversal_rate": share(c["reversed"], c["received"]),
        "open_rate": share(c["open"], c["received"]),
        "enquiry_rate": share(c["enquiry"], c["received"]),
        "overdue_rate": share(c["overdue_now"], c["open"]),
        "notice_overdue_rate": share(c["notices_overdue"], c["received"]),
    }
