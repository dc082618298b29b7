"""Deciding an appeal, and explaining a refusal after a personal reception, through the
application service on the library's in-memory store, with Kazakhstan's working-day calendar
and a fixed clock."""

from __future__ import annotations

from datetime import date

from domain import commands
from domain.appeal_terms import Status
from domain.errors import ConflictError, InvalidCommand
from domain.service import AppealsService
from tests.support import send
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    receive,
    refused_and_nothing_recorded,
    service_fixture,  # noqa: F401
)


def test_decision_needs_an_assignee_and_a_ground_for_refusal(service: AppealsService) -> None:
    appeal_id = receive(service)
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "decide-unassigned",
        lambda: send(
            service,
            commands.Decide(appeal_id=appeal_id, outcome="satisfied", reasons="r", ground=None),
            "p",
        ),
    )
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "h")
    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        "refusal-ground",
        lambda: send(
            service,
            commands.Decide(appeal_id=appeal_id, outcome="refused", reasons="r", ground=None),
            "p",
        ),
    )
    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        "refusal-ground",
        lambda: send(
            service,
            commands.Decide(appeal_id=appeal_id, outcome="refused", reasons="r", ground="dislike"),
            "p",
        ),
    )
    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        None,
        lambda: send(
            service,
            commands.Decide(
                appeal_id=appeal_id, outcome="satisfied", reasons="r", ground="court_competence"
            ),
            "p",
        ),
    )
    send(
        service,
        commands.Decide(
            appeal_id=appeal_id,
            outcome="refused",
            reasons="Not confirmed",
            ground="arguments_not_confirmed",
        ),
        "p",
    )
    assert service.get_appeal(appeal_id).status == Status.REFUSED
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "appeal-not-open",
        lambda: send(
            service,
            commands.Decide(appeal_id=appeal_id, outcome="satisfied", reasons="r", ground=None),
            "p",
        ),
    )


def test_refusal_after_personal_reception_needs_the_personal_explanation(
    service: AppealsService,
) -> None:
    appeal_id = receive(service, channel="personal_reception", office="DIS-ALA-MEDEU")
    send(
        service,
        commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="DIS-ALA-MEDEU"),
        "h",
    )
    send(
        service,
        commands.Decide(
            appeal_id=appeal_id,
            outcome="refused",
            reasons="No violation",
            ground="no_violation_of_law",
        ),
        "p",
    )
    assert service.get_appeal(appeal_id).status == Status.REFUSAL_PENDING_EXPLANATION
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "explanation-pending",
        lambda: send(service, commands.CloseAppeal(appeal_id=appeal_id), "p"),
    )
    send(
        service,
        commands.ExplainRefusal(appeal_id=appeal_id, explained_on=None, note="Explained in person"),
        "p",
    )
    send(service, commands.CloseAppeal(appeal_id=appeal_id), "p")
    assert service.get_appeal(appeal_id).status == Status.CLOSED
    # At the GPO a refusal after reception needs no such step (regional and district only).
    gpo = receive(service, channel="personal_reception", office="GPO")
    send(service, commands.AssignAppeal(appeal_id=gpo, assignee="p", office="GPO"), "h")
    send(
        service,
        commands.Decide(appeal_id=gpo, outcome="refused", reasons="r", ground="decision_lawful"),
        "p",
    )
    assert service.get_appeal(gpo).status == Status.REFUSED


def test_an_explanation_cannot_predate_the_appeal(service: AppealsService) -> None:
    appeal_id = receive(service, channel="personal_reception", office="DIS-ALA-MEDEU")
    send(
        service,
        commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="DIS-ALA-MEDEU"),
        "h",
    )
    send(
        service,
        commands.Decide(
            appeal_id=appeal_id, outcome="refused", reasons="r", ground="no_violation_of_law"
        ),
        "p",
    )
    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        "date-before-receipt",
        lambda: send(
            service,
            commands.ExplainRefusal(appeal_id=appeal_id, explained_on=date(2026, 3, 1), note="n"),
            "p",
        ),
    )


def test_a_partial_refusal_after_a_personal_reception_is_explained_in_person_too(
    service: AppealsService,
) -> None:
    appeal_id = receive(service, channel="personal_reception", office="DIS-ALA-MEDEU")
    send(
        service,
        commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="DIS-ALA-MEDEU"),
        "r",
    )
    partial = commands.Decide(appeal_id=appeal_id, outcome="partially_satisfied", reasons="r")
    send(service, partial, "p")
    assert service.get_appeal(appeal_id).status == Status.REFUSAL_PENDING_EXPLANATION
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "explanation-pending",
        lambda: send(service, commands.CloseAppeal(appeal_id=appeal_id), "p"),
    )
    send(service, commands.ExplainRefusal(appeal_id=appeal_id, note="In person"), "p")
    appeal = service.get_appeal(appeal_id)
    assert (appeal.status, appeal.outcome) == (Status.DECIDED, "partially_satisfied")


def test_grounds_for_refusing_admission_are_not_grounds_for_refusing_an_appeal(
    service: AppealsService,
) -> None:
    appeal_id = receive(service)
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "r")
    for admission_ground in service.rules.on(
        service.today()
    ).reception.gpo_admission_refusal_grounds:
        refused_and_nothing_recorded(
            service,
            appeal_id,
            InvalidCommand,
            "refusal-ground",
            lambda g=admission_ground: send(  # type: ignore[misc]
                service,
                commands.Decide(appeal_id=appeal_id, outcome="refused", reasons="r", ground=g),
                "p",
            ),
        )
