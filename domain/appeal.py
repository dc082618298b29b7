"""The Appeal aggregate: one citizen's appeal and everything done with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.calendar import WorkingCalendar, add_months, add_working_days, working_days_after
from domain.channels import Channel
from domain.clock import events_dated_by_the_clock
from domain.errors import (
    AlreadyAssigned,
    AppealClosed,
    ConflictError,
    InvalidCommand,
)
from domain.offices import OfficeDirectory
from domain.rules import RuleSet
from domain.text import required_text

MAX_SUMMARY_LENGTH = 4000
MAX_TEXT = 4000


class Status(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    NOT_CONSIDERED = "not_considered"
    REDIRECTED = "redirected"
    DECIDED = "decided"
    REFUSAL_PENDING_EXPLANATION = "refusal_pending_explanation"
    REFUSED = "refused"
    DEEMED_REFUSED = "deemed_refused"
    CLOSED = "closed"


class Outcome(StrEnum):
    SATISFIED = "satisfied"
    PARTIALLY_SATISFIED = "partially_satisfied"
    EXPLAINED = "explained"
    REFUSED = "refused"


class SpecialistRole(StrEnum):
    PROSECUTOR = "prosecutor"
    LAWYER = "lawyer"
    PSYCHOLOGIST = "psychologist"
    MEDIATOR = "mediator"
    PROBATION_OFFICER = "probation_officer"
    OTHER_BODY = "other_body_representative"


class HelpKind(StrEnum):
    LEGAL_HELP = "legal_help"
    DRAFTING_HELP = "drafting_help"
    PSYCHOLOGICAL_HELP = "psychological_help"
    MEDIATION = "mediation"


class ApproverRole(StrEnum):
    HEAD = "head"
    DEPUTY_HEAD = "deputy_head"


class ReviewResult(StrEnum):
    UPHELD = "upheld"
    OVERTURNED = "overturned"


OPEN = frozenset({Status.RECEIVED, Status.IN_PROGRESS})
ANSWERED = frozenset(
    {
        Status.DECIDED,
        Status.REFUSED,
        Status.DEEMED_REFUSED,
        Status.REDIRECTED,
        Status.NOT_CONSIDERED,
    }
)


class RuleBroken(InvalidCommand):
    """A 422 whose rule name is given where it is raised."""

    def __init__(self, rule: str, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.rule = rule


class StateConflict(ConflictError):
    """A 409 whose rule name is given where it is raised."""

    def __init__(self, rule: str, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.rule = rule


Sealer = Callable[[str], str]


def unsealed(text: str) -> str:
    """Free text of an anonymous appeal stays as written: there is no person to erase."""
    return text


def _text(field: str, value: str, max_length: int = MAX_TEXT) -> str:
    return required_text(field, value, max_length)


class Appeal(Aggregate):
    """An appeal's state is whatever its events say; the events are the record.

    Event classes are part of the stored schema: renaming one needs
    ``register_topic`` and changing its fields needs ``class_version`` and an upcaster.
    Every event carries the acting user (``actor``) and the office it concerns.
    """

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

    class Assigned(Aggregate.Event):
        """A prosecutor of an office was made responsible for the appeal."""

        assignee: str
        office: str
        actor: str
        previous_assignee: str | None

    class Consulted(Aggregate.Event):
        """A specialist helped the applicant; one visit may bring several kinds of help."""

        specialist_role: str
        specialist: str
        help: list[str]
        note: str | None
        office: str
        actor: str

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

    class Decided(Aggregate.Event):
        """The appeal was answered on its merits."""

        outcome: str
        ground: str | None
        reasons: str
        explanation_required: bool
        late: bool
        office: str
        actor: str

    class RefusalExplained(Aggregate.Event):
        """The applicant was given the reasons for the refusal in person."""

        explained_on: date
        note: str
        office: str
        actor: str

    class DeemedRefused(Aggregate.Event):
        """No decision by the deadline: the law counts it as a refusal (APPC art. 91(2))."""

        due_on: date
        office: str
        actor: str

    class CaseFileRequested(Aggregate.Event):
        """A higher-ranking office demanded a case file from a lower-ranking one."""

        request_id: str
        requesting_office: str
        holding_office: str
        case_ref: str
        office: str
        actor: str

    class CaseFileReceived(Aggregate.Event):
        request_id: str
        office: str
        actor: str

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

    class Reopened(Aggregate.Event):
        """An appeal against the answer: consideration starts again."""

        reason: str
        reopened_on: date
        new_due_on: date
        office: str
        actor: str

    # --- state ---------------------------------------------------------------

    channel: str
    office: str
    receiving_office: str
    summary: str
    received_by: str
    received_on: date
    rule_set: str
    due_on: date
    original_due_on: date
    status: Status
    assignee: str | None
    applicant_ref: str | None
    anonymous: bool
    reports_crime: bool
    repeat_of: UUID | None
    outcome: str | None
    answered: bool
    decided_by_office: str | None
    closed_from: Status | None
    case_file_requests: dict[str, dict[str, str | bool]]
    help_given: set[str]
    specialists: set[str]

    @property
    def closed(self) -> bool:
        return self.status == Status.CLOSED

    # --- receiving -----------------------------------------------------------

    @classmethod
    def receive(
        cls,
        *,
        appeal_id: UUID,
        channel: str,
        office: str,
        summary: str,
        actor: str,
        received_on: date,
        rules: RuleSet,
        calendar: WorkingCalendar,
        offices: OfficeDirectory,
        applicant_ref: str | None = None,
        reports_crime: bool = False,
        repeat_of: UUID | None = None,
        seal: Sealer = unsealed,
    ) -> Appeal:
        cls.check_channel(channel)
        offices.get(_text("office", office, 64))
        _text("actor", actor, 128)
        summary = seal(_text("summary", summary, MAX_SUMMARY_LENGTH))
        due_on = add_working_days(calendar, received_on, rules.deadlines.consideration_working_days)
        return cls._create(
            cls.Received,
            id=appeal_id,
            channel=channel,
            office=office.strip(),
            summary=summary,
            actor=actor,
            applicant_ref=applicant_ref,
            anonymous=applicant_ref is None,
            reports_crime=reports_crime,
            repeat_of=repeat_of,
            received_on=received_on,
            rule_set=rules.id,
            due_on=due_on,
        )

    @event(Received)
    def __init__(
        self,
        *,
        channel: str,
        office: str,
        summary: str,
        actor: str,
        applicant_ref: str | None,
        anonymous: bool,
        reports_crime: bool,
        repeat_of: UUID | None,
        received_on: date,
        rule_set: str,
        due_on: date,
    ) -> None:
        self.channel = channel
        self.office = office
        self.receiving_office = office
        self.summary = summary
        self.received_by = actor
        self.applicant_ref = applicant_ref
        self.anonymous = anonymous
        self.reports_crime = reports_crime
        self.repeat_of = repeat_of
        self.received_on = received_on
        self.rule_set = rule_set
        self.due_on = due_on
        self.original_due_on = due_on
        self.status = Status.RECEIVED
        self.assignee = None
        self.outcome = None
        self.answered = False
        self.decided_by_office = None
        self.closed_from = None
        self.case_file_requests = {}
        self.help_given = set()
        self.specialists = set()

    def set_aside_anonymous(self, *, actor: str) -> None:
        self._not_considered(reason="anonymous", office=self.office, actor=actor)

    @event(NotConsidered)
    def _not_considered(self, *, reason: str, office: str, actor: str) -> None:
        self.status = Status.NOT_CONSIDERED

    # --- working the appeal ------------------------------------------------

    def assign(self, *, assignee: str, office: str, actor: str, offices: OfficeDirectory) -> None:
        assignee = _text("assignee", assignee, 128)
        office = _text("office", office, 64)
        _text("actor", actor, 128)
        self.check_open("assign")
        offices.get(office)
        if not offices.within(office, self.receiving_office):
            raise RuleBroken(
                "office-not-competent",
                f"{office} is not {self.receiving_office} or an office below it, "
                "so it is not competent for this appeal.",
                field="office",
            )
        if self.assignee == assignee and self.office == office:
            raise AlreadyAssigned(
                f"The appeal is already assigned to {assignee} of {office}.", field="assignee"
            )
        self._assigned(
            assignee=assignee, office=office, actor=actor, previous_assignee=self.assignee
        )

    @event(Assigned)
    def _assigned(
        self, *, assignee: str, office: str, actor: str, previous_assignee: str | None
    ) -> None:
        self.assignee = assignee
        self.office = office
        self.status = Status.IN_PROGRESS

    def consult(
        self,
        *,
        specialist_role: str,
        specialist: str,
        help: list[str],
        note: str | None,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        self.check_open("record a consultation for")
        roles = [r.value for r in SpecialistRole]
        if specialist_role not in roles:
            raise InvalidCommand(
                f"specialist_role must be one of: {', '.join(roles)}.",
                field="specialist_role",
                rule="unknown-specialist-role",
            )
        kinds = [k.value for k in HelpKind]
        if not help or any(h not in kinds for h in help):
            raise InvalidCommand(
                f"help must list one or more of: {', '.join(kinds)}.",
                field="help",
                rule="help-kinds",
            )
        if len(set(help)) != len(help):
            raise InvalidCommand("help lists a kind twice.", field="help", rule="help-kinds")
        self._consulted(
            specialist_role=specialist_role,
            specialist=_text("specialist", specialist, 128),
            help=list(help),
            note=seal(_text("note", note)) if note else None,
            office=self.office,
            actor=actor,
        )

    @event(Consulted)
    def _consulted(
        self,
        *,
        specialist_role: str,
        specialist: str,
        help: list[str],
        note: str | None,
        office: str,
        actor: str,
    ) -> None:
        self.help_given.update(help)
        self.specialists.add(specialist_role)

    def add_materials(
        self, *, documents: list[str], by_applicant: bool, actor: str, seal: Sealer = unsealed
    ) -> None:
        self.check_open("add materials to")
        if not documents:
            raise InvalidCommand(
                "documents must list at least one reference.",
                field="documents",
                rule="documents-required",
            )
        refs = [seal(_text("documents", d, 500)) for d in documents]
        self._materials_added(
            documents=refs, by_applicant=by_applicant, office=self.office, actor=actor
        )

    @event(MaterialsAdded)
    def _materials_added(
        self, *, documents: list[str], by_applicant: bool, office: str, actor: str
    ) -> None:
        pass

    def redirect(
        self,
        *,
        agency: str,
        egov_reference: str | None,
        applicant_notified: bool,
        today: date,
        calendar: WorkingCalendar,
        rules: RuleSet,
        actor: str,
        urgent: bool = False,
    ) -> None:
        if self.status not in OPEN and not (urgent and self.status == Status.NOT_CONSIDERED):
            raise StateConflict(
                "appeal-not-open", f"The appeal is {self.status}; only an open one is redirected."
            )
        if not applicant_notified:
            raise RuleBroken(
                "applicant-not-notified",
                "The applicant is notified at the same time as the redirect (APPC art. 76).",
                field="applicant_notified",
            )
        taken = working_days_after(calendar, self.received_on, today)
        self._redirected(
            agency=_text("agency", agency, 256),
            egov_reference=_text("egov_reference", egov_reference, 128) if egov_reference else None,
            applicant_notified=applicant_notified,
            working_days_taken=taken,
            late=taken > rules.deadlines.redirect_working_days,
            urgent=urgent,
            office=self.office,
            actor=actor,
        )

    @event(Redirected)
    def _redirected(
        self,
        *,
        agency: str,
        egov_reference: str | None,
        applicant_notified: bool,
        working_days_taken: int,
        late: bool,
        urgent: bool,
        office: str,
        actor: str,
    ) -> None:
        self.status = Status.REDIRECTED

    def extend(
        self,
        *,
        new_due_on: date,
        reasons: str,
        approver_role: str,
        approver: str,
        applicant_notified_on: date,
        today: date,
        calendar: WorkingCalendar,
        rules: RuleSet,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        self.check_open("extend")
        roles = [r.value for r in ApproverRole]
        if approver_role not in roles:
            raise RuleBroken(
                "extension-approver",
                "Only the head of the office or a deputy extends the period "
                f"(approver_role: {', '.join(roles)}).",
                field="approver_role",
            )
        if today > self.due_on:
            raise StateConflict(
                "extension-after-deadline",
                f"The period ended on {self.due_on}; it can no longer be extended.",
            )
        if new_due_on <= self.due_on:
            raise RuleBroken(
                "extension-not-later",
                f"The new due date must be after the current one ({self.due_on}).",
                field="new_due_on",
            )
        limit = add_months(self.original_due_on, rules.deadlines.extension_max_months)
        if new_due_on > limit:
            raise RuleBroken(
                "extension-too-long",
                f"An extension reaches at most {rules.deadlines.extension_max_months} months "
                f"beyond the original period: {limit} at the latest.",
                field="new_due_on",
            )
        if applicant_notified_on < today:
            raise RuleBroken(
                "notice-before-extension",
                "The applicant cannot have been told before the extension was granted.",
                field="applicant_notified_on",
            )
        if applicant_notified_on > new_due_on:
            raise RuleBroken(
                "notice-after-deadline",
                "The applicant is told of an extension before the new due date, not after it.",
                field="applicant_notified_on",
            )
        notice_days = working_days_after(calendar, today, applicant_notified_on)
        self._extended(
            new_due_on=new_due_on,
            reasons=seal(_text("reasons", reasons)),
            approver_role=approver_role,
            approver=_text("approver", approver, 128),
            applicant_notified_on=applicant_notified_on,
            notice_late=notice_days > rules.deadlines.extension_notice_working_days,
            office=self.office,
            actor=actor,
        )

    @event(Extended)
    def _extended(
        self,
        *,
        new_due_on: date,
        reasons: str,
        approver_role: str,
        approver: str,
        applicant_notified_on: date,
        notice_late: bool,
        office: str,
        actor: str,
    ) -> None:
        self.due_on = new_due_on

    # --- deciding ------------------------------------------------------------

    def decide(
        self,
        *,
        outcome: str,
        reasons: str,
        ground: str | None,
        today: date,
        rules: RuleSet,
        offices: OfficeDirectory,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        if self.status not in OPEN and self.status != Status.DEEMED_REFUSED:
            raise StateConflict(
                "appeal-not-open", f"The appeal is {self.status}; it cannot be decided now."
            )
        if self.assignee is None:
            raise StateConflict(
                "decide-unassigned", "Assign the appeal to a prosecutor before deciding it."
            )
        outcomes = [o.value for o in Outcome]
        if outcome not in outcomes:
            raise InvalidCommand(
                f"outcome must be one of: {', '.join(outcomes)}.",
                field="outcome",
                rule="unknown-outcome",
            )
        reasons = seal(_text("reasons", reasons))
        explanation_required = False
        if outcome == Outcome.REFUSED:
            if ground not in rules.decision_refusal_grounds:
                raise RuleBroken(
                    "refusal-ground",
                    "A refusal names its legal ground, one of: "
                    f"{', '.join(sorted(rules.decision_refusal_grounds))}.",
                    field="ground",
                )
            level = offices.get(self.office).level
            explanation_required = (
                self.channel == Channel.PERSONAL_RECEPTION
                and level.value in rules.reception.personal_explanation_on_refusal_levels
            )
        elif ground is not None:
            raise InvalidCommand(
                "Only a refusal has a ground.", field="ground", rule="ground-without-refusal"
            )
        self._decided(
            outcome=outcome,
            ground=ground,
            reasons=reasons,
            explanation_required=explanation_required,
            late=today > self.due_on,
            office=self.office,
            actor=actor,
        )

    @event(Decided)
    def _decided(
        self,
        *,
        outcome: str,
        ground: str | None,
        reasons: str,
        explanation_required: bool,
        late: bool,
        office: str,
        actor: str,
    ) -> None:
        self.outcome = outcome
        self.answered = True
        self.decided_by_office = office
        if outcome != Outcome.REFUSED:
            self.status = Status.DECIDED
        elif explanation_required:
            self.status = Status.REFUSAL_PENDING_EXPLANATION
        else:
            self.status = Status.REFUSED

    def explain_refusal(
        self, *, explained_on: date, note: str, today: date, actor: str, seal: Sealer = unsealed
    ) -> None:
        if self.status != Status.REFUSAL_PENDING_EXPLANATION:
            raise StateConflict(
                "no-explanation-pending",
                "Only a refusal after a personal reception at regional or district level "
                "awaits a personal explanation.",
            )
        if explained_on < self.received_on:
            raise RuleBroken(
                "date-before-receipt",
                f"The explanation cannot predate the appeal's receipt ({self.received_on}).",
                field="explained_on",
            )
        if explained_on > today:
            raise InvalidCommand(
                "explained_on cannot be in the future.", field="explained_on", rule="date-in-future"
            )
        self._refusal_explained(
            explained_on=explained_on,
            note=seal(_text("note", note)),
            office=self.office,
            actor=actor,
        )

    @event(RefusalExplained)
    def _refusal_explained(self, *, explained_on: date, note: str, office: str, actor: str) -> None:
        self.status = Status.REFUSED

    def deem_refused_if_overdue(self, *, today: date, rules: RuleSet) -> bool:
        """Record the deemed refusal once the deadline has passed with no decision."""
        if not rules.deadlines.missed_deadline_is_refusal:
            return False
        if self.status not in OPEN or today <= self.due_on:
            return False
        self._deemed_refused(due_on=self.due_on, office=self.office, actor="system:deadlines")
        return True

    @event(DeemedRefused)
    def _deemed_refused(self, *, due_on: date, office: str, actor: str) -> None:
        self.status = Status.DEEMED_REFUSED
        self.answered = True

    # --- oversight -------------------------------------------------------------

    def request_case_file(
        self,
        *,
        request_id: str,
        requesting_office: str,
        case_ref: str,
        offices: OfficeDirectory,
        actor: str,
    ) -> None:
        offices.get(requesting_office, field="requesting_office")
        if not offices.is_above(requesting_office, self.office):
            raise RuleBroken(
                "higher-office-only",
                f"Only an office above {self.office} can demand its case file.",
                field="requesting_office",
            )
        if request_id in self.case_file_requests:
            raise StateConflict("duplicate-request", f"Request {request_id} already exists.")
        self._case_file_requested(
            request_id=request_id,
            requesting_office=requesting_office,
            holding_office=self.office,
            case_ref=_text("case_ref", case_ref, 200),
            office=self.office,
            actor=actor,
        )

    @event(CaseFileRequested)
    def _case_file_requested(
        self,
        *,
        request_id: str,
        requesting_office: str,
        holding_office: str,
        case_ref: str,
        office: str,
        actor: str,
    ) -> None:
        self.case_file_requests[request_id] = {
            "requesting_office": requesting_office,
            "holding_office": holding_office,
            "case_ref": case_ref,
            "received": False,
        }

    def receive_case_file(self, *, request_id: str, actor: str) -> None:
        request = self.case_file_requests.get(request_id)
        if request is None:
            raise RuleBroken(
                "unknown-request",
                f"No case-file request {request_id} on this appeal.",
                field="request_id",
            )
        if request["received"]:
            raise StateConflict("file-already-received", "That case file was already received.")
        self._case_file_received(
            request_id=request_id, office=str(request["requesting_office"]), actor=actor
        )

    @event(CaseFileReceived)
    def _case_file_received(self, *, request_id: str, office: str, actor: str) -> None:
        self.case_file_requests[request_id]["received"] = True

    def review_decision(
        self,
        *,
        reviewing_office: str,
        decided_by_office: str,
        decision_ref: str,
        result: str,
        reasons: str,
        offices: OfficeDirectory,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        offices.get(reviewing_office, field="reviewing_office")
        offices.get(decided_by_office, field="decided_by_office")
        if not offices.is_above(reviewing_office, decided_by_office):
            raise RuleBroken(
                "review-by-higher-office-only",
                "Only a higher-ranking office reviews a decision; "
                f"{reviewing_office} is not above {decided_by_office}.",
                field="reviewing_office",
            )
        results = [r.value for r in ReviewResult]
        if result not in results:
            raise InvalidCommand(
                f"result must be one of: {', '.join(results)}.",
                field="result",
                rule="unknown-review-result",
            )
        self._decision_reviewed(
            reviewing_office=reviewing_office,
            decided_by_office=decided_by_office,
            decision_ref=_text("decision_ref", decision_ref, 200),
            result=result,
            reasons=seal(_text("reasons", reasons)),
            office=reviewing_office,
            actor=actor,
        )

    @event(DecisionReviewed)
    def _decision_reviewed(
        self,
        *,
        reviewing_office: str,
        decided_by_office: str,
        decision_ref: str,
        result: str,
        reasons: str,
        office: str,
        actor: str,
    ) -> None:
        pass

    # --- closing and reopening ------------------------------------------------

    def close(self, *, actor: str) -> None:
        if self.status == Status.REFUSAL_PENDING_EXPLANATION:
            raise StateConflict(
                "explanation-pending",
                "The refusal is not complete until the personal explanation to the applicant "
                "is recorded.",
            )
        if self.status not in ANSWERED:
            raise StateConflict(
                "close-unanswered",
                f"The appeal is {self.status}; close it once it is decided, redirected or set "
                "aside.",
            )
        self._closed(office=self.office, actor=actor)

    @event(Closed)
    def _closed(self, *, office: str, actor: str) -> None:
        self.closed_from = self.status
        self.status = Status.CLOSED

    def reopen(
        self,
        *,
        reason: str,
        today: date,
        calendar: WorkingCalendar,
        rules: RuleSet,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        answered = {Status.DECIDED, Status.REFUSED, Status.DEEMED_REFUSED}
        # A closed appeal is reopened only if it was closed after an answer: one set
        # aside (anonymous) or redirected was never answered by the prosecutor's office.
        status = self.closed_from if self.status == Status.CLOSED else self.status
        if status not in answered:
            raise StateConflict(
                "reopen-unanswered", "Only an answered appeal can be appealed against and reopened."
            )
        self._reopened(
            reason=seal(_text("reason", reason)),
            reopened_on=today,
            new_due_on=add_working_days(
                calendar, today, rules.deadlines.consideration_working_days
            ),
            office=self.office,
            actor=actor,
        )

    @event(Reopened)
    def _reopened(
        self, *, reason: str, reopened_on: date, new_due_on: date, office: str, actor: str
    ) -> None:
        self.status = Status.IN_PROGRESS if self.assignee else Status.RECEIVED
        self.closed_from = None
        self.outcome = None
        self.due_on = new_due_on
        self.original_due_on = new_due_on

    # --- checks ---------------------------------------------------------------

    @staticmethod
    def check_channel(channel: str) -> None:
        allowed = [c.value for c in Channel]
        if channel not in allowed:
            raise InvalidCommand(
                f"Unknown channel {channel!r}; use one of: {', '.join(allowed)}.",
                field="channel",
                rule="unknown-channel",
            )

    def check_open(self, action: str) -> None:
        if self.status == Status.CLOSED:
            raise AppealClosed(f"The appeal is closed; reopen it to {action} it.")
        if self.status not in OPEN:
            raise StateConflict(
                "appeal-not-open", f"The appeal is {self.status}; cannot {action} it."
            )


events_dated_by_the_clock(Appeal)
