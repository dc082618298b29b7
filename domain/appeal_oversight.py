"""What offices above the one holding an appeal do with it: demand its case file,
review its decision, and decide the applicant's complaint against it.

The Constitutional Law "On the Prosecutor's Office" of 5 November 2022 No. 155-VII
gives a higher office oversight of a lower one's acts; the APPK (art. 91) gives the
applicant a complaint against a decision, a deemed refusal included, to the body above
the one that decided, within three months of learning of it, and (art. 100) its
outcomes: upheld, overturned, changed. The Appeal aggregate takes these steps in from
``AppealOversight``; who may take them is ``domain.authority``'s.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain import appeal_events as events
from domain.appeal_checks import (
    check_case_file_request,
    check_review,
    pending_case_file_request,
)
from domain.appeal_terms import (
    ComplaintResult,
    Outcome,
    RuleBroken,
    Sealer,
    StateConflict,
    Status,
    unsealed,
)
from domain.appeal_terms import text_field as _text
from domain.calendar import WorkingCalendar, add_months, add_working_days
from domain.errors import InvalidCommand
from domain.offices import OfficeDirectory
from domain.rules import RuleSet

# An appeal whose decision (or deemed refusal) stands can be complained against.
COMPLAINABLE = frozenset({Status.DECIDED, Status.REFUSED, Status.DEEMED_REFUSED})


class AppealOversight:
    """The higher offices' steps on an appeal (a part of ``domain.appeal.Appeal``)."""

    if TYPE_CHECKING:
        office: str
        status: Status
        closed_from: Status | None
        decided_by_office: str | None
        decided_on: date | None
        complaints: dict[str, dict[str, Any]]
        case_file_requests: dict[str, dict[str, str | bool]]
        CaseFileRequested: type[events.CaseFileRequested]
        CaseFileReceived: type[events.CaseFileReceived]
        DecisionReviewed: type[events.DecisionReviewed]
        ComplaintFiled: type[events.ComplaintFiled]
        ComplaintDecided: type[events.ComplaintDecided]

        def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...

        @property
        def file_holder(self) -> str: ...

    def request_case_file(
        self,
        *,
        request_id: str,
        requesting_office: str,
        case_ref: str,
        offices: OfficeDirectory,
        actor: str,
    ) -> None:
        check_case_file_request(
            self,  # type: ignore[arg-type]
            request_id=request_id,
            requesting_office=requesting_office,
            offices=offices,
        )
        self.trigger_event(
            self.CaseFileRequested,
            request_id=request_id,
            requesting_office=requesting_office,
            holding_office=self.file_holder,
            case_ref=_text("case_ref", case_ref, 200),
            office=self.office,
            actor=actor,
        )

    def receive_case_file(self, *, request_id: str, actor: str) -> None:
        request = pending_case_file_request(self, request_id)  # type: ignore[arg-type]
        self.trigger_event(
            self.CaseFileReceived,
            request_id=request_id,
            office=str(request["requesting_office"]),
            actor=actor,
        )

    def review_decision(
        self,
        *,
        reviewing_office: str,
        decision_ref: str,
        result: str,
        reasons: str,
        offices: OfficeDirectory,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        decided_by_office = check_review(
            self,  # type: ignore[arg-type]
            reviewing_office=reviewing_office,
            result=result,
            offices=offices,
        )
        self.trigger_event(
            self.DecisionReviewed,
            reviewing_office=reviewing_office,
            decided_by_office=decided_by_office,
            decision_ref=_text("decision_ref", decision_ref, 200),
            result=result,
            reasons=seal(_text("reasons", reasons)),
            office=reviewing_office,
            actor=actor,
        )

    # --- complaints to the higher body ----------------------------------------------

    def file_complaint(
        self,
        *,
        complaint_id: str,
        office: str,
        learned_on: date | None,
        grounds: str,
        today: date,
        rules: RuleSet,
        calendar: WorkingCalendar,
        offices: OfficeDirectory,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        """Record a complaint received ``today`` by ``office`` against the decision on
        record; ``learned_on`` (default: the decision's day) starts its three months."""
        standing = self.closed_from if self.status == Status.CLOSED else self.status
        against = self.decided_by_office
        if standing not in COMPLAINABLE or against is None or self.decided_on is None:
            raise StateConflict(
                "nothing-to-complain-against",
                "A complaint is against a decision or a deemed refusal that stands; this "
                f"appeal is {self.status}.",
            )
        if not offices.is_above(office, against):
            raise RuleBroken(
                "complaint-to-the-higher-body",
                f"A complaint against {against}'s decision goes to an office above it.",
                field="office",
            )
        if any(c["result"] is None for c in self.complaints.values()):
            raise StateConflict(
                "complaint-pending", "A complaint against this decision is still pending."
            )
        learned = learned_on or self.decided_on
        if learned < self.decided_on or learned > today:
            raise InvalidCommand(
                f"learned_on must be between the decision's day ({self.decided_on}) and today.",
                field="learned_on",
                rule="learned-on-out-of-range",
            )
        limit = add_months(learned, rules.deadlines.complaint_months)
        if today > limit:
            raise RuleBroken(
                "complaint-late",
                f"A complaint is filed within {rules.deadlines.complaint_months} months of "
                f"the day the applicant learned of the decision ({learned}): by {limit} "
                "(APPK art. 91).",
                field="learned_on",
            )
        self.trigger_event(
            self.ComplaintFiled,
            complaint_id=complaint_id,
            against_office=against,
            filed_on=today,
            learned_on=learned,
            due_on=add_working_days(calendar, today, rules.deadlines.complaint_working_days),
            grounds=seal(_text("grounds", grounds)),
            office=office,
            actor=actor,
        )

    def decide_complaint(
        self,
        *,
        complaint_id: str,
        result: str,
        returned: bool,
        outcome: str | None,
        ground: str | None,
        reasons: str,
        today: date,
        rules: RuleSet,
        calendar: WorkingCalendar,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        complaint = self.complaints.get(complaint_id)
        if complaint is None:
            raise InvalidCommand(
                f"No complaint {complaint_id} on this appeal.",
                field="complaint_id",
                rule="unknown-complaint",
            )
        if complaint["result"] is not None:
            raise StateConflict("complaint-decided", "That complaint was already decided.")
        _check_complaint_result(result, returned, outcome, ground, rules)
        new_due_on = (
            add_working_days(calendar, today, rules.deadlines.consideration_working_days)
            if returned
            else None
        )
        self.trigger_event(
            self.ComplaintDecided,
            complaint_id=complaint_id,
            result=result,
            against_office=complaint["against_office"],
            returned=returned,
            new_due_on=new_due_on,
            outcome=outcome,
            ground=ground,
            reasons=seal(_text("reasons", reasons)),
            office=complaint["office"],
            actor=actor,
        )


def _check_complaint_result(
    result: str, returned: bool, outcome: str | None, ground: str | None, rules: RuleSet
) -> None:
    results = [r.value for r in ComplaintResult]
    if result not in results:
        raise InvalidCommand(
            f"result must be one of: {', '.join(results)}.",
            field="result",
            rule="unknown-complaint-result",
        )
    decides_above = outcome is not None
    if result == ComplaintResult.UPHELD and (returned or decides_above):
        raise InvalidCommand(
            "An upheld decision stands: nothing is sent back or decided anew.",
            field="outcome" if decides_above else "returned",
            rule="upheld-changes-nothing",
        )
    if result == ComplaintResult.OVERTURNED and returned == decides_above:
        raise InvalidCommand(
            "An overturned decision is either sent back for a new one (returned) or "
            "decided by the higher office itself (outcome), not both and not neither.",
            field="outcome",
            rule="overturned-needs-a-way",
        )
    if result == ComplaintResult.CHANGED and (returned or not decides_above):
        raise InvalidCommand(
            "A changed decision is the higher office's own: give its outcome.",
            field="outcome",
            rule="changed-needs-an-outcome",
        )
    if outcome is not None and outcome not in [o.value for o in Outcome]:
        raise InvalidCommand(
            f"outcome must be one of: {', '.join(o.value for o in Outcome)}.",
            field="outcome",
            rule="unknown-outcome",
        )
    if outcome == Outcome.REFUSED and ground not in rules.decision_refusal_grounds:
        raise RuleBroken(
            "refusal-ground",
            "A refusal names its legal ground on the merits, one of: "
            f"{', '.join(sorted(rules.decision_refusal_grounds))}.",
            field="ground",
        )
    if outcome != Outcome.REFUSED and ground is not None:
        raise InvalidCommand(
            "Only a refusal has a ground.", field="ground", rule="ground-without-refusal"
        )
