"""The public event contract: every domain event maps to a schema-valid CloudEvent."""

from __future__ import annotations

import json

import pytest

from domain.appeal import Appeal
from domain.service import AppealsService
from infra.contract import (
    CONTRACT,
    ContractError,
    from_kafka_value,
    to_kafka_message,
    to_record,
    validate_envelope,
)


def all_event_classes() -> list[type]:
    # The library gives every aggregate class its own abstract Event and Created bases.
    bases = {Appeal.Event, Appeal.Created}
    return [
        value
        for value in vars(Appeal).values()
        if isinstance(value, type) and issubclass(value, Appeal.Event) and value not in bases
    ]


def test_every_appeal_event_has_a_public_mapping() -> None:
    assert set(all_event_classes()) <= set(CONTRACT)


@pytest.fixture
def published() -> list[tuple[bytes, bytes]]:
    service = AppealsService(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = service.receive_appeal(
        channel="personal_reception",
        office="GPO",
        summary="Personal details here",
        actor="reg1",
    )
    service.assign_appeal(outcome.appeal_id, assignee="p1", office="GPO", actor="head")
    out = []
    for n in service.recorder.select_notifications(start=1, limit=10):
        message = to_kafka_message(to_record(service.mapper.to_domain_event(n), n.id), "urn:t")
        key = message.key.encode() if isinstance(message.key, str) else message.key
        assert key is not None
        out.append((key, message.value))
    return out


def test_published_events_validate_and_round_trip(published: list[tuple[bytes, bytes]]) -> None:
    types = []
    for key, value in published:
        envelope = json.loads(value)
        validate_envelope(envelope)
        record = from_kafka_value(key, value)
        assert str(record.aggregate_id) == key.decode() == envelope["subject"]
        types.append(record.type)
    assert types == ["appeals.appeal.received", "appeals.appeal.assigned"]


def test_free_text_never_leaves_the_event_store(published: list[tuple[bytes, bytes]]) -> None:
    assert all(b"Personal details here" not in value for _, value in published)


def test_event_breaking_its_data_schema_is_rejected(published: list[tuple[bytes, bytes]]) -> None:
    key, value = published[0]
    envelope = json.loads(value)
    envelope["data"]["channel"] = "carrier pigeon"
    with pytest.raises(ContractError, match=r"data\.channel"):
        from_kafka_value(key, json.dumps(envelope).encode())
    with pytest.raises(ContractError):
        from_kafka_value(key, b"not json")
