"""Fixtures and helpers shared by the Appeal's example-based rule tests: the application
service on the library's in-memory store, with Kazakhstan's working-day calendar and a fixed
clock; test modules import the fixtures by name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from domain.applicants import InMemoryApplicants
from domain.errors import DomainError
from domain.service import AppealsService
from infra.adapters.calendar import KazakhstanCalendar
from tests.support import SettableClock, new_appeal, staff


@pytest.fixture(name="clock")
def clock_fixture() -> SettableClock:
    # Monday 16 March 2026, just before the Nowruz holidays (21-25 March).
    return SettableClock(datetime(2026, 3, 16, 6, 0, tzinfo=UTC))


@pytest.fixture(name="service")
def service_fixture(clock: SettableClock) -> AppealsService:
    return AppealsService(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        calendar=KazakhstanCalendar(),
        applicants=InMemoryApplicants(),
        clock=clock,
    )


def receive(service: AppealsService, **overrides: Any) -> UUID:
    key = overrides.pop("idempotency_key", None)
    return service.bus.send(new_appeal(**overrides), staff("reg1"), idempotency_key=key).appeal_id


def event_types(service: AppealsService, appeal_id: UUID) -> list[str]:
    return [type(e).__name__ for e in service.events.get(appeal_id)]


def refused_and_nothing_recorded(
    service: AppealsService,
    appeal_id: UUID | None,
    error: type[DomainError],
    rule: str | None,
    command: Callable[[], Any],
) -> DomainError:
    before = service.recorder.max_notification_id()
    with pytest.raises(error) as caught:
        command()
    if rule is not None:
        assert caught.value.rule == rule
    assert service.recorder.max_notification_id() == before
    return caught.value
