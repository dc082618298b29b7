"""The data of the published appeal events (appeals.appeal.*)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from domain.appeal_notices import NoticeChannel, NoticeKind
from domain.appeal_term import HearingForm, SuspensionReason
from domain.appeal_terms import (
    AppealKind,
    ApproverRole,
    ComplaintResult,
    HelpKind,
    Language,
    Outcome,
    ReviewResult,
    SpecialistRole,
)
from domain.channels import Channel
from infra.contract.models.common import Code, EventData


class ReceivedV1(EventData):
    """An appeal reached an office through a channel, under the rule set in force that day. No personal data: the applicant appears only as a pseudonymous reference (null when anonymous); the summary stays in the event store."""  # noqa: E501

    channel: Channel
    """The channels of order No. 87 (2017), carried over into order No. 29 (2023)."""
    office: Code
    """Code of the receiving office."""
    applicant_ref: Annotated[str | None, Field(pattern=r"^appl-[a-z]{20}$")]
    """The applicant's pseudonymous reference, the same for every appeal of one person (one IIN);
    null when anonymous (never digits, so never an IIN)."""
    anonymous: bool
    """No applicant was given."""
    reports_crime: bool
    """The appeal reports a crime or a threat to security."""
    repeat_of: UUID | None
    """The earlier, answered appeal of the same person whose answer this one disputes."""
    received_on: date
    """The day of receipt (today, or the day given when entered later)."""
    due_on: date
    """15 working days after `received_on` (APPC art. 76)."""
    rule_set: Code
    """`<reception rules>+<deadline rules>` in force on `received_on`, e.g.
    `gpo-order-29-2023+appc-2021`."""


class Received(ReceivedV1):
    """An appeal reached an office through a channel, under the rule set in force that day. No personal data: the applicant appears only as a pseudonymous reference (null when anonymous); the summary stays in the event store. Version 2 adds the kind and the language of the appeal."""  # noqa: E501

    kind: AppealKind | None
    """Complaint, statement, request, proposal, response, or an enquiry answered on the spot; null for appeals recorded before kinds were."""  # noqa: E501
    language: Language | None
    """The language of the appeal, in which it is answered: kk (Kazakh) or ru (Russian); null when not stated."""  # noqa: E501


class NotConsidered(EventData):
    """Set aside without consideration."""

    reason: Literal["anonymous"]
    """Why it was not considered."""


class Assigned(EventData):
    """A prosecutor of an office was made responsible for the appeal."""

    assignee: Code
    """The prosecutor's staff id."""
    office: Code
    """The prosecutor's office code; the appeal's office from now on."""
    previous_assignee: str | None
    """Who had it before; null on the first assignment."""


class Consulted(EventData):
    """A specialist helped the applicant; one visit may bring several kinds of help."""

    specialist_role: SpecialistRole
    """Who helped."""
    help: Annotated[list[HelpKind], Field(min_length=1, json_schema_extra={"uniqueItems": True})]
    """The help given."""


class MaterialsAdded(EventData):
    """The applicant took part and provided documents (their references stay in the event store)."""

    documents_count: Annotated[int, Field(ge=1)]
    """How many documents; their references stay in the event store."""
    by_applicant: bool
    """Provided by the applicant."""


class Redirected(EventData):
    """Redirected by competence to another agency through the e-Government portal; late when more than 3 working days after receipt."""  # noqa: E501

    agency: Code
    """The competent agency."""
    egov_reference: str | None
    """The e-Government portal's reference, when given."""
    applicant_notified: bool
    """Always true: a redirect without notice is refused."""
    working_days_taken: Annotated[int, Field(ge=0)]
    """Working days after the day of receipt up to the redirect."""
    late: bool
    """`working_days_taken` is more than 3 (APPC art. 76)."""
    urgent: bool
    """An anonymous crime or threat report, redirected on receipt."""


class Extended(EventData):
    """The consideration period was extended by the head or a deputy."""

    new_due_on: date
    """The new due date."""
    approver_role: ApproverRole
    """Who approved (their id and the reasons are not published)."""
    applicant_notified_on: date
    """The day the applicant is told (the day of the extension unless given)."""
    notice_late: bool
    """The notice is more than 3 working days after the extension."""


class Decided(EventData):
    """The appeal was answered on its merits; a refusal names its ground."""

    outcome: Outcome
    """The answer."""
    ground: str | None
    """For a refusal, its legal ground (a key of `decision_refusal_grounds` in
    `domain/data/rule_sets.json`, e.g. `no_violation_of_law`); null otherwise."""
    explanation_required: bool
    """A refusal of an appeal made at a personal reception, decided by a regional or district
    office: the reasons must also be explained to the applicant in person (2017 rules, order No.
    29) before the appeal can be closed."""
    late: bool
    """Decided after `due_on`."""


