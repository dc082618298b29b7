"""Notices to the applicant: of receipt, redirect, suspension and answer, each due
within its period after the step (a redirect at once); a notice sent is an event with
its channel and day, late when after its day; one not sent in time is marked overdue
once by the deadline watcher, and stays so until it is sent."""

from __future__ import annotations

from datetime import date

from domain import commands
from domain.errors import ConflictError, InvalidCommand
from domain.service import AppealsService
from tests.support import SettableClock, registrar, send
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    receive,
    refused_and_nothing_recorded,
    service_fixture,  # noqa: F401
)


def notice(service: AppealsService, appeal_id: object, kind: str, **fields: object) -> object:
    command = commands.RecordNotice(appeal_id=appeal_id, kind=kind, channel="post", **fields)  # type: ignore[arg-type]
    return service.bus.send(command, registrar("reg.ala", "REG-ALA"))


def test_a_receipt_notice_in_time_and_an_answer_notice_late(
    service: AppealsService, clock: SettableClock
) -> None:
    appeal_id = receive(service)  # Monday 16 March 2026
    assert service.get_appeal(appeal_id).notices_pending == {"receipt": date(2026, 3, 16)}
    clock.set_day(date(2026, 3, 19))
    notice(service, appeal_id, "receipt")  # on the 3rd working day: in time
    sent = list(service.events.get(appeal_id))[-1]
    assert (sent.kind, sent.channel, sent.due_on, sent.late) == (  # type: ignore[attr-defined]
        "receipt",
        "post",
        date(2026, 3, 19),
        False,
    )
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "r")
    send(service, commands.Decide(appeal_id=appeal_id, outcome="explained", reasons="r"), "p")
    # Decided on the 19th; Nauryz (21-25 March) makes the 27th the 3rd working day after.
    clock.set_day(date(2026, 3, 27))
    assert service.mark_overdue_notices([appeal_id]) == 0
    clock.set_day(date(2026, 3, 30))
    assert service.mark_overdue_notices([appeal_id]) == 1
    assert service.mark_overdue_notices([appeal_id]) == 0  # once
    assert service.get_appeal(appeal_id).notices_overdue == {"answer"}
    notice(service, appeal_id, "answer")
    late = list(service.events.get(appeal_id))[-1]
    assert late.late is True  # type: ignore[attr-defined]
    appeal = service.get_appeal(appeal_id)
    assert (appeal.notices_pending, appeal.notices_overdue) == ({}, set())


def test_notice_refusals(service: AppealsService) -> None:
    appeal_id = receive(service)
    for fields, kind, error, rule in (
        ({}, "answer", ConflictError, "no-notice-due"),
        ({}, "gossip", InvalidCommand, "unknown-notice"),
        ({"sent_on": date(2026, 3, 17)}, "receipt", InvalidCommand, "date-in-future"),
        ({"sent_on": date(2026, 3, 13)}, "receipt", InvalidCommand, "notice-before-step"),
    ):
        refused_and_nothing_recorded(
            service,
            appeal_id,
            error,
            rule,
            lambda f=fields, k=kind: notice(service, appeal_id, k, **f),  # type: ignore[misc]
        )
    anonymous = receive(service, applicant=None)
    assert service.get_appeal(anonymous).notices_pending == {}
