"""The events of an appeal: the stored record of everything done with it.

These classes are part of the stored schema. The Appeal aggregate takes them in as
``Appeal.<Name>``, so their stored topics are ``domain.appeal:Appeal.<Name>``
whatever module defines their fields: renaming one needs ``register_topic``, and
changing its fields needs ``class_version`` and an upcaster. Every event carries the
acting user (``actor``) and the office it concerns.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.appeal_terms import Outcome, Status

if TYPE_CHECKING:
    from domain.appeal import Appeal


class Received(Aggregate.Created):
    """The appeal reached an office through a channel, under a rule set."""

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


class NotConsidered(Aggregate.Event):
    """Set aside without consideration (an anonymous appeal)."""

    reason: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.status = Status.NOT_CONSIDERED


class Assigned(Aggregate.Event):
    """A prosecutor of an office was made responsible for the appeal."""

    assignee: str
    office: str
    actor: str
    previous_assignee: str | None

    def apply(self, appeal: Appeal) -> None:
        appeal.assignee = self.assignee
        appeal.office = self.office
        appeal.status = Status.IN_PROGRESS


class Consulted(Aggregate.Event):
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


class MaterialsAdded(Aggregate.Event):
    """The applicant took part in the consideration and provided documents."""

    documents: list[str]
    by_applicant: bool
    office: str
    actor: str


class Redirected(Aggregate.Event):
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


class Extended(Aggregate.Event):
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


class Decided(Aggregate.Event):
    """The appeal was answered on its merits."""

    outcome: str
    ground: str | None
    reasons: str
    explanation_required: bool
    late: bool
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.outcome = self.outcome
        appeal.answered = True
        appeal.decided_by_office = self.office
        if self.outcome != Outcome.REFUSED:
            appeal.status = Status.DECIDED
        elif self.explanation_required:
            appeal.status = Status.REFUSAL_PENDING_EXPLANATION
        else:
            appeal.status = Status.REFUSED


class RefusalExplained(Aggregate.Event):
    """The applicant was given the reasons for the refusal in person."""

    explained_on: date
    note: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.status = Status.REFUSED


class DeemedRefused(Aggregate.Event):
    """No decision by the deadline: the law counts it as a refusal (APPC art. 91(2))."""

    due_on: date
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.status = Status.DEEMED_REFUSED
        appeal.answered = True
        # Silence is the holding office's decision: a complaint or review goes above it.
        appeal.decided_by_office = self.office


class CaseFileRequested(Aggregate.Event):
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


class CaseFileReceived(Aggregate.Event):
    request_id: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.case_file_requests[self.request_id]["received"] = True


class DecisionReviewed(Aggregate.Event):
    """A higher-ranking office checked the legality of a lower one's decision."""

    reviewing_office: str
    decided_by_office: str
    decision_ref: str
    result: str
    reasons: str
    office: str
    actor: str


class Closed(Aggregate.Event):
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.closed_from = appeal.status
        appeal.status = Status.CLOSED


class Reopened(Aggregate.Event):
    """An appeal against the answer: consideration starts again."""

    reason: str
    reopened_on: date
    new_due_on: date
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.status = Status.IN_PROGRESS if appeal.assignee else Status.RECEIVED
        appeal.closed_from = None
        appeal.outcome = None
        appeal.due_on = self.new_due_on
        appeal.original_due_on = self.new_due_on
