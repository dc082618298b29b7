"""The Appeal aggregate and the application service, on the library's in-memory store."""

from __future__ import annotations

import pytest

from domain.appeal import Appeal
from domain.errors import (
    AlreadyAssigned,
    AppealNotFound,
    IdempotencyKeyReused,
    InvalidCommand,
    VersionConflict,
)
from domain.service import AppealsService


@pytest.fixture
def service() -> AppealsService:
    return AppealsService(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def receive(service: AppealsService, **overrides: str) -> object:
    values = {"channel": "written", "office": "KZ-ALM", "summary": "No reply", "actor": "reg1"}
    values.update(overrides)
    return service.receive_appeal(**values)  # type: ignore[arg-type]


def events_of(service: AppealsService, appeal_id: object) -> list[object]:
    return list(service.events.get(appeal_id))  # type: ignore[arg-type]


def test_received_appeal_records_channel_office_and_actor(service: AppealsService) -> None:
    outcome = receive(service)
    appeal = service.get_appeal(outcome.appeal_id)  # type: ignore[attr-defined]
    assert (appeal.channel, appeal.office, appeal.received_by) == ("written", "KZ-ALM", "reg1")
    assert appeal.assignee is None
    [received] = events_of(service, appeal.id)
    assert isinstance(received, Appeal.Received)
    assert received.actor == "reg1"


@pytest.mark.parametrize(
    ("field", "value"),
    [("channel", "fax"), ("office", " "), ("summary", ""), ("actor", ""), ("summary", "x" * 4001)],
)
def test_invalid_input_is_refused_and_records_nothing(
    service: AppealsService, field: str, value: str
) -> None:
    with pytest.raises(InvalidCommand) as refused:
        receive(service, **{field: value})
    assert refused.value.field == field
    assert service.recorder.max_notification_id() in (None, 0)


def test_assignment_records_assignee_office_and_actor(service: AppealsService) -> None:
    outcome = receive(service)
    after = service.assign_appeal(
        outcome.appeal_id,
        assignee="pros-7",
        office="KZ-ALM-02",
        actor="head1",  # type: ignore[attr-defined]
    )
    assert after.version == 2
    appeal = service.get_appeal(after.appeal_id)
    assert (appeal.assignee, appeal.office) == ("pros-7", "KZ-ALM-02")
    assigned = events_of(service, appeal.id)[-1]
    assert isinstance(assigned, Appeal.Assigned)
    assert assigned.actor == "head1"


def test_assigning_the_same_prosecutor_twice_is_refused(service: AppealsService) -> None:
    appeal_id = receive(service).appeal_id  # type: ignore[attr-defined]
    service.assign_appeal(appeal_id, assignee="p1", office="KZ-ALM", actor="head1")
    with pytest.raises(AlreadyAssigned):
        service.assign_appeal(appeal_id, assignee="p1", office="KZ-ALM", actor="head1")
    assert len(events_of(service, appeal_id)) == 2


def test_stale_expected_version_is_a_conflict(service: AppealsService) -> None:
    appeal_id = receive(service).appeal_id  # type: ignore[attr-defined]
    service.assign_appeal(appeal_id, assignee="p1", office="KZ-ALM", actor="h", expected_version=1)
    with pytest.raises(VersionConflict):
        service.assign_appeal(
            appeal_id, assignee="p2", office="KZ-ALM", actor="h", expected_version=1
        )
    assert service.get_appeal(appeal_id).assignee == "p1"


def test_retry_with_same_idempotency_key_creates_nothing_new(service: AppealsService) -> None:
    first = receive(service, idempotency_key="req-1")
    again = receive(service, idempotency_key="req-1")
    assert again.appeal_id == first.appeal_id  # type: ignore[attr-defined]
    assert again.created is False  # type: ignore[attr-defined]
    assert service.recorder.max_notification_id() == 1
    other = receive(service, idempotency_key="req-2")
    assert other.appeal_id != first.appeal_id  # type: ignore[attr-defined]


def test_idempotency_key_reused_for_another_appeal_is_refused(service: AppealsService) -> None:
    receive(service, idempotency_key="req-1")
    with pytest.raises(IdempotencyKeyReused):
        receive(service, idempotency_key="req-1", summary="Something else")
    assert service.recorder.max_notification_id() == 1


def test_unknown_appeal_is_not_found(service: AppealsService) -> None:
    from uuid import uuid4

    with pytest.raises(AppealNotFound):
        service.get_appeal(uuid4())
