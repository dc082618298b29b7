"""The reasons given on an appeal, as its record holds them: each decision, refusal,
explanation, extension, review and complaint decision, with its reasons unsealed for a
reader ``domain.authority.check_reasons_reader`` lets through."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from domain.appeal import Appeal

# The events that carry reasons, the field that holds them, and what else a reader needs.
_WITH_REASONS: dict[type, tuple[str, tuple[str, ...]]] = {
    Appeal.Decided: ("reasons", ("outcome", "ground", "late")),
    Appeal.RefusalExplained: ("note", ("explained_on",)),
    Appeal.Extended: ("reasons", ("new_due_on", "approver_role")),
    Appeal.DecisionReviewed: ("reasons", ("decided_by_office", "result")),
    Appeal.ComplaintDecided: ("reasons", ("against_office", "result", "outcome", "returned")),
}


def reasons_on_record(events: Iterable[Any], reveal: Callable[[str], str]) -> list[dict[str, Any]]:
    """Each reasoned step, oldest first: what it was, by whom, where and when, and its
    reasons in plain text (``[erased]`` once the applicant's data was erased)."""
    found = []
    for event in events:
        spec = _WITH_REASONS.get(type(event))
        if spec is None:
            continue
        text_field, details = spec
        found.append(
            {
                "version": event.originator_version,
                "step": type(event).__name__,
                "effective_on": event.effective_on,
                "recorded_at": event.timestamp,
                "office": event.office,
                "actor": event.actor,
                "reasons": reveal(getattr(event, text_field)),
                "details": {name: getattr(event, name) for name in details},
            }
        )
    return found