class RefusalExplained(EventData):
    """The reasons for a refusal were explained to the applicant in person."""

    explained_on: date
    """The day of the explanation (today unless given; never in the future)."""


class DeemedRefused(EventData):
    """No decision by the deadline: counted as a refusal (APPC art. 91 part 2)."""

    due_on: date
    """The due date that passed."""


class CaseFileRequested(EventData):
    """A higher-ranking office demanded a case file from a lower-ranking one."""

    request_id: Code
    """`cfr-` + 12 hex digits; names the request in the receipt."""
    requesting_office: Code
    """The higher-ranking office that demands the file."""
    holding_office: Code
    """The office holding the appeal."""
    case_ref: Code
    """The case's reference."""


class CaseFileReceived(EventData):
    """The demanded case file was received."""

    request_id: Code
    """The request that was answered."""


class DecisionReviewed(EventData):
    """A higher-ranking office reviewed the legality of a lower-ranking one's procedural decision."""  # noqa: E501

    reviewing_office: Code
    """The higher-ranking office."""
    decided_by_office: Code
    """The office whose decision was reviewed."""
    decision_ref: Code
    """Which decision."""
    result: ReviewResult
    """The outcome of the review (the reasons are not published)."""


class Closed(EventData):
    """The appeal was closed."""


class Reopened(EventData):
    """Reopened on an appeal against the answer; a new consideration period runs."""

    reopened_on: date
    """The day of reopening."""
    new_due_on: date
    """15 working days after `reopened_on`."""


class ComplaintFiled(EventData):
    """The applicant complained against the decision (a deemed refusal included) to the office above the one that decided, within three months of learning of it (APPK art. 91). The grounds are not published."""  # noqa: E501

    complaint_id: Code
    """The complaint's id on this appeal."""
    against_office: Code
    """The office whose decision is complained against, as the record shows it."""
    filed_on: date
    """The day the higher office received the complaint."""
    learned_on: date
    """The day the applicant learned of the decision: the three months run from it."""
    due_on: date
    """The complaint is decided by this day (its own term)."""


class ComplaintDecided(EventData):
    """The higher office decided the complaint. The envelope's office is the office that decided it; the reasons are not published."""  # noqa: E501

    complaint_id: Code
    """The complaint decided."""
    result: ComplaintResult
    """Upheld: the decision stands. Overturned: sent back for a new decision (returned) or decided by the higher office (outcome). Changed: the higher office's own decision (outcome)."""  # noqa: E501
    against_office: Code
    """The office whose decision was complained against; an overturned or changed decision counts as a reversal against it."""  # noqa: E501
    returned: bool
    """Sent back to the holding office for a new decision, with a new term."""
    new_due_on: date | None
    """The new term when returned; null otherwise."""
    outcome: Outcome | None
    """The higher office's own decision, when it decided; null otherwise."""
    ground: str | None
    """For a refusal by the higher office, its legal ground; null otherwise."""


class TermSuspended(EventData):
    """The term of consideration stopped. The note is not published."""

    reason: SuspensionReason
    """Awaiting materials requested from another body, or awaiting the applicant."""
    suspended_on: date
    """The last day that counts to the term until it is resumed."""


class TermResumed(EventData):
    """The term runs again; its due date moved by the working days it stood still."""

    resumed_on: date
    """The day the term runs again."""
    working_days_suspended: Annotated[int, Field(ge=0)]
    """Working days after the suspension up to and including the resumption."""
    new_due_on: date
    """The due date after the move."""


class ApplicantNotified(EventData):
    """The applicant was told of a step of the appeal through a channel (the notice's text is not published)."""  # noqa: E501

    kind: NoticeKind
    """What the notice told of: the appeal's receipt, its redirect, a suspension of its term, the answer."""  # noqa: E501
    channel: NoticeChannel
    """How it was sent."""
    sent_on: date
    """The day it was sent."""
    due_on: date
    """The last day it was due (rule set's notice_working_days after the step)."""
    late: bool
    """Sent after `due_on`."""


class NoticeOverdue(EventData):
    """A notice due to the applicant was not sent by its day (recorded by the deadline watcher); it stays overdue until sent."""  # noqa: E501

    kind: NoticeKind
    """The notice not sent."""
    due_on: date
    """The day it was due."""


class ApplicantHeard(EventData):
    """The applicant was heard before a decision adverse to them (APPK art. 73). What they said is not published."""  # noqa: E501

    form: HearingForm
    """In person, in writing, by video, or declined (invited, and declined or did not answer)."""
    heard_on: date
    """The day of the hearing."""
