"""The applicant is heard before a decision adverse to them, wholly or in part (APPK
art. 73): a refusal or a partial satisfaction needs a hearing since the consideration
began; a reopened appeal needs a new one; a favourable answer needs none."""

from __future__ import annotations

from datetime import date
from uuid import UUID

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


def assigned(service: AppealsService) -> UUID:
    appeal_id = receive(service)
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "r")
    return appeal_id


def refusal(appeal_id: UUID) -> commands.Decide:
    return commands.Decide(
        appeal_id=appeal_id, outcome="refused", reasons="r", ground="no_violation_of_law"
    )


def test_no_adverse_decision_without_a_hearing(service: AppealsService) -> None:
    appeal_id = assigned(service)
    for adverse in (
        refusal(appeal_id),
        commands.Decide(appeal_id=appeal_id, outcome="partially_satisfied", reasons="r"),
    ):
        refused_and_nothing_recorded(
            service,
            appeal_id,
            ConflictError,
            "hearing-required",
            lambda d=adverse: send(service, d, "p", hear=False),  # type: ignore[misc]
        )
    hearing = commands.HearApplicant(appeal_id=appeal_id, form="declined", note="Did not come")
    send(service, hearing, "p")
    send(service, refusal(appeal_id), "p", hear=False)
    assert service.get_appeal(appeal_id).status == Status.REFUSED


def test_a_favourable_answer_needs_no_hearing(service: AppealsService) -> None:
    appeal_id = assigned(service)
    satisfied = commands.Decide(appeal_id=appeal_id, outcome="satisfied", reasons="r")
    send(service, satisfied, "p", hear=False)
    assert service.get_appeal(appeal_id).status == Status.DECIDED


def test_a_reopened_appeal_is_heard_again(service: AppealsService) -> None:
    appeal_id = assigned(service)
    send(service, commands.HearApplicant(appeal_id=appeal_id, form="written", note="n"), "p")
    send(service, refusal(appeal_id), "p", hear=False)
    send(service, commands.ReopenAppeal(appeal_id=appeal_id, reason="New arguments"), "p")
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "hearing-required",
        lambda: send(service, refusal(appeal_id), "p", hear=False),
    )


def test_hearing_refusals(service: AppealsService, clock: SettableClock) -> None:
    appeal_id = assigned(service)
    for fields, error, rule in (
        ({"form": "telepathy"}, InvalidCommand, "unknown-form"),
        (
            {"form": "written", "heard_on": date(2026, 3, 17)},
            InvalidCommand,
            "heard-on-out-of-range",
        ),
        (
            {"form": "written", "heard_on": date(2026, 3, 1)},
            InvalidCommand,
            "heard-on-out-of-range",
        ),
    ):
        refused_and_nothing_recorded(
            service,
            appeal_id,
            error,
            rule,
            lambda f=fields: send(  # type: ignore[misc]
                service, commands.HearApplicant(appeal_id=appeal_id, note="n", **f), "p"
            ),
        )
    anonymous = receive(service, applicant=None)
    refused_and_nothing_recorded(
        service,
        anonymous,
        ConflictError,
        None,
        lambda: send(
            service, commands.HearApplicant(appeal_id=anonymous, form="written", note="n"), "h"
        ),
    )
