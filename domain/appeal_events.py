"""The events of an appeal: the stored record of everything done with it.

These classes are part of the stored schema. The Appeal aggregate takes them in as
``Appeal.<Name>``, so their stored topics are ``domain.appeal:Appeal.<Name>``
whatever module defines their fields: renaming one needs ``register_topic``, and
changing its fields needs ``class_version`` and an upcaster. Every event carries the
acting user (``actor``), the office it concerns and ``effective_on``: the day it takes
legal effect, which is not always the day it was recorded (its ``timestamp``). An
appeal entered later takes effect on its day of receipt, a refusal explained in person
on the day of the explanation, a deemed refusal on the working day after the last day
of the term (APPK art. 76, art. 91 part 2); every other step on the day it was taken.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.appeal_terms import Outcome, Status
from domain.clock import kazakhstan_date

if TYPE_CHECKING:
    from domain.appeal import Appeal


def _recorded_day(state: dict[str, Any]) -> None:
    """Version 1 had no legal date: the day in Kazakhstan it was recorded stands for it."""
    state["effective_on"] = kazakhstan_date(state["timestamp"])


class AppealEvent(Aggregate.Event):
    """What every event after the first carries besides its own fields."""

    effective_on: date

    class_version = 2
    upcast_v1_v2 = staticmethod(_recorded_day)


class Received(Aggregate.Created):
    """The appeal reached an office through a channel, under a rule set; it takes effect
    on the day of receipt."""

    effective_on: date
    kind: str | None  # None: recorded before kinds were (version 2)
    language: str | None  # the language of the appeal, and of its answer

    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["effective_on"] = state["received_on"]

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["kind"] = None
        state["language"] = None

    channel: str
    office: str
    summary: str
    actor: str
    applicant_ref: str | None
    anonymous: bool
    reports_crime: bool
    repeat_of: UUID | None
    received_on: date
    rule_set: str
    due_on: date


class NotConsidered(AppealEvent):
    """Set aside without consideration (an anonymous appeal)."""

    reason: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.status = Status.NOT_CONSIDERED


class Assigned(AppealEvent):
    """A prosecutor of an office was made responsible for the appeal."""

    assignee: str
    office: str
    actor: str
    previous_assignee: str | None

    def apply(self, appeal: Appeal) -> None:
        appeal.assignee = self.assignee
        appeal.office = self.office
        appeal.status = Status.IN_PROGRESS


class Consulted(AppealEvent):
    """A specialist helped the applicant; one visit may bring several kinds of help."""

    specialist_role: str
    specialist: str
    help: list[str]
    note: str | None
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.help_given.update(self.help)
        appeal.specialists.add(self.specialist_role)


class MaterialsAdded(AppealEvent):
    """The applicant took part in the consideration and provided documents."""

    documents: list[str]
    by_applicant: bool
    office: str
    actor: str


class Redirected(AppealEvent):
    """Sent to the competent agency through the e-Government portal."""

    agency: str
    egov_reference: str | None
    applicant_notified: bool
    working_days_taken: int
    late: bool
    urgent: bool
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.status = Status.REDIRECTED
        _notice_due_of(appeal, "redirect", self.effective_on)


class Extended(AppealEvent):
    """The consideration period was extended by the head or a deputy, with reasons."""

    new_due_on: date
    reasons: str
    approver_role: str
    approver: str
    applicant_notified_on: date
    notice_late: bool
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.due_on = self.new_due_on


class Decided(AppealEvent):
    """The appeal was answered on its merits."""

    outcome: str
    ground: str | None
    reasons: str
    explanation_required: bool
    late: bool
    office: str
    actor: str
    language: str | None  # of the answer; None: recorded before it was (version 2)

    class_version = 3

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["language"] = None

    def apply(self, appeal: Appeal) -> None:
        appeal.outcome = self.outcome
        appeal.answer_language = self.language
        appeal.answered = True
        appeal.decided_by_office = self.office
        appeal.decided_on = self.effective_on
        appeal.deciding_offices.add(self.office)
        _notice_due_of(appeal, "answer", self.effective_on)
        if self.explanation_required:
            appeal.status = Status.REFUSAL_PENDING_EXPLANATION
        elif self.outcome == Outcome.REFUSED:
            appeal.status = Status.REFUSED
        else:
            appeal.status = Status.DECIDED


class RefusalExplained(AppealEvent):
    """The applicant was given the reasons for the refusal in person."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["effective_on"] = state["explained_on"]

    explained_on: date
    note: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        refused = appeal.outcome == Outcome.REFUSED
        appeal.status = Status.REFUSED if refused else Status.DECIDED


