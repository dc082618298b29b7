"""The applicant's part in the term: hearing the applicant before an adverse decision
(APPK art. 73), and the term while it is suspended: waiting for materials requested from
another body, or for the applicant. The term does not run while suspended; on
resumption the due date (and the extension limit, which is counted from the original
due date) moves by the working days the term stood still.

Source: the APPK (art. 76) as read here: the text of the article on suspension could
not be checked, so the two grounds and the moving of the due date by working days are
an assumption, stated in docs/rules.md.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from domain import appeal_applicant_events as applicant_events
from domain import appeal_events as events
from domain.appeal_terms import OPEN, Sealer, StateConflict, Status, unsealed
from domain.appeal_terms import text_field as _text
from domain.calendar import WorkingCalendar, add_working_days, working_days_after
from domain.errors import InvalidCommand
from domain.rules import RuleSet


class HearingForm(StrEnum):
    IN_PERSON = "in_person"
    WRITTEN = "written"  # the applicant's written position
    VIDEO = "video"
    DECLINED = "declined"  # invited, and declined or did not answer: the chance was given


class SuspensionReason(StrEnum):
    AWAITING_MATERIALS = "awaiting_materials"  # requested from another body
    AWAITING_APPLICANT = "awaiting_applicant"  # documents or explanations of the applicant


class AppealTerm:
    """Suspending and resuming the term (a part of ``domain.appeal.Appeal``)."""

    if TYPE_CHECKING:
        DeemedRefused: type[events.DeemedRefused]
        office: str
        status: Status
        anonymous: bool
        received_on: date
        due_on: date
        original_due_on: date
        suspended_since: date | None
        heard: bool
        kind: str | None
        TermSuspended: type[applicant_events.TermSuspended]
        TermResumed: type[applicant_events.TermResumed]
        ApplicantHeard: type[applicant_events.ApplicantHeard]

        def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...

    def deem_refused_if_overdue(
        self, *, today: date, rules: RuleSet, calendar: WorkingCalendar
    ) -> bool:
        """Record the deemed refusal once its day has come with no decision: the working
        day after the last day of the term (APPK art. 76, art. 91 part 2)."""
        if not rules.deadlines.missed_deadline_is_refusal or self.status not in OPEN:
            return False
        if self.suspended_since is not None or self.kind == "enquiry":
            return False  # the term stands still; an enquiry has none
        refused_on = add_working_days(calendar, self.due_on, 1)
        if today < refused_on:
            return False
        self.trigger_event(
            self.DeemedRefused,
            due_on=self.due_on,
            office=self.office,
            actor="system:deadlines",
            effective_on=refused_on,
        )
        return True

    def suspend_term(
        self, *, reason: str, note: str, today: date, actor: str, seal: Sealer = unsealed
    ) -> None:
        reasons = [r.value for r in SuspensionReason]
        if reason not in reasons:
            raise InvalidCommand(
                f"reason must be one of: {', '.join(reasons)}.",
                field="reason",
                rule="unknown-suspension-reason",
            )
        if self.status not in OPEN:
            raise StateConflict(
                "appeal-not-open", f"The appeal is {self.status}; only an open term stops."
            )
        if self.suspended_since is not None:
            raise StateConflict(
                "term-suspended", f"The term has stood still since {self.suspended_since}."
            )
        if today > self.due_on:
            raise StateConflict(
                "term-ended", f"The term ended on {self.due_on}; it can no longer be suspended."
            )
        self.trigger_event(
            self.TermSuspended,
            reason=reason,
            note=seal(_text("note", note)),
            suspended_on=today,
            office=self.office,
            actor=actor,
        )

    def resume_term(self, *, today: date, calendar: WorkingCalendar, actor: str) -> None:
        since = self.suspended_since
        if since is None:
            raise StateConflict("term-not-suspended", "The term is running; nothing to resume.")
        # The day of suspension counts to the term; each working day after it, up to and
        # including the day of resumption, does not.
        stood = working_days_after(calendar, since, today)
        self.trigger_event(
            self.TermResumed,
            resumed_on=today,
            working_days_suspended=stood,
            new_due_on=add_working_days(calendar, self.due_on, stood),
            new_original_due_on=add_working_days(calendar, self.original_due_on, stood),
            office=self.office,
            actor=actor,
        )

    def hear_applicant(
        self,
        *,
        form: str,
        heard_on: date,
        note: str,
        today: date,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        """The applicant was heard (or given the chance) before an adverse decision."""
        forms = [f.value for f in HearingForm]
        if form not in forms:
            raise InvalidCommand(
                f"form must be one of: {', '.join(forms)}.", field="form", rule="unknown-form"
            )
        if self.status not in OPEN and self.status != Status.DEEMED_REFUSED:
            raise StateConflict(
                "appeal-not-open", f"The appeal is {self.status}; nothing is being decided."
            )
        if self.anonymous:
            raise StateConflict("no-applicant", "An anonymous appeal has nobody to hear.")
        if heard_on > today or heard_on < self.received_on:
            raise InvalidCommand(
                f"heard_on must be between the day of receipt ({self.received_on}) and today.",
                field="heard_on",
                rule="heard-on-out-of-range",
            )
        self.trigger_event(
            self.ApplicantHeard,
            form=form,
            heard_on=heard_on,
            note=seal(_text("note", note)),
            office=self.office,
            actor=actor,
            effective_on=heard_on,
        )


ADVERSE = frozenset({"refused", "partially_satisfied"})


def check_heard(heard: bool, anonymous: bool, outcome: str) -> None:
    """APPK art. 73: before a decision adverse to the applicant, wholly or in part, the
    applicant is heard (or given the chance to be)."""
    if outcome in ADVERSE and not anonymous and not heard:
        raise StateConflict(
            "hearing-required",
            "Before a decision adverse to the applicant the applicant is heard (APPK art. 73): "
            "record the hearing first (POST /appeals/{id}/hearing).",
        )


def check_running(suspended_since: date | None, action: str) -> None:
    """A decision or an extension is taken on a running term: resume it first."""
    if suspended_since is not None:
        raise StateConflict(
            "term-suspended",
            f"The term has stood still since {suspended_since}; resume it to {action}.",
        )
