"""The Appeal aggregate: one citizen's appeal and everything done with it.

Its events are defined in ``domain.appeal_events``, the rules its commands are
checked against in ``domain.appeal_checks``, and its words in ``domain.appeal_terms``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import appeal_applicant_events as applicant_events
from domain import appeal_events as events
from domain.appeal_checks import (
    answer_language,
    check_assignment,
    check_channel,
    check_closable,
    check_explanation,
    check_help,
    check_kind_and_language,
    check_materials,
    check_open,
    check_redirect,
    check_reopenable,
    extension_notice_late,
    first_due_on,
    refusal_explained_in_person,
)
from domain.appeal_notices import AppealNotices
from domain.appeal_oversight import AppealOversight
from domain.appeal_term import AppealTerm, check_heard, check_running
from domain.appeal_terms import (
    MAX_SUMMARY_LENGTH,
    Sealer,
    Status,
    unsealed,
)
from domain.appeal_terms import text_field as _text
from domain.calendar import WorkingCalendar, add_working_days, working_days_after
from domain.clock import event_time, events_dated_by_the_clock, kazakhstan_date
from domain.offices import OfficeDirectory
from domain.rules import RuleSet


class Appeal(AppealOversight, AppealTerm, AppealNotices, Aggregate):
    """An appeal's state is whatever its events say; the events are the record."""

    Received = events.Received
    NotConsidered = events.NotConsidered
    Assigned = events.Assigned
    Consulted = events.Consulted
    MaterialsAdded = events.MaterialsAdded
    Redirected = events.Redirected
    Extended = events.Extended
    Decided = events.Decided
    RefusalExplained = events.RefusalExplained
    DeemedRefused = events.DeemedRefused
    CaseFileRequested = events.CaseFileRequested
    CaseFileReceived = events.CaseFileReceived
    DecisionReviewed = events.DecisionReviewed
    Closed = events.Closed
    Reopened = events.Reopened
    ComplaintFiled = events.ComplaintFiled
    ComplaintDecided = events.ComplaintDecided
    TermSuspended = applicant_events.TermSuspended
    TermResumed = applicant_events.TermResumed
    ApplicantNotified = applicant_events.ApplicantNotified
    NoticeOverdue = applicant_events.NoticeOverdue
    ApplicantHeard = applicant_events.ApplicantHeard

    # --- state ---------------------------------------------------------------

    channel: str
    kind: str | None
    language: str | None
    answer_language: str | None  # of the last decision on the merits
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
    decided_on: date | None  # the legal date of the standing decision
    suspended_since: date | None  # the term stands still from this day
    deciding_offices: set[str]  # every office that decided it (silence included)
    overseeing_offices: set[str]  # every office that reviewed it or took a complaint
    file_held_by: str | None  # the office holding the case file, when not its own
    notices_pending: dict[str, date]  # notice kind -> the day of the step to tell of
    notices_overdue: set[str]
    heard: bool  # heard since the consideration began (APPK art. 73)

    @property
    def file_holder(self) -> str:
        """The office that holds the case file: the appeal's own, until one above it
        demanded and received it."""
        return self.file_held_by or self.office

    complaints: dict[str, dict[str, Any]]
    closed_from: Status | None
    case_file_requests: dict[str, dict[str, str | bool]]
    help_given: set[str]
    specialists: set[str]

    @property
    def closed(self) -> bool:
        return self.status == Status.CLOSED

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        # A step takes legal effect on the day it is taken, unless its rule dates it.
        kwargs.setdefault("effective_on", kazakhstan_date(event_time()))
        super().trigger_event(event_class, **kwargs)

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
        kind: str | None = None,
        language: str | None = None,
        seal: Sealer = unsealed,
    ) -> Appeal:
        check_channel(channel)
        check_kind_and_language(kind, language)
        offices.get(_text("office", office, 64))
        _text("actor", actor, 128)
        summary = seal(_text("summary", summary, MAX_SUMMARY_LENGTH))
        due_on = first_due_on(kind, received_on, rules, calendar)
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
            effective_on=received_on,
            kind=kind,
            language=language,
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
        effective_on: date,
        kind: str | None,
        language: str | None,
    ) -> None:
        self.channel = channel
        self.office = office
        self.receiving_office = office
        self.kind = kind
        self.language = language
        self.answer_language = None
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
        self.complaints = {}
        self.decided_on = None
        self.suspended_since = None
        self.deciding_offices = set()
        self.overseeing_offices = set()
        self.file_held_by = None
        self.notices_pending = {} if anonymous else {"receipt": received_on}
        self.notices_overdue = set()
        self.heard = False
        self.help_given = set()
        self.specialists = set()

    def set_aside_anonymous(self, *, actor: str) -> None:
        self.trigger_event(self.NotConsidered, reason="anonymous", office=self.office, actor=actor)

    # --- working the appeal ------------------------------------------------

    def assign(self, *, assignee: str, office: str, actor: str, offices: OfficeDirectory) -> None:
        assignee = _text("assignee", assignee, 128)
        office = _text("office", office, 64)
        _text("actor", actor, 128)
        check_assignment(self, assignee=assignee, office=office, offices=offices)
        self.trigger_event(
            self.Assigned,
            assignee=assignee,
            office=office,
            actor=actor,
            previous_assignee=self.assignee,
        )

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
        check_open(self, "record a consultation for")
        check_help(specialist_role, help)
        self.trigger_event(
            self.Consulted,
            specialist_role=specialist_role,
            specialist=_text("specialist", specialist, 128),
            help=list(help),
            note=seal(_text("note", note)) if note else None,
            office=self.office,
            actor=actor,
        )

    def add_materials(
        self, *, documents: list[str], by_applicant: bool, actor: str, seal: Sealer = unsealed
    ) -> None:
        check_materials(self, documents)
        refs = [seal(_text("documents", d, 500)) for d in documents]
        self.trigger_event(
            self.MaterialsAdded,
            documents=refs,
            by_applicant=by_applicant,
            office=self.office,
            actor=actor,
        )

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
        check_redirect(self, applicant_notified=applicant_notified, urgent=urgent)
        taken = working_days_after(calendar, self.received_on, today)
        self.trigger_event(
            self.Redirected,
            agency=_text("agency", agency, 256),
            egov_reference=_text("egov_reference", egov_reference, 128) if egov_reference else None,
            applicant_notified=applicant_notified,
            working_days_taken=taken,
            late=taken > rules.deadlines.redirect_working_days,
            urgent=urgent,
            office=self.office,
            actor=actor,
        )

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
        check_running(self.suspended_since, "extend it")
        notice_late = extension_notice_late(
            self,
            new_due_on=new_due_on,
            approver_role=approver_role,
            applicant_notified_on=applicant_notified_on,
            today=today,
            calendar=calendar,
            rules=rules,
        )
        self.trigger_event(
            self.Extended,
            new_due_on=new_due_on,
            reasons=seal(_text("reasons", reasons)),
            approver_role=approver_role,
            approver=_text("approver", approver, 128),
            applicant_notified_on=applicant_notified_on,
            notice_late=notice_late,
            office=self.office,
            actor=actor,
        )

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
        language: str | None = None,
    ) -> None:
        check_running(self.suspended_since, "decide")
        language = answer_language(self.language, language)
        explanation_required = refusal_explained_in_person(
            self, outcome=outcome, ground=ground, rules=rules, offices=offices
        )
        check_heard(self.heard, self.anonymous, outcome)
        self.trigger_event(
            self.Decided,
            outcome=outcome,
            ground=ground,
            reasons=seal(_text("reasons", reasons)),
            explanation_required=explanation_required,
            late=today > self.due_on,
            office=self.office,
            actor=actor,
            language=language,
        )

    def explain_refusal(
        self, *, explained_on: date, note: str, today: date, actor: str, seal: Sealer = unsealed
    ) -> None:
        check_explanation(self, explained_on=explained_on, today=today)
        self.trigger_event(
            self.RefusalExplained,
            explained_on=explained_on,
            note=seal(_text("note", note)),
            office=self.office,
            actor=actor,
            effective_on=explained_on,
        )

    # --- closing and reopening ------------------------------------------------

    def close(self, *, actor: str) -> None:
        check_closable(self)
        self.trigger_event(self.Closed, office=self.office, actor=actor)

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
        check_reopenable(self)
        self.trigger_event(
            self.Reopened,
            reason=seal(_text("reason", reason)),
            reopened_on=today,
            new_due_on=add_working_days(
                calendar, today, rules.deadlines.consideration_working_days
            ),
            office=self.office,
            actor=actor,
            effective_on=today,
        )


events_dated_by_the_clock(Appeal)
