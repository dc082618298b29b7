"""Request and response bodies, as the OpenAPI document shows them."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.parameters import Day, Moment
from domain.channels import Channel

Text = Field(min_length=1, max_length=4000)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentIn(Body):
    type: Literal["passport", "residence_permit", "stateless_certificate", "other"]
    number: str = Field(min_length=1, max_length=40)
    country: str = Field(
        min_length=2, max_length=2, description="ISO 3166-1 alpha-2; XX for a stateless person."
    )


class RepresentativeIn(Body):
    name: str = Field(min_length=1, max_length=300)
    iin: str | None = Field(default=None, pattern=r"^[0-9]{12}$")
    position: str | None = Field(default=None, max_length=200)
    power_of_attorney: str | None = Field(
        default=None, max_length=200, description="The power of attorney's number and date."
    )


class ApplicantIn(Body):
    """Who appeals: ``individual`` (by ``iin``), ``legal_entity`` (by ``bin``, with its
    ``representative``) or ``foreigner`` (a foreigner or stateless person, by
    ``document``); any of them may act through a ``representative``; ``co_applicants``
    make it a collective appeal with this applicant as its contact."""

    kind: Literal["individual", "legal_entity", "foreigner"] = "individual"
    iin: str | None = Field(
        default=None, pattern=r"^[0-9]{12}$", description="Individual identification number."
    )
    bin: str | None = Field(
        default=None, pattern=r"^[0-9]{12}$", description="Business identification number."
    )
    document: DocumentIn | None = None
    name: str = Field(
        min_length=1, max_length=300, description="The person's, or the legal entity's, name."
    )
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=500)
    representative: RepresentativeIn | None = None
    co_applicants: list[ApplicantIn] = Field(default_factory=list, max_length=200)


class ReceiveAppeal(Body):
    channel: Channel = Field(description="How the appeal reached the service.")
    office: str = Field(min_length=1, max_length=64, description="Code of the receiving office.")
    summary: str = Field(min_length=1, max_length=4000, description="What the appeal is about.")
    applicant: ApplicantIn | None = Field(
        default=None, description="Who appeals. Omit for an anonymous appeal."
    )
    reports_crime: bool = Field(
        default=False, description="The appeal reports a crime or a threat to security."
    )
    redirect_to: str | None = Field(
        default=None,
        max_length=256,
        description="For an anonymous report of a crime or threat: the agency it goes to.",
    )
    repeat_of: UUID | None = Field(
        default=None, description="The earlier appeal whose decision this one disputes."
    )
    received_on: Day | None = Field(
        default=None, description="Day of receipt when entered later; defaults to today."
    )
    kind: Literal["complaint", "statement", "request", "proposal", "response", "enquiry"] | None = (
        Field(default=None, description="The kind of appeal; an enquiry is answered on the spot.")
    )
    language: Literal["kk", "ru"] | None = Field(
        default=None, description="The language of the appeal (Kazakh or Russian): the answer's."
    )


class AssignAppeal(Body):
    assignee: str = Field(min_length=1, max_length=128, description="The prosecutor's id.")
    office: str = Field(min_length=1, max_length=64, description="The prosecutor's office code.")


class Consultation(Body):
    specialist_role: Literal[
        "prosecutor",
        "lawyer",
        "psychologist",
        "mediator",
        "probation_officer",
        "other_body_representative",
    ]
    specialist: str = Field(min_length=1, max_length=128)
    help: list[Literal["legal_help", "drafting_help", "psychological_help", "mediation"]] = Field(
        min_length=1, max_length=4
    )
    note: str | None = Field(default=None, max_length=4000)


class Materials(Body):
    documents: list[str] = Field(min_length=1, max_length=100)
    by_applicant: bool = True


class Redirection(Body):
    agency: str = Field(min_length=1, max_length=256)
    egov_reference: str | None = Field(default=None, max_length=128)
    applicant_notified: bool


class Extension(Body):
    new_due_on: Day
    reasons: str = Text
    approver_role: Literal["head", "deputy_head"]
    approver: str = Field(min_length=1, max_length=128)
    applicant_notified_on: Day | None = None


class Decision(Body):
    outcome: Literal["satisfied", "partially_satisfied", "explained", "refused"]
    reasons: str = Text
    ground: str | None = Field(default=None, max_length=64)
    language: Literal["kk", "ru"] | None = Field(
        default=None,
        description="The language of the answer: the appeal's own (the default) or the "
        "state language, kk (Law on languages, art. 11).",
    )


class RefusalExplanation(Body):
    explained_on: Day | None = None
    note: str = Text


class CaseFileRequest(Body):
    requesting_office: str | None = Field(
        default=None, max_length=64, description="Your office (from your token); optional."
    )
    case_ref: str = Field(min_length=1, max_length=200)


class Review(Body):
    """The office whose decision is reviewed is the one on record, never named here."""

    reviewing_office: str | None = Field(
        default=None, max_length=64, description="Your office (from your token); optional."
    )
    decision_ref: str = Field(min_length=1, max_length=200)
    result: Literal["upheld", "overturned"]
    reasons: str = Text


class Reopening(Body):
    reason: str = Text


class Hearing(Body):
    form: Literal["in_person", "written", "video", "declined"] = Field(
        description="How the applicant was heard; declined: invited, and declined or silent."
    )
    note: str = Text
    heard_on: Day | None = Field(default=None, description="Default: today.")


class Notice(Body):
    kind: Literal["receipt", "redirect", "suspension", "answer"] = Field(
        description="What the notice told the applicant of."
    )
    channel: Literal["post", "email", "sms", "egov_portal", "in_person", "phone"]
    sent_on: Day | None = Field(default=None, description="The day it was sent (default today).")


class Suspension(Body):
    reason: Literal["awaiting_materials", "awaiting_applicant"] = Field(
        description="What the office awaits: materials from another body, or the applicant."
    )
    note: str = Text


class Complaint(Body):
    """A complaint against the decision on record, received by the caller's office."""

    grounds: str = Text
    learned_on: Day | None = Field(
        default=None,
        description="The day the applicant learned of the decision (default: its day); "
        "the three months run from it.",
    )
    office: str | None = Field(
        default=None, max_length=64, description="Your office (from your token); optional."
    )


