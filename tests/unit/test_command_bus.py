"""The command bus does the same for every command: the caller's role, the offices the
command names, the office the caller acts for, visibility, If-Match, idempotency and
the access log. Run on the in-memory event store with a hand-written log."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.access import OfficeNotYours, OfficeOutOfScope, Principal, Role, RoleMayNot
from domain.commands import (
    AppealCommand,
    AssignAppeal,
    CloseAppeal,
    Command,
    Outcome,
    ReceiveAppeal,
    RequestCaseFile,
)
from domain.commands.appeal_handlers import HANDLERS
from domain.errors import AppealNotFound, DomainError, VersionConflict
from domain.service import AppealsService
from infra.adapters.calendar import KazakhstanCalendar
from tests.support import new_appeal


class RecordingLog:
    """A CommandLog that keeps what it was told."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str, Any]] = []

    def handled(self, caller: Principal, command: Command, outcome: Outcome) -> None:
        self.entries.append(("handled", caller.sub, type(command).__name__, outcome.version))

    def refused(self, caller: Principal, command: Command, error: Exception) -> None:
        rule = error.rule if isinstance(error, DomainError) else type(error).__name__
        self.entries.append(("refused", caller.sub, type(command).__name__, rule))


def at(role: Role, office: str, sub: str = "u") -> Principal:
    return Principal(sub=sub, role=role, office=office)


GPO_HEAD = at(Role.SUPERVISOR, "GPO", "head.gpo")
ALMATY_REGISTRAR = at(Role.REGISTRAR, "REG-ALA", "reg.ala")


@pytest.fixture
def log() -> RecordingLog:
    return RecordingLog()


@pytest.fixture
def service(log: RecordingLog) -> AppealsService:
    return AppealsService(
        calendar=KazakhstanCalendar(),
        clock=lambda: datetime(2026, 3, 16, 6, 0, tzinfo=UTC),
        command_log=log,
    )


def recorded(service: AppealsService) -> int:
    return service.recorder.max_notification_id() or 0


def refused(service: AppealsService, error: type[Exception], send: Any) -> DomainError:
    before = recorded(service)
    with pytest.raises(error) as caught:
        send()
    assert recorded(service) == before, "a refused command records nothing"
    assert isinstance(caught.value, DomainError)
    return caught.value


def test_every_appeal_command_has_a_handler_and_declares_what_it_needs() -> None:
    commands = {c for c in _subclasses(AppealCommand)}
    assert commands == set(HANDLERS)
    assert all(c.needs for c in [*commands, ReceiveAppeal])


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_a_role_without_the_permission_is_refused_and_logged(
    service: AppealsService, log: RecordingLog
) -> None:
    auditor = at(Role.AUDITOR, "GPO", "aud.1")
    refused(service, RoleMayNot, lambda: service.bus.send(new_appeal(), auditor))
    assert log.entries == [("refused", "aud.1", "ReceiveAppeal", "forbidden")]


def test_an_office_outside_the_callers_is_refused(service: AppealsService) -> None:
    refused(
        service,
        OfficeOutOfScope,
        lambda: service.bus.send(new_appeal(office="REG-AST"), ALMATY_REGISTRAR),
    )
    appeal_id = service.bus.send(new_appeal(office="REG-ALA"), ALMATY_REGISTRAR).appeal_id
    head = at(Role.SUPERVISOR, "REG-ALA", "head.ala")
    error = refused(
        service,
        OfficeOutOfScope,
        lambda: service.bus.send(
            AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-AST"), head
        ),
    )
    assert error.field == "office"


def test_an_appeal_the_caller_may_not_see_is_not_found(service: AppealsService) -> None:
    appeal_id = service.bus.send(new_appeal(office="REG-ALA"), ALMATY_REGISTRAR).appeal_id
    astana = at(Role.SUPERVISOR, "REG-AST", "head.ast")
    refused(
        service,
        AppealNotFound,
        lambda: service.bus.send(
            AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-AST"), astana
        ),
    )


def test_the_acting_office_is_the_callers_own(service: AppealsService, log: RecordingLog) -> None:
    appeal_id = service.bus.send(new_appeal(office="DIS-ALA-MEDEU"), GPO_HEAD).appeal_id
    regional = at(Role.SUPERVISOR, "REG-ALA", "head.ala")
    refused(
        service,
        OfficeNotYours,
        lambda: service.bus.send(
            RequestCaseFile(appeal_id=appeal_id, case_ref="C-1", requesting_office="GPO"),
            regional,
        ),
    )
    outcome = service.bus.send(RequestCaseFile(appeal_id=appeal_id, case_ref="C-1"), regional)
    requests = service.get_appeal(appeal_id).case_file_requests
    assert requests[outcome.result]["requesting_office"] == "REG-ALA"


def test_if_match_must_name_the_current_version(service: AppealsService, log: RecordingLog) -> None:
    appeal_id = service.bus.send(new_appeal(), GPO_HEAD).appeal_id
    assign = AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA")
    registrar = ALMATY_REGISTRAR
    refused(
        service, VersionConflict, lambda: service.bus.send(assign, registrar, expected_version=2)
    )
    outcome = service.bus.send(assign, registrar, expected_version=1)
    assert (outcome.version, outcome.created) == (2, False)
    assert log.entries[-2:] == [
        ("refused", "reg.ala", "AssignAppeal", "version-conflict"),
        ("handled", "reg.ala", "AssignAppeal", 2),
    ]


def test_a_retried_receipt_with_the_same_key_creates_nothing(service: AppealsService) -> None:
    first = service.bus.send(new_appeal(), GPO_HEAD, idempotency_key="k-1")
    again = service.bus.send(new_appeal(), GPO_HEAD, idempotency_key="k-1")
    assert (again.appeal_id, again.created, again.position) == (first.appeal_id, False, None)


def test_commands_are_values(service: AppealsService) -> None:
    close = CloseAppeal(appeal_id=service.bus.send(new_appeal(), GPO_HEAD).appeal_id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        close.appeal_id = close.appeal_id  # type: ignore[misc]
