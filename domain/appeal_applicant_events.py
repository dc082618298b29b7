"""The applicant's part in an appeal, as events: the term suspended and resumed while
the applicant or materials are awaited, the notices sent to the applicant (or not sent
in time), and the hearing before an adverse decision. Taken into the Appeal aggregate
as ``Appeal.<Name>`` like those of ``domain.appeal_events``, whose rules they share.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.appeal_events import AppealEvent, _notice_due_of

if TYPE_CHECKING:
    from domain.appeal import Appeal


class TermSuspended(AppealEvent):
    """The term stopped: the office awaits materials from another body, or the applicant."""

    reason: str
    note: str
    suspended_on: date
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.suspended_since = self.suspended_on
        _notice_due_of(appeal, "suspension", self.effective_on)


class TermResumed(AppealEvent):
    """The term runs again; the due date moved by the working days it stood still."""

    resumed_on: date
    working_days_suspended: int
    new_due_on: date
    new_original_due_on: date
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.suspended_since = None
        appeal.due_on = self.new_due_on
        appeal.original_due_on = self.new_original_due_on


class ApplicantNotified(AppealEvent):
    """The applicant was told of a step (receipt, redirect, extension, suspension,
    answer) through a channel, on a day; late when after the day it was due."""

    kind: str
    channel: str
    sent_on: date
    due_on: date
    late: bool
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.notices_pending.pop(self.kind, None)
        appeal.notices_overdue.discard(self.kind)


class NoticeOverdue(AppealEvent):
    """A notice due to the applicant was not sent by its day (recorded by the watcher)."""

    kind: str
    due_on: date
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.notices_overdue.add(self.kind)


class ApplicantHeard(AppealEvent):
    """The applicant was heard before a decision adverse to them (APPK art. 73), in
    person, in writing or by video, or invited and declined."""

    form: str
    heard_on: date
    note: str
    office: str
    actor: str

    def apply(self, appeal: Appeal) -> None:
        appeal.heard = True
