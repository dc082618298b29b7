"""Oversight of an appeal by higher offices (case files, reviews of decisions), through the
application service on the library's in-memory store, with Kazakhstan's working-day calendar
and a fixed clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain import commands
from domain.errors import AppealNotFound, ConflictError, NotPermitted
from domain.service import AppealsService
from tests.support import SettableClock, send, staff
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    receive,
    refused_and_nothing_recorded,
    service_fixture,  # noqa: F401
)


def test_case_file_demanded_by_a_higher_office_and_received(service: AppealsService) -> None:
    appeal_id = receive(service, office="DIS-ALA-MEDEU")
    # The office holding the appeal is not above itself: the step is not its to take.
    refused_and_nothing_recorded(
        service,
        appeal_id,
        NotPermitted,
        "higher-office-only",
        lambda: service.bus.send(
            commands.RequestCaseFile(
                appeal_id=appeal_id, requesting_office="DIS-ALA-MEDEU", case_ref="CASE-1"
            ),
            staff("s", "DIS-ALA-MEDEU"),
        ),
    )
    # Another region does not even see the appeal: refused as if it did not exist.
    refused_and_nothing_recorded(
        service,
        appeal_id,
        AppealNotFound,
        "appeal-not-found",
        lambda: service.bus.send(
            commands.RequestCaseFile(
                appeal_id=appeal_id, requesting_office="REG-AST", case_ref="CASE-1"
            ),
            staff("s", "REG-AST"),
        ),
    )
    request_id = service.bus.send(
        commands.RequestCaseFile(
            appeal_id=appeal_id, requesting_office="REG-ALA", case_ref="CASE-1"
        ),
        staff("s", "REG-ALA"),
    ).result
    # Only the office that demanded the file records its receipt.
    refused_and_nothing_recorded(
        service,
        appeal_id,
        NotPermitted,
        "requesting-office-only",
        lambda: service.bus.send(
            commands.ReceiveCaseFile(appeal_id=appeal_id, request_id=request_id),
            staff("s", "GPO"),
        ),
    )
    send(service, commands.ReceiveCaseFile(appeal_id=appeal_id, request_id=request_id), "s")
    assert service.get_appeal(appeal_id).case_file_requests[request_id]["received"] is True
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "file-already-received",
        lambda: send(
            service, commands.ReceiveCaseFile(appeal_id=appeal_id, request_id=request_id), "s"
        ),
    )


@pytest.mark.parametrize(
    ("reviewing", "decided_by", "refusal"),
    [
        ("REG-ALA", "DIS-ALA-MEDEU", None),
        ("GPO", "DIS-ALA-MEDEU", None),
        ("GPO", "REG-TRN", None),
        ("DIS-ALA-MEDEU", "DIS-ALA-MEDEU", "office-above-the-decider-only"),  # own office
        ("REG-ALA", "REG-ALA", "office-above-the-decider-only"),  # own office, higher up
        ("REG-AST", "DIS-ALA-MEDEU", "appeal-not-found"),  # another region does not see it
    ],
)
def test_only_an_office_above_the_decider_on_record_reviews(
    service: AppealsService, reviewing: str, decided_by: str, refusal: str | None
) -> None:
    appeal_id = receive(service, office=decided_by)
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office=decided_by), "r")
    send(service, commands.Decide(appeal_id=appeal_id, outcome="explained", reasons="r"), "p")

    def review() -> Any:
        return service.bus.send(
            commands.ReviewDecision(
                appeal_id=appeal_id,
                reviewing_office=reviewing,
                decision_ref="Refusal to open a case, 2026-02-01",
                result="overturned",
                reasons="Evidence ignored",
            ),
            staff("supervisor", reviewing),
        )

    if refusal is None:
        review()
        reviewed = list(service.events.get(appeal_id))[-1]
        assert type(reviewed).__name__ == "DecisionReviewed"
        assert reviewed.decided_by_office == decided_by  # type: ignore[attr-defined]
    else:
        kind = AppealNotFound if refusal == "appeal-not-found" else NotPermitted
        refused_and_nothing_recorded(service, appeal_id, kind, refusal, review)


def test_nothing_is_reviewed_before_a_decision(service: AppealsService) -> None:
    appeal_id = receive(service, office="DIS-ALA-MEDEU")
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "nothing-decided",
        lambda: service.bus.send(
            commands.ReviewDecision(
                appeal_id=appeal_id,
                reviewing_office="REG-ALA",
                decision_ref="d",
                result="upheld",
                reasons="r",
            ),
            staff("supervisor", "REG-ALA"),
        ),
    )


def test_a_deemed_refusal_is_the_holding_offices_decision_for_review(
    service: AppealsService, clock: SettableClock
) -> None:
    appeal_id = receive(service, office="DIS-ALA-MEDEU")
    clock.set_day(service.get_appeal(appeal_id).due_on + timedelta(days=3))
    assert service.deem_refused_if_overdue([appeal_id]) == 1
    assert service.get_appeal(appeal_id).decided_by_office == "DIS-ALA-MEDEU"


def test_a_gpo_department_demands_a_file_and_the_file_moves_with_it(
    service: AppealsService,
) -> None:
    appeal_id = receive(service, office="DIS-ALA-MEDEU")
    demand = commands.RequestCaseFile(
        appeal_id=appeal_id, requesting_office="REG-ALA", case_ref="CASE-1"
    )
    first = service.bus.send(demand, staff("s", "REG-ALA")).result
    service.bus.send(
        commands.ReceiveCaseFile(appeal_id=appeal_id, request_id=first), staff("s", "REG-ALA")
    )
    assert service.get_appeal(appeal_id).file_holder == "REG-ALA"
    # The file is now at the regional office: the district is no longer its holder, and
    # a department of the GPO (above every regional office) demands it from there.
    again = commands.RequestCaseFile(
        appeal_id=appeal_id, requesting_office="GPO-DEP-APPEALS", case_ref="CASE-1"
    )
    second = service.bus.send(again, staff("d", "GPO-DEP-APPEALS")).result
    assert service.get_appeal(appeal_id).case_file_requests[second]["holding_office"] == "REG-ALA"
    # The regional office cannot demand what it holds.
    refused_and_nothing_recorded(
        service,
        appeal_id,
        NotPermitted,
        "higher-office-only",
        lambda: service.bus.send(
            commands.RequestCaseFile(
                appeal_id=appeal_id, requesting_office="REG-ALA", case_ref="CASE-2"
            ),
            staff("s", "REG-ALA"),
        ),
    )
