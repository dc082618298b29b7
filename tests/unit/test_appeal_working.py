"""Working an appeal (assignment, consultation, materials, redirection) and the check of an
expected version, through the application service on the library's in-memory store, with
Kazakhstan's working-day calendar and a fixed clock."""

from __future__ import annotations

from datetime import date

import pytest

from domain import commands
from domain.appeal import Appeal
from domain.appeal_terms import Status
from domain.errors import AlreadyAssigned, InvalidCommand, VersionConflict
from domain.service import AppealsService
from tests.support import SettableClock, send
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    receive,
    refused_and_nothing_recorded,
    service_fixture,  # noqa: F401
)


def test_assignment_to_a_competent_office_and_reassignment(service: AppealsService) -> None:
    appeal_id = receive(service)
    send(
        service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p1", office="REG-ALA"), "head"
    )
    send(
        service,
        commands.AssignAppeal(appeal_id=appeal_id, assignee="p2", office="DIS-ALA-MEDEU"),
        "head",
    )
    appeal = service.get_appeal(appeal_id)
    assert (appeal.assignee, appeal.office, appeal.status) == (
        "p2",
        "DIS-ALA-MEDEU",
        Status.IN_PROGRESS,
    )
    last = list(service.events.get(appeal_id))[-1]
    assert isinstance(last, Appeal.Assigned) and last.previous_assignee == "p1"
    # The registrar routes within their office; the appeal itself refuses an office that
    # is not the receiving one or below it, whoever asks.
    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        "office-out-of-scope",
        lambda: send(
            service,
            commands.AssignAppeal(appeal_id=appeal_id, assignee="p3", office="REG-AST"),
            "h",
        ),
    )
    with pytest.raises(InvalidCommand) as caught:
        service.get_appeal(appeal_id).assign(
            assignee="p3", office="REG-AST", actor="h", offices=service.offices
        )
    assert caught.value.rule == "office-not-competent"
    refused_and_nothing_recorded(
        service,
        appeal_id,
        AlreadyAssigned,
        None,
        lambda: send(
            service,
            commands.AssignAppeal(appeal_id=appeal_id, assignee="p2", office="DIS-ALA-MEDEU"),
            "h",
        ),
    )


def test_consultation_records_several_kinds_of_help(service: AppealsService) -> None:
    appeal_id = receive(service, channel="law_enforcement_center", office="GPO")
    send(
        service,
        commands.Consult(
            appeal_id=appeal_id,
            specialist_role="lawyer",
            specialist="Bar member 12",
            help=["legal_help", "drafting_help"],
            note=None,
        ),
        "reg",
    )
    send(
        service,
        commands.Consult(
            appeal_id=appeal_id,
            specialist_role="psychologist",
            specialist="Dr. S",
            help=["psychological_help"],
            note="calmer",
        ),
        "reg",
    )
    assert service.get_appeal(appeal_id).help_given == {
        "legal_help",
        "drafting_help",
        "psychological_help",
    }
    for bad in (
        {"specialist_role": "astrologer", "help": ["legal_help"]},
        {"specialist_role": "lawyer", "help": []},
        {"specialist_role": "lawyer", "help": ["legal_help", "legal_help"]},
        {"specialist_role": "lawyer", "help": ["fortune_telling"]},
    ):
        refused_and_nothing_recorded(
            service,
            appeal_id,
            InvalidCommand,
            None,
            lambda bad=bad: send(
                service,
                commands.Consult(appeal_id=appeal_id, specialist="x", note=None, **bad),
                "r",
            ),
        )


def test_applicant_adds_materials(service: AppealsService) -> None:
    appeal_id = receive(service)
    send(
        service,
        commands.AddMaterials(appeal_id=appeal_id, documents=["doc-1", "doc-2"], by_applicant=True),
        "r",
    )
    last = list(service.events.get(appeal_id))[-1]
    assert isinstance(last, Appeal.MaterialsAdded)
    # Stored sealed with the applicant's key, readable through the service.
    assert "doc-1" not in last.documents
    assert [service.reveal(d) for d in last.documents] == ["doc-1", "doc-2"]
    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        None,
        lambda: send(
            service,
            commands.AddMaterials(appeal_id=appeal_id, documents=[], by_applicant=True),
            "r",
        ),
    )


def test_redirect_within_three_working_days_is_on_time_and_later_is_late(
    service: AppealsService, clock: SettableClock
) -> None:
    on_time = receive(service)
    late = receive(service)
    # Thursday 19 March is the 3rd working day after Monday 16 March.
    clock.set_day(date(2026, 3, 19))
    send(
        service,
        commands.Redirect(
            appeal_id=on_time,
            agency="Ministry of Labour",
            egov_reference="EGOV-1",
            applicant_notified=True,
        ),
        "p",
    )
    # Thursday 26 March: Nowruz (21-25) does not count, so it is only the 5th working day.
    clock.set_day(date(2026, 3, 26))
    send(
        service,
        commands.Redirect(
            appeal_id=late,
            agency="Ministry of Labour",
            egov_reference="EGOV-2",
            applicant_notified=True,
        ),
        "p",
    )
    first = list(service.events.get(on_time))[-1]
    second = list(service.events.get(late))[-1]
    assert isinstance(first, Appeal.Redirected) and isinstance(second, Appeal.Redirected)
    assert (first.working_days_taken, first.late) == (3, False)
    assert (second.working_days_taken, second.late) == (5, True)
    third = receive(service)
    refused_and_nothing_recorded(
        service,
        third,
        InvalidCommand,
        "applicant-not-notified",
        lambda: send(
            service,
            commands.Redirect(
                appeal_id=third, agency="X", egov_reference=None, applicant_notified=False
            ),
            "p",
        ),
    )


def test_stale_expected_version_is_a_conflict(service: AppealsService) -> None:
    appeal_id = receive(service)
    send(
        service,
        commands.AssignAppeal(appeal_id=appeal_id, assignee="p1", office="REG-ALA"),
        "h",
        expected_version=1,
    )
    refused_and_nothing_recorded(
        service,
        appeal_id,
        VersionConflict,
        None,
        lambda: send(
            service,
            commands.AssignAppeal(appeal_id=appeal_id, assignee="p2", office="REG-ALA"),
            "h",
            expected_version=1,
        ),
    )
