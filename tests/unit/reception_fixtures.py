"""Fixtures and helpers shared by the reception tests (tests/unit/test_reception_*.py): the
service on the library's in-memory store with a fixed clock and a calendar of weekends only,
approved schedules of each level and bookings; test modules import the fixtures by name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from api.problems import status_of
from domain import commands
from domain.commands.base import ReceptionOutcome
from domain.errors import DomainError
from domain.offices import OfficeDirectory
from domain.reception_service import ReceptionService
from domain.rules import RuleBook
from domain.service import AppealsService
from tests.support import SettableClock, staff

KZ = timezone(timedelta(hours=5))
START = datetime(2025, 1, 10, 12, 0, tzinfo=KZ)


def at(day: str, hh_mm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hh_mm}:00+05:00")


class WeekendsOnly:
    """A calendar without public holidays: these tests are about reception, not holidays."""

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5


@pytest.fixture(name="app")
def app_fixture(clock: SettableClock) -> AppealsService:
    return AppealsService(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, calendar=WeekendsOnly(), clock=clock
    )


@pytest.fixture(name="clock")
def clock_fixture() -> SettableClock:
    return SettableClock(START)


@pytest.fixture(name="reception")
def reception_fixture(app: AppealsService, clock: SettableClock) -> ReceptionService:
    service = ReceptionService(
        app, OfficeDirectory.default(), RuleBook.default(), clock, WeekendsOnly()
    )
    app.bus.reception = service
    return service


def recorded(app: AppealsService) -> int:
    return app.recorder.max_notification_id() or 0


def refused(
    app: AppealsService, rule: str, command: Callable[[], object], status: int = 422
) -> DomainError:
    """Run ``command``, expect it refused on ``rule``, and check nothing was recorded."""
    before = recorded(app)
    with pytest.raises(DomainError) as caught:
        command()
    assert (caught.value.rule, status_of(caught.value)[0]) == (rule, status), caught.value.detail
    assert recorded(app) == before
    return caught.value


GPO_SESSIONS = [
    (at("2025-02-14", "10:00"), at("2025-02-14", "12:00")),
    (at("2025-03-14", "10:00"), at("2025-03-14", "12:00")),
]
REGIONAL_SESSIONS = [
    (at("2025-02-05", "15:00"), at("2025-02-05", "17:00")),
    (at("2025-02-12", "15:00"), at("2025-02-12", "17:00")),
]
STAFF_SESSIONS = [(at(f"2025-02-0{d}", "09:00"), at(f"2025-02-0{d}", "18:30")) for d in range(3, 8)]


def gpo_schedule(reception: ReceptionService, **overrides: Any) -> ReceptionOutcome:
    values: dict[str, Any] = {
        "office": "GPO",
        "official": "gpo.deputy.1",
        "role": "deputy_prosecutor_general",
        "kind": "by_appointment",
        "period_from": date(2025, 2, 1),
        "period_to": date(2025, 3, 31),
        "sessions": GPO_SESSIONS,
        "actor": "gpo.secretariat",
    }
    values.update(overrides)
    actor = values.pop("actor")
    return reception.app.bus.send(commands.ApproveSchedule(**values), staff(actor))


def regional_schedule(reception: ReceptionService, **overrides: Any) -> ReceptionOutcome:
    values: dict[str, Any] = {
        "office": "REG-AST",
        "official": "ast.prosecutor",
        "role": "regional_prosecutor",
        "kind": "by_appointment",
        "period_from": date(2025, 2, 3),
        "period_to": date(2025, 2, 16),
        "sessions": REGIONAL_SESSIONS,
        "actor": "ast.office",
    }
    values.update(overrides)
    actor = values.pop("actor")
    return reception.app.bus.send(commands.ApproveSchedule(**values), staff(actor))


def staff_schedule(reception: ReceptionService, **overrides: Any) -> ReceptionOutcome:
    values: dict[str, Any] = {
        "office": "DIS-AST-YESIL",
        "official": "yesil.staff.1",
        "role": "staff",
        "kind": "daily_without_appointment",
        "period_from": date(2025, 2, 3),
        "period_to": date(2025, 2, 9),
        "sessions": STAFF_SESSIONS,
        "actor": "yesil.head",
    }
    values.update(overrides)
    actor = values.pop("actor")
    return reception.app.bus.send(commands.ApproveSchedule(**values), staff(actor))


def book(
    reception: ReceptionService, schedule_id: UUID, starts_at: datetime, **overrides: Any
) -> ReceptionOutcome:
    values: dict[str, Any] = {
        "schedule_id": schedule_id,
        "starts_at": starts_at,
        "applicant_ref": "applicant-7f3a",
        "channel": "call_centre_115",
        "matter": "Inaction of the investigator in case 123",
        "matter_area": "pretrial_investigation",
        "actor": "cc115.operator.4",
    }
    values.update(overrides)
    actor = values.pop("actor")
    return reception.app.bus.send(commands.BookAppointment(**values), staff(actor))
