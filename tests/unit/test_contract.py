"""The public event contract: every domain event maps to a schema-valid CloudEvent
that carries no personal data."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from domain.appeal import Appeal
from domain.appointment import Appointment
from domain.clock import KAZAKHSTAN
from domain.erasure import Erasure
from domain.instruction import Instruction
from domain.reception import ReceptionSchedule
from domain.service import AppealsService
from domain.staff import OfficeStaff
from infra.adapters.calendar import KazakhstanCalendar
from infra.adapters.clock import SetClock
from infra.contract.envelope import (
    CONTRACT,
    ContractError,
    from_kafka_value,
    to_kafka_message,
    to_record,
    validate_envelope,
)
from tests.support import IIN_A, every_kind_of_event


def event_classes(aggregate: type[Any]) -> set[type]:
    # The library gives every aggregate class its own abstract Event and Created bases.
    bases = {aggregate.Event, aggregate.Created}
    return {
        value
        for value in vars(aggregate).values()
        if isinstance(value, type) and issubclass(value, aggregate.Event) and value not in bases
    }


def appeal_event_classes() -> set[type]:
    return event_classes(Appeal)


def test_every_event_of_every_aggregate_has_a_public_mapping() -> None:
    aggregates = [Appeal, Appointment, ReceptionSchedule, Instruction, OfficeStaff, Erasure]
    every = set().union(*(event_classes(a) for a in aggregates))
    assert every == set(CONTRACT)


@pytest.fixture(scope="module")
def published() -> list[tuple[bytes, bytes]]:
    service = AppealsService(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        calendar=KazakhstanCalendar(),
        clock=SetClock(datetime(2026, 3, 2, 10, tzinfo=KAZAKHSTAN)),
    )
    every_kind_of_event(service)
    out = []
    for n in service.recorder.select_notifications(start=1, limit=1000):
        message = to_kafka_message(to_record(service.mapper.to_domain_event(n), n.id), "urn:t")
        key = message.key.encode() if isinstance(message.key, str) else message.key
        assert key is not None
        out.append((key, message.value))
    return out


def test_every_event_type_is_published_valid_and_round_trips(
    published: list[tuple[bytes, bytes]],
) -> None:
    types = set()
    for key, value in published:
        envelope = json.loads(value)
        validate_envelope(envelope)
        record = from_kafka_value(key, value)
        assert str(record.aggregate_id) == key.decode() == envelope["subject"]
        types.add(record.type)
    expected = {CONTRACT[cls].type for cls in appeal_event_classes()}
    assert types == expected


def test_no_personal_data_or_free_text_is_published(published: list[tuple[bytes, bytes]]) -> None:
    for _, value in published:
        for secret in (
            IIN_A.encode(),
            b"Aigerim",
            b"+7 700",
            b"No reply to my complaint",
            b"Explained in person",
            b"Expert opinion",
            b"doc-1",
        ):
            assert secret not in value


def test_event_breaking_its_data_schema_is_rejected(published: list[tuple[bytes, bytes]]) -> None:
    key, value = published[0]
    envelope = json.loads(value)
    envelope["data"]["channel"] = "carrier pigeon"
    with pytest.raises(ContractError, match=r"data\.channel"):
        from_kafka_value(key, json.dumps(envelope).encode())
    envelope = json.loads(value)
    envelope["data"]["applicant_name"] = "Leaked"
    with pytest.raises(ContractError, match="applicant_name"):
        from_kafka_value(key, json.dumps(envelope).encode())
    with pytest.raises(ContractError):
        from_kafka_value(key, b"not json")


def test_a_decoded_message_is_the_record_that_was_published() -> None:
    service = AppealsService(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        calendar=KazakhstanCalendar(),
        clock=SetClock(datetime(2026, 3, 2, 10, tzinfo=KAZAKHSTAN)),
    )
    every_kind_of_event(service)
    notifications = service.recorder.select_notifications(start=1, limit=1000)
    assert notifications
    for n in notifications:
        record = to_record(service.mapper.to_domain_event(n), n.id)
        message = to_kafka_message(record, "urn:t")
        assert from_kafka_value(str(record.aggregate_id).encode(), message.value) == record


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"time": "2026-03-02T10:00:00"}, "time"),  # no offset: not an RFC 3339 date-time
        ({"time": "2026-13-02T10:00:00Z"}, "time"),
        ({"aggregateversion": "1"}, "aggregateversion"),
        ({"position": 0}, "position"),
        ({"subject": "not-a-uuid"}, "subject"),
        ({"effectivedate": "02.03.2026"}, "effectivedate"),
        ({"specversion": "0.3"}, "specversion"),
        ({"surprise": "extra"}, "surprise"),
    ],
)
def test_an_envelope_breaking_its_schema_is_refused_naming_the_attribute(
    published: list[tuple[bytes, bytes]], change: dict[str, Any], named: str
) -> None:
    key, value = published[0]
    envelope = {**json.loads(value), **change}
    with pytest.raises(ContractError, match=named):
        from_kafka_value(key, json.dumps(envelope).encode())


def test_an_envelope_missing_an_attribute_is_refused(published: list[tuple[bytes, bytes]]) -> None:
    key, value = published[0]
    for attribute in ("id", "time", "subject", "position", "data"):
        envelope = json.loads(value)
        del envelope[attribute]
        with pytest.raises(ContractError, match=attribute):
            from_kafka_value(key, json.dumps(envelope).encode())


def test_lower_case_rfc3339_separators_are_read(published: list[tuple[bytes, bytes]]) -> None:
    key, value = published[0]
    envelope = json.loads(value)
    envelope["time"] = "2026-03-02t05:00:00z"
    record = from_kafka_value(key, json.dumps(envelope).encode())
    assert record.time == datetime(2026, 3, 2, 10, tzinfo=KAZAKHSTAN)