class ComplaintDecision(Body):
    result: Literal["upheld", "overturned", "changed"]
    reasons: str = Text
    returned: bool = Field(
        default=False, description="Overturned: sent back for a new decision, with a new term."
    )
    outcome: Literal["satisfied", "partially_satisfied", "explained", "refused"] | None = Field(
        default=None, description="Overturned or changed: the higher office's own decision."
    )
    ground: str | None = Field(default=None, max_length=64)


class CommandResult(BaseModel):
    appeal_id: UUID
    version: int = Field(description="The appeal's version after the command.")
    position: int | None = Field(
        description="Position of the command's last event in the event store; "
        "null when nothing new was recorded (an idempotent retry)."
    )


class CaseFileRequested(CommandResult):
    request_id: str


class ComplaintFiled(CommandResult):
    complaint_id: str = Field(description="The complaint's id, for its decision.")


class AppealState(BaseModel):
    appeal_id: UUID
    version: int
    status: str
    kind: str | None = None
    language: str | None = None
    answer_language: str | None = Field(
        default=None, description="The language the last decision answered in."
    )
    channel: str
    office: str
    receiving_office: str
    summary: str
    received_on: Day
    received_by: str
    rule_set: str
    due_on: Day
    assignee: str | None
    anonymous: bool
    applicant_ref: str | None
    reports_crime: bool
    repeat_of: UUID | None
    outcome: str | None
    help_given: list[str]
    case_file_requests: dict[str, dict[str, Any]]


class ApplicantOut(BaseModel):
    applicant_ref: str
    kind: str
    iin: str | None
    bin: str | None
    document: dict[str, str] | None
    name: str
    phone: str | None
    email: str | None
    address: str | None
    representative: dict[str, str | None] | None
    co_applicants: list[dict[str, Any]]


class ReasonedStep(BaseModel):
    version: int
    step: str = Field(description="Decided, RefusalExplained, Extended, DecisionReviewed, ...")
    effective_on: Day
    recorded_at: Moment
    office: str
    actor: str
    reasons: str = Field(description="The reasons as given ([erased] once the data was erased).")
    details: dict[str, Any]


class AppealReasons(BaseModel):
    appeal_id: UUID
    steps: list[ReasonedStep]


class PersonalDataView(BaseModel):
    what: str = Field(description="identity (the applicant's) or reasons (of the decisions).")
    viewer: str
    role: str
    office: str
    viewed_at: Moment


class HistoryEntry(BaseModel):
    version: int
    position: int
    event_id: str
    type: str
    occurred_at: Moment = Field(description="When the event was recorded.")
    effective_on: Day = Field(description="The day the event takes legal effect.")
    actor: str
    office: str
    data: dict[str, Any]


class AppealHistoryOut(BaseModel):
    appeal_id: UUID
    events: list[HistoryEntry]


class FieldProblem(BaseModel):
    field: str
    rule: str
    message: str


class Problem(BaseModel):
    """application/problem+json (RFC 9457), naming the rule broken and the field."""

    type: str
    title: str
    status: int
    detail: str
    rule: str
    field: str | None = None
    request_id: str | None = Field(
        default=None, description="The request's X-Request-ID, to find its log lines."
    )
    errors: list[FieldProblem] | None = Field(
        default=None, description="With 422 for invalid input: every field at fault."
    )


AUTH_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {
        "model": Problem,
        "description": "No valid bearer token: send `Authorization: Bearer <token>`.",
    },
    403: {"model": Problem, "description": "The token's role may not do this."},
}
"""On every router whose operations need a signed-in user."""
