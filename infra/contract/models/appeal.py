"""The data of the published appeal events (appeals.appeal.*)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from domain.appeal import ApproverRole, HelpKind, Outcome, ReviewResult, SpecialistRole
from domain.channels import Channel
from infra.contract.models.common import Code, EventData


class Received(EventData):
    """An appeal reached an office through a channel, under the rule set in force that day. No personal data: the applicant appears only as a pseudonymous reference (null when anonymous); the summary stays in the event store."""  # noqa: E501

    channel: Channel
    office: Code
    applicant_ref: Annotated[str | None, Field(pattern=r"^appl-[a-z]{20}$")]
    anonymous: bool
    reports_crime: bool
    repeat_of: UUID | None
    received_on: date
    due_on: date
    rule_set: Code


class NotConsidered(EventData):
    """Set aside without consideration."""

    reason: Literal["anonymous"]


class Assigned(EventData):
    """A prosecutor of an office was made responsible for the appeal."""

    assignee: Code
    office: Code
    previous_assignee: str | None


class Consulted(EventData):
    """A specialist helped the applicant; one visit may bring several kinds of help."""

    specialist_role: SpecialistRole
    help: Annotated[list[HelpKind], Field(min_length=1, json_schema_extra={"uniqueItems": True})]


class MaterialsAdded(EventData):
    """The applicant took part and provided documents (their references stay in the event store)."""

    documents_count: Annotated[int, Field(ge=1)]
    by_applicant: bool


class Redirected(EventData):
    """Redirected by competence to another agency through the e-Government portal; late when more than 3 working days after receipt."""  # noqa: E501

    agency: Code
    egov_reference: str | None
    applicant_notified: bool
    working_days_taken: Annotated[int, Field(ge=0)]
    late: bool
    urgent: bool


class Extended(EventData):
    """The consideration period was extended by the head or a deputy."""

    new_due_on: date
    approver_role: ApproverRole
    applicant_notified_on: date
    notice_late: bool


class Decided(EventData):
    """The appeal was answered on its merits; a refusal names its ground."""

    outcome: Outcome
    ground: str | None
    explanation_required: bool
    late: bool


class RefusalExplained(EventData):
    """The reasons for a refusal were explained to the applicant in person."""

    explained_on: date


class DeemedRefused(EventData):
    """No decision by the deadline: counted as a refusal (APPC art. 91 part 2)."""

    due_on: date


class CaseFileRequested(EventData):
    """A higher-ranking office demanded a case file from a lower-ranking one."""

    request_id: Code
    requesting_office: Code
    holding_office: Code
    case_ref: Code


class CaseFileReceived(EventData):
    """The demanded case file was received."""

    request_id: Code


class DecisionReviewed(EventData):
    """A higher-ranking office reviewed the legality of a lower-ranking one's procedural decision."""  # noqa: E501

    reviewing_office: Code
    decided_by_office: Code
    decision_ref: Code
    result: ReviewResult


class Closed(EventData):
    """The appeal was closed."""


class Reopened(EventData):
    """Reopened on an appeal against the answer; a new consideration period runs."""

    reopened_on: date
    new_due_on: date
