"""Closing and reopening an appeal, through the application service on the library's in-memory
store, with Kazakhstan's working-day calendar and a fixed clock."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain import commands
from domain.appeal_terms import Status
from domain.errors import AppealClosed, ConflictError
from domain.service import AppealsService
from tests.support import SettableClock, send
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    receive,
    refused_and_nothing_recorded,
    service_fixture,  # noqa: F401
)


def test_close_and_reopen(service: AppealsService, clock: SettableClock) -> None:
    appeal_id = receive(service)
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "close-unanswered",
        lambda: send(service, commands.CloseAppeal(appeal_id=appeal_id), "p"),
    )
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "reopen-unanswered",
        lambda: send(service, commands.ReopenAppeal(appeal_id=appeal_id, reason="r"), "p"),
    )
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "h")
    send(
        service,
        commands.Decide(appeal_id=appeal_id, outcome="explained", reasons="r", ground=None),
        "p",
    )
    send(service, commands.CloseAppeal(appeal_id=appeal_id), "p")
    refused_and_nothing_recorded(
        service,
        appeal_id,
        AppealClosed,
        None,
        lambda: send(
            service,
            commands.Consult(
                appeal_id=appeal_id,
                specialist_role="lawyer",
                specialist="x",
                help=["legal_help"],
                note=None,
            ),
            "r",
        ),
    )
    clock.set_day(date(2026, 4, 20))
    send(
        service,
        commands.ReopenAppeal(appeal_id=appeal_id, reason="Applicant disputes the answer"),
        "p",
    )
    appeal = service.get_appeal(appeal_id)
    assert appeal.status == Status.IN_PROGRESS and appeal.outcome is None
    assert appeal.due_on == date(2026, 5, 14)  # 15 working days; 1, 7 and 11 May are off


@pytest.mark.parametrize(
    "overrides",
    [
        {"applicant": None},  # set aside unconsidered
        {"applicant": None, "reports_crime": True, "redirect_to": "Police of Almaty"},
        {},  # redirected below
    ],
)
def test_closing_an_unanswered_appeal_does_not_make_it_reopenable(
    service: AppealsService, overrides: dict[str, Any]
) -> None:
    """Found by tests/unit/test_appeal_lifecycle.py: a set-aside anonymous appeal, once
    closed, could be reopened, then assigned and decided."""
    appeal_id = receive(service, **overrides)
    if not overrides:
        send(
            service,
            commands.Redirect(
                appeal_id=appeal_id, agency="Akimat", egov_reference=None, applicant_notified=True
            ),
            "p",
        )
    send(service, commands.CloseAppeal(appeal_id=appeal_id), "p")
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "reopen-unanswered",
        lambda: send(service, commands.ReopenAppeal(appeal_id=appeal_id, reason="r"), "p"),
    )