class DeemedRefused(AppealEvent):
    """No decision by the deadline: the law counts it as a refusal (APPC art. 91(2))."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # Version 1 was dated the day the watcher ran. Its legal date is the working day
        # after the term; without the calendar here, the next weekday stands for it (a
        # holiday right after a term is not skipped for events stored before version 2).
        day = state["due_on"] + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        state["effective_on"] = day

    due_on: date
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.status = Status.DEEMED_REFUSED
        appeal.answered = True
        # Silence is the holding office's decision: a complaint or review goes above it.
        appeal.decided_by_office = self.office
        appeal.decided_on = self.effective_on
        appeal.deciding_offices.add(self.office)


class CaseFileRequested(AppealEvent):
    """A higher-ranking office demanded a case file from a lower-ranking one."""

    request_id: str
    requesting_office: str
    holding_office: str
    case_ref: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.case_file_requests[self.request_id] = {
            "requesting_office": self.requesting_office,
            "holding_office": self.holding_office,
            "case_ref": self.case_ref,
            "received": False,
        }


class CaseFileReceived(AppealEvent):
    request_id: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.case_file_requests[self.request_id]["received"] = True
        # The file moves to the office that demanded it (this event's office).
        appeal.file_held_by = self.office


class DecisionReviewed(AppealEvent):
    """A higher-ranking office checked the legality of a lower one's decision."""

    reviewing_office: str
    decided_by_office: str
    decision_ref: str
    result: str
    reasons: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.overseeing_offices.add(self.reviewing_office)


class Closed(AppealEvent):
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.closed_from = appeal.status
        appeal.status = Status.CLOSED


class Reopened(AppealEvent):
    """An appeal against the answer: consideration starts again."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["effective_on"] = state["reopened_on"]

    reason: str
    reopened_on: date
    new_due_on: date
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.status = Status.IN_PROGRESS if appeal.assignee else Status.RECEIVED
        appeal.closed_from = None
        appeal.outcome = None
        appeal.heard = False  # a new consideration: a new hearing before a new refusal
        appeal.due_on = self.new_due_on
        appeal.original_due_on = self.new_due_on


class ComplaintFiled(AppealEvent):
    """The applicant complained against the decision (a deemed refusal included) to the
    office above the one that decided (APPK art. 91)."""

    complaint_id: str
    against_office: str
    filed_on: date
    learned_on: date
    due_on: date
    grounds: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.overseeing_offices.add(self.office)
        appeal.complaints[self.complaint_id] = {
            "office": self.office,
            "against_office": self.against_office,
            "due_on": self.due_on.isoformat(),
            "result": None,
        }


class ComplaintDecided(AppealEvent):
    """The higher office decided the complaint: upheld, overturned (sent back for a new
    decision, or decided above) or changed (decided above differently)."""

    complaint_id: str
    result: str
    against_office: str
    returned: bool
    new_due_on: date | None
    outcome: str | None
    ground: str | None
    reasons: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.complaints[self.complaint_id]["result"] = self.result
        _notice_due_of(appeal, "answer", self.effective_on)
        if self.returned:
            assert self.new_due_on is not None
            appeal.status = Status.IN_PROGRESS if appeal.assignee else Status.RECEIVED
            appeal.outcome = None
            appeal.heard = False
            appeal.decided_by_office = appeal.decided_on = None
            appeal.closed_from = None
            appeal.due_on = appeal.original_due_on = self.new_due_on
        elif self.outcome is not None:
            appeal.outcome = self.outcome
            appeal.decided_by_office = self.office
            appeal.decided_on = self.effective_on
            appeal.deciding_offices.add(self.office)
            refused = self.outcome == Outcome.REFUSED
            appeal.status = Status.REFUSED if refused else Status.DECIDED
            appeal.closed_from = None


def _notice_due_of(appeal: Appeal, kind: str, since: date) -> None:
    """A step the applicant must be told of: pending until a notice is recorded."""
    if not appeal.anonymous:
        appeal.notices_pending[kind] = since
