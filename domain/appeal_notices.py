"""Notices to the applicant: of the appeal's receipt, of its redirection, of a suspension
of its term, and of the answer (an extension records its own notice: the extension's
``applicant_notified_on``). Each is due within a number of working
days of the step it tells of (the rule set's ``notice_working_days``); each notice sent
is an event with its channel and day, and a notice not sent in time is marked overdue
by the deadline watcher, so that oversight sees it.

Sources: APPK art. 76 (the applicant is told of a redirect at the same time, of an
extension within three working days); the other periods are this system's assumption,
stated in docs/rules.md.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from domain import appeal_applicant_events as applicant_events
from domain.appeal_terms import RuleBroken, StateConflict
from domain.calendar import WorkingCalendar, add_working_days
from domain.errors import InvalidCommand
from domain.rules import RuleSet


class NoticeKind(StrEnum):
    RECEIPT = "receipt"
    REDIRECT = "redirect"
    SUSPENSION = "suspension"
    ANSWER = "answer"


class NoticeChannel(StrEnum):
    POST = "post"
    EMAIL = "email"
    SMS = "sms"
    EGOV_PORTAL = "egov_portal"
    IN_PERSON = "in_person"
    PHONE = "phone"


def notice_due(kind: str, since: date, rules: RuleSet, calendar: WorkingCalendar) -> date:
    """The last day a notice of ``kind`` about a step of ``since`` may be sent."""
    return add_working_days(calendar, since, rules.deadlines.notice_working_days[kind])


class AppealNotices:
    """Recording notices, and marking those not sent in time (a part of ``Appeal``)."""

    if TYPE_CHECKING:
        office: str
        anonymous: bool
        notices_pending: dict[str, date]
        notices_overdue: set[str]
        ApplicantNotified: type[applicant_events.ApplicantNotified]
        NoticeOverdue: type[applicant_events.NoticeOverdue]

        def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...

    def record_notice(
        self,
        *,
        kind: str,
        channel: str,
        sent_on: date,
        today: date,
        rules: RuleSet,
        calendar: WorkingCalendar,
        actor: str,
    ) -> None:
        kinds, channels = [k.value for k in NoticeKind], [c.value for c in NoticeChannel]
        if kind not in kinds:
            raise InvalidCommand(
                f"kind must be one of: {', '.join(kinds)}.", field="kind", rule="unknown-notice"
            )
        if channel not in channels:
            raise InvalidCommand(
                f"channel must be one of: {', '.join(channels)}.",
                field="channel",
                rule="unknown-notice-channel",
            )
        since = self.notices_pending.get(kind)
        if since is None:
            raise StateConflict(
                "no-notice-due",
                f"No notice of {kind} is due to the applicant"
                + (": the appeal is anonymous." if self.anonymous else " now."),
            )
        if sent_on > today:
            raise InvalidCommand(
                "sent_on cannot be in the future.", field="sent_on", rule="date-in-future"
            )
        if sent_on < since:
            raise RuleBroken(
                "notice-before-step",
                f"A notice of {kind} cannot precede the step it tells of ({since}).",
                field="sent_on",
            )
        due = notice_due(kind, since, rules, calendar)
        self.trigger_event(
            self.ApplicantNotified,
            kind=kind,
            channel=channel,
            sent_on=sent_on,
            due_on=due,
            late=sent_on > due,
            office=self.office,
            actor=actor,
            effective_on=sent_on,
        )

    def mark_overdue_notices(
        self, *, today: date, rules: RuleSet, calendar: WorkingCalendar
    ) -> int:
        """Mark each notice due before ``today`` and not sent; returns how many."""
        marked = 0
        for kind, since in sorted(self.notices_pending.items()):
            due = notice_due(kind, since, rules, calendar)
            if kind in self.notices_overdue or today <= due:
                continue
            self.trigger_event(
                self.NoticeOverdue,
                kind=kind,
                due_on=due,
                office=self.office,
                actor="system:deadlines",
            )
            marked += 1
        return marked
