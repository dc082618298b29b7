"""Rule sets as versioned data with effective dates (``domain/data/rule_sets.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from domain.errors import InvalidCommand


class NoRuleSetInForce(InvalidCommand):
    rule = "no-rule-set-in-force"


@dataclass(frozen=True)
class ReceptionRules:
    id: str
    title: str
    effective_from: date
    effective_to: date | None
    gpo_senior_reception_min: str
    regional_senior_reception_min: str
    staff_reception_hours: tuple[str, str]
    booking_channels: tuple[str, ...]
    personal_explanation_on_refusal_levels: tuple[str, ...]
    gpo_admission_refusal_grounds: dict[str, str]
    source: str = ""
    # Values that could not be established from the text of the source, with why.
    assumptions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeadlineRules:
    id: str
    title: str
    effective_from: date
    effective_to: date | None
    consideration_working_days: int
    extension_max_months: int
    extension_notice_working_days: int
    redirect_working_days: int
    missed_deadline_is_refusal: bool
    complaint_months: int = 3
    complaint_working_days: int = 20
    notice_working_days: dict[str, int] = field(
        default_factory=lambda: {"receipt": 3, "redirect": 0, "suspension": 3, "answer": 3}
    )
    source: str = ""
    assumptions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    """The reception rules and deadline rules in force on one day."""

    reception: ReceptionRules
    deadlines: DeadlineRules
    decision_refusal_grounds: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.reception.id}+{self.deadlines.id}"


def _in_force(row: ReceptionRules | DeadlineRules, day: date) -> bool:
    return row.effective_from <= day and (row.effective_to is None or day <= row.effective_to)


class RuleBook:
    """Every rule set there has been; ``on(day)`` picks those in force."""

    def __init__(self, raw: dict[str, Any]) -> None:
        def dates(row: dict[str, Any]) -> dict[str, Any]:
            out = {k: v for k, v in row.items() if not k.startswith("_")}
            out["effective_from"] = date.fromisoformat(row["effective_from"])
            out["effective_to"] = (
                date.fromisoformat(row["effective_to"]) if row["effective_to"] else None
            )
            return out

        self.reception = [
            ReceptionRules(
                **{
                    **dates(r),
                    "staff_reception_hours": tuple(r["staff_reception_hours"]),
                    "booking_channels": tuple(r["booking_channels"]),
                    "personal_explanation_on_refusal_levels": tuple(
                        r["personal_explanation_on_refusal_levels"]
                    ),
                }
            )
            for r in raw["reception"]
        ]
        self.deadlines = [DeadlineRules(**dates(r)) for r in raw["deadlines"]]
        self.decision_refusal_grounds: dict[str, str] = dict(raw["decision_refusal_grounds"])

    @classmethod
    @cache
    def default(cls) -> RuleBook:
        text = resources.files("domain").joinpath("data", "rule_sets.json").read_text("utf-8")
        return cls(json.loads(text))

    def on(self, day: date) -> RuleSet:
        reception = [r for r in self.reception if _in_force(r, day)]
        deadlines = [r for r in self.deadlines if _in_force(r, day)]
        if not reception or not deadlines:
            raise NoRuleSetInForce(
                f"No rule set covers {day.isoformat()}; this system records appeals received "
                "from 1 July 2021 (the Administrative Procedural and Process Code) onwards.",
                field="received_on",
            )
        return RuleSet(reception[0], deadlines[0], self.decision_refusal_grounds)

    def by_id(self, rule_set_id: str) -> RuleSet:
        reception_id, _, deadline_id = rule_set_id.partition("+")
        reception = next(r for r in self.reception if r.id == reception_id)
        deadlines = next(r for r in self.deadlines if r.id == deadline_id)
        return RuleSet(reception, deadlines, self.decision_refusal_grounds)
