"""Erasure as a governed act (domain.erasure, domain.erasure_service): an administrator
over every office holding the person's appeals requests it on a legal ground, a second
administrator approves it, and only then is the person's key destroyed."""

from __future__ import annotations

from typing import Any

import pytest

from api.problems import status_of
from domain import commands
from domain.access import Principal, Role
from domain.erasure import Erasure, ErasureStatus
from domain.erasure_service import ErasureService
from domain.errors import DomainError
from domain.service import AppealsService
from tests.support import IIN_A
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    receive,
    service_fixture,  # noqa: F401
)


class Holding:
    """Which offices hold each person's appeals: the register, as a dict."""

    def __init__(self) -> None:
        self.by_ref: dict[str, list[str]] = {}

    def offices_of(self, applicant_ref: str) -> list[str]:
        return self.by_ref.get(applicant_ref, [])


def admin(sub: str, office: str = "GPO") -> Principal:
    return Principal(sub=sub, role=Role.ADMINISTRATOR, office=office)


@pytest.fixture(name="erasures")
def erasures_fixture(service: AppealsService) -> ErasureService:
    erasures = ErasureService(service, service.applicants, service.offices, Holding())
    service.bus.erasures = erasures
    return erasures


def person(service: AppealsService, erasures: ErasureService, *offices: str) -> str:
    ref = service.get_appeal(receive(service)).applicant_ref
    assert ref is not None
    erasures.holding.by_ref[ref] = list(offices)  # type: ignore[attr-defined]
    return ref


def refused(service: AppealsService, rule: str, status: int, send: Any) -> DomainError:
    before = service.recorder.max_notification_id()
    with pytest.raises(DomainError) as caught:
        send()
    assert (caught.value.rule, status_of(caught.value)[0]) == (rule, status), caught.value
    assert service.recorder.max_notification_id() == before
    return caught.value


def test_requested_then_approved_by_another_administrator_then_executed(
    service: AppealsService, erasures: ErasureService
) -> None:
    ref = person(service, erasures, "REG-ALA")
    request = commands.RequestErasure(applicant_ref=ref, ground="court_decision")
    asked = service.bus.send(request, admin("hr.ala.1", "REG-ALA"))
    assert service.applicants.lookup(ref) is not None  # nothing destroyed yet
    approve = commands.ApproveErasure(erasure_id=asked.id)
    refused(
        service, "four-eyes", 403, lambda: service.bus.send(approve, admin("hr.ala.1", "REG-ALA"))
    )
    service.bus.send(approve, admin("hr.gpo.2"))
    assert service.applicants.lookup(ref) is None
    erasure = erasures.get(asked.id, admin("auditor.gpo"))
    assert (erasure.status, erasure.requested_by, erasure.approved_by) == (
        ErasureStatus.EXECUTED,
        "hr.ala.1",
        "hr.gpo.2",
    )
    events = list(service.events.get(asked.id))
    assert [type(e).__name__ for e in events] == ["Requested", "Approved", "Executed"]
    # The trail carries the pseudonymous reference and no personal data.
    assert isinstance(events[0], Erasure.Requested)
    assert (events[0].applicant_ref, events[0].offices, events[0].ground) == (
        ref,
        ["REG-ALA"],
        "court_decision",
    )
    assert IIN_A not in repr(events) and "Aigerim" not in repr(events)
    refused(service, "erasure-executed", 409, lambda: service.bus.send(approve, admin("hr.3")))


def test_only_an_administrator_over_every_office_holding_the_appeals(
    service: AppealsService, erasures: ErasureService
) -> None:
    ref = person(service, erasures, "DIS-ALA-MEDEU", "REG-AST")

    def ask(caller: Principal) -> Any:
        request = commands.RequestErasure(applicant_ref=ref, ground="purpose_achieved")
        return lambda: service.bus.send(request, caller)

    # Another region sees none of the person's appeals: not found, as an unknown person.
    refused(service, "applicant-not-found", 404, ask(admin("hr.zha", "REG-ZHA")))
    # A district administrator over one of them only: refused, naming the others.
    error = refused(service, "erasure-out-of-scope", 403, ask(admin("hr.medeu", "DIS-ALA-MEDEU")))
    assert "REG-AST" in error.detail
    refused(service, "erasure-out-of-scope", 403, ask(admin("hr.ala", "REG-ALA")))
    # Roles other than the administrator's never erase.
    supervisor = Principal(sub="head", role=Role.SUPERVISOR, office="GPO")
    refused(service, "forbidden", 403, ask(supervisor))
    ask(admin("hr.gpo"))()


def test_a_person_without_appeals_on_record_is_the_gpos_and_unknown_ones_are_not_found(
    service: AppealsService, erasures: ErasureService
) -> None:
    ref = person(service, erasures)  # the register does not show their appeal (yet)

    def ask(ref: str, caller: Principal, ground: str = "storage_term_expired") -> Any:
        request = commands.RequestErasure(applicant_ref=ref, ground=ground)
        return lambda: service.bus.send(request, caller)

    refused(service, "erasure-out-of-scope", 403, ask(ref, admin("hr.ala", "REG-ALA")))
    refused(service, "applicant-not-found", 404, ask("appl-nobodyxxxxxxxxxxxxx", admin("hr")))
    refused(service, "erasure-ground", 422, ask(ref, admin("hr"), "because"))
    ask(ref, admin("hr"))()


def test_an_approval_of_another_regions_request_is_not_found(
    service: AppealsService, erasures: ErasureService
) -> None:
    ref = person(service, erasures, "REG-AST")
    asked = service.bus.send(
        commands.RequestErasure(applicant_ref=ref, ground="purpose_achieved"),
        admin("hr.ast", "REG-AST"),
    )
    approve = commands.ApproveErasure(erasure_id=asked.id)
    refused(
        service,
        "erasure-not-found",
        404,
        lambda: service.bus.send(approve, admin("hr.ala", "REG-ALA")),
    )
    assert erasures.visible(admin("hr.ala", "REG-ALA")) == []
    assert [e.id for e in erasures.visible(admin("auditor"))] == [asked.id]
