"""Suspending the term while materials or the applicant are awaited: no deemed refusal,
decision or extension while it stands still; on resumption the due date and the
extension limit move by the working days it stood still."""

from __future__ import annotations

from datetime import date, timedelta

from domain import commands
from domain.appeal_terms import Status
from domain.errors import ConflictError, InvalidCommand
from domain.service import AppealsService
from tests.support import SettableClock, send
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    receive,
    refused_and_nothing_recorded,
    service_fixture,  # noqa: F401
)


def test_the_due_date_moves_by_the_working_days_suspended(
    service: AppealsService, clock: SettableClock
) -> None:
    appeal_id = receive(service)  # Monday 16 March 2026: due Thursday 9 April
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "r")
    assert service.get_appeal(appeal_id).due_on == date(2026, 4, 9)
    clock.set_day(date(2026, 3, 18))
    suspend = commands.SuspendTerm(
        appeal_id=appeal_id, reason="awaiting_materials", note="Requested from the police"
    )
    send(service, suspend, "p")
    # The term stands still: no decision, no extension, and no deemed refusal even long
    # after the old due date.
    for step, rule in (
        (commands.Decide(appeal_id=appeal_id, outcome="satisfied", reasons="r"), "term-suspended"),
        (suspend, "term-suspended"),
    ):
        refused_and_nothing_recorded(
            service,
            appeal_id,
            ConflictError,
            rule,
            lambda s=step: send(service, s, "p"),  # type: ignore[misc]
        )
    clock.set_day(date(2026, 4, 20))
    assert service.deem_refused_if_overdue([appeal_id]) == 0
    # Resumed on Friday 3 April: the 19th-20th, 23rd-25th (Nauryz) are not working days;
    # 19, 20, 26, 27, 30, 31 March and 1, 2, 3 April are: 9 working days stood still.
    clock.set_day(date(2026, 4, 3))
    send(service, commands.ResumeTerm(appeal_id=appeal_id), "p")
    resumed = list(service.events.get(appeal_id))[-1]
    assert resumed.working_days_suspended == 9  # type: ignore[attr-defined]
    appeal = service.get_appeal(appeal_id)
    assert (appeal.due_on, appeal.suspended_since) == (date(2026, 4, 22), None)
    # The term runs again, and is missed like any other.
    clock.set_day(date(2026, 4, 23))
    assert service.deem_refused_if_overdue([appeal_id]) == 1
    assert service.get_appeal(appeal_id).status == Status.DEEMED_REFUSED


def test_suspension_refusals(service: AppealsService, clock: SettableClock) -> None:
    appeal_id = receive(service)
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "term-not-suspended",
        lambda: send(service, commands.ResumeTerm(appeal_id=appeal_id), "h"),
    )
    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        "unknown-suspension-reason",
        lambda: send(
            service, commands.SuspendTerm(appeal_id=appeal_id, reason="holiday", note="n"), "h"
        ),
    )
    clock.set_day(service.get_appeal(appeal_id).due_on + timedelta(days=1))
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "term-ended",
        lambda: send(
            service,
            commands.SuspendTerm(appeal_id=appeal_id, reason="awaiting_applicant", note="n"),
            "h",
        ),
    )
