"""The public event contract: domain events as CloudEvents 1.0 on Kafka.

Regional offices and other agencies consume these, so the mapping is explicit per
event class and each type's data has a model (``infra/contract/models``) that generates
its JSON Schema in ``infra/contract/schemas`` and checks what consumers decode. A change
to published data means a new schema version, never an edit in place.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any
from uuid import UUID

from cloudevents.core.bindings.kafka import KafkaMessage, from_structured, to_structured
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

from infra.contract.events import CONTRACT, PublicType
from infra.contract.models import DATA_MODELS
from projections.records import EventRecord

_FORMAT = JSONFormat()


class ContractError(ValueError):
    """An event does not satisfy the published contract."""


def to_record(domain_event: Any, position: int) -> EventRecord:
    """The public form of a stored domain event."""
    try:
        public = CONTRACT[type(domain_event)]
    except KeyError:
        raise ContractError(f"{type(domain_event).__qualname__} has no public mapping") from None
    aggregate_id: UUID = domain_event.originator_id
    version: int = domain_event.originator_version
    return EventRecord(
        event_id=f"{aggregate_id}/{version}",
        type=public.type,
        aggregate_id=aggregate_id,
        version=version,
        position=position,
        time=domain_event.timestamp,
        actor=domain_event.actor,
        office=public.office_of(domain_event),
        data=public.to_data(domain_event),
        effective_on=getattr(domain_event, "effective_on", None),
    )


def _public_type(type_name: str) -> PublicType:
    for public in CONTRACT.values():
        if public.type == type_name:
            return public
    raise ContractError(f"unknown event type {type_name!r}")


def to_cloudevent(record: EventRecord, source: str) -> CloudEvent:
    public = _public_type(record.type)
    return CloudEvent(
        {
            "id": record.event_id,
            "source": source,
            "type": record.type,
            "time": record.time,
            "subject": str(record.aggregate_id),
            "dataschema": public.dataschema,
            "datacontenttype": "application/json",
            "aggregateversion": record.version,
            "position": record.position,
            "actor": record.actor,
            "office": record.office,
            "partitionkey": str(record.aggregate_id),
            **(
                {"effectivedate": record.effective_on.isoformat()}
                if record.effective_on is not None
                else {}
            ),
        },
        record.data,
    )


def to_kafka_message(record: EventRecord, source: str) -> KafkaMessage:
    """Structured-mode message keyed by aggregate id, so one appeal stays in one partition."""
    return to_structured(to_cloudevent(record, source), _FORMAT)


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("infra.contract").joinpath("schemas", name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _envelope_validator() -> Draft202012Validator:
    """Built once: building it for every message cost the consumer more than decoding."""
    return Draft202012Validator(load_schema("cloudevent.v1.json"), format_checker=FormatChecker())


def validate_envelope(envelope: dict[str, Any]) -> None:
    """Check a CloudEvent (as JSON) against the envelope and its data schema."""
    errors = [
        f"{e.json_path.removeprefix('$.')}: {e.message}"
        for e in _envelope_validator().iter_errors(envelope)
    ]
    if not errors:
        errors = data_errors(str(envelope["dataschema"]), envelope["data"])
    if errors:
        raise ContractError("; ".join(errors))


def data_errors(dataschema: str, data: Any) -> list[str]:
    """What is wrong with ``data`` by the model of its schema (the model generated the
    published schema, so they cannot disagree). JSON types are taken strictly: a
    boolean is ``true``, not ``"true"``."""
    try:
        _, _, _, name, version = dataschema.split(":")
        model = DATA_MODELS[(name, int(version))]
    except (ValueError, KeyError):
        raise ContractError(f"unknown dataschema {dataschema!r}") from None
    try:
        model.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as exc:
        return [".".join(["data", *map(str, e["loc"])]) + f": {e['msg']}" for e in exc.errors()]
    return []


def from_kafka_value(key: bytes | None, value: bytes) -> EventRecord:
    """Decode and validate one structured-mode message from the topic."""
    try:
        envelope = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContractError(f"not a JSON CloudEvent: {exc}") from exc
    if not isinstance(envelope, dict):
        raise ContractError("not a JSON CloudEvent: the value is not an object")
    validate_envelope(envelope)
    event = from_structured(KafkaMessage(headers={}, key=key, value=value), _FORMAT)
    time = event.get_time()
    assert isinstance(time, datetime)
    effective = event.get_extension("effectivedate")
    data = event.get_data()
    assert isinstance(data, dict)
    return EventRecord(
        event_id=event.get_id(),
        type=event.get_type(),
        aggregate_id=UUID(str(event.get_subject())),
        version=int(event.get_extension("aggregateversion")),
        position=int(event.get_extension("position")),
        time=time,
        actor=str(event.get_extension("actor")),
        office=str(event.get_extension("office")),
        data=data,
        effective_on=date.fromisoformat(str(effective)) if effective is not None else None,
    )
