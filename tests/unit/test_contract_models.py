"""The event models are the one source of the published data schemas: each checked-in
schema is exactly what its model generates, and every published type has a model."""

from __future__ import annotations

import json

import pytest
from pydantic import Field

from infra.contract.events import CONTRACT
from infra.contract.generate import SCHEMAS, data_schema, generated
from infra.contract.models import DATA_MODELS
from infra.contract.models.appeal import Assigned


@pytest.mark.parametrize("file_name", sorted(generated()))
def test_the_checked_in_schema_is_the_generated_one(file_name: str) -> None:
    checked_in = (SCHEMAS / file_name).read_text(encoding="utf-8")
    assert checked_in == json.dumps(generated()[file_name], indent=2) + "\n", (
        f"{file_name} differs from its model: run `python -m infra.contract.generate`, and "
        "if the data changed, publish a new schema version instead of editing this one"
    )


def test_every_published_type_has_a_model_of_its_schema_version() -> None:
    published = {(p.name, p.schema_version) for p in CONTRACT.values()}
    assert published <= set(DATA_MODELS)
    # Older versions stay decodable: each name's versions run 1, 2, ... up to the one
    # published now.
    for name, current in published:
        assert {v for n, v in DATA_MODELS if n == name} == set(range(1, current + 1)), name


def test_a_change_to_a_model_changes_its_schema() -> None:
    class Changed(Assigned):
        """A prosecutor of an office was made responsible for the appeal."""

        reason: str = Field(min_length=1)

    before = data_schema("appeal.assigned", 1, Assigned)
    after = data_schema("appeal.assigned", 1, Changed)
    assert after != before
    assert after["properties"]["reason"] == {"type": "string", "minLength": 1}
    assert "reason" in after["required"]


def test_nullable_fields_and_enums_keep_the_contracts_shape() -> None:
    schema = generated()["reception_schedule.approved.v1.json"]
    assert schema["properties"]["facility_type"]["enum"][0] is None
    assert schema["properties"]["facility_name"]["type"] == ["string", "null"]
    assert schema["properties"]["sessions"]["items"]["additionalProperties"] is False


def test_decoding_checks_data_by_the_model_strictly() -> None:
    from infra.contract.envelope import ContractError, data_errors

    urn = "urn:appeals:schema:appeal.decided:1"
    good = {"outcome": "refused", "ground": "x", "explanation_required": True, "late": False}
    assert data_errors(urn, good) == []
    assert data_errors(urn, {**good, "late": "false"}) == [
        "data.late: Input should be a valid boolean"
    ]
    assert data_errors(urn, {**good, "outcome": "maybe"})[0].startswith("data.outcome:")
    assert any("data.name" in e for e in data_errors(urn, {**good, "name": "Aigerim"}))
    with pytest.raises(ContractError, match="unknown dataschema"):
        data_errors("urn:appeals:schema:appeal.decided:2", good)


def test_an_older_version_on_the_topic_still_decodes_by_its_own_schema() -> None:
    from infra.contract.envelope import data_errors

    data = {
        "office": "REG-ALA",
        "official": "duty.1",
        "role": "duty_prosecutor",
        "kind": "facility_duty",
        "facility_type": "internal_affairs_body",
        "facility_name": "Almaty police department",
        "period_from": "2026-01-05",
        "period_to": "2026-01-09",
        "slot_minutes": 30,
        "sessions": [{"start": "2026-01-05T10:00:00+05:00", "end": "2026-01-05T12:00:00+05:00"}],
        "rule_set": "gpo-order-29-2023",
    }
    v1 = "urn:appeals:schema:reception_schedule.approved:1"
    v2 = "urn:appeals:schema:reception_schedule.approved:2"
    assert data_errors(v2, data) == []
    assert data_errors(v1, data) != []  # version 1 never had internal-affairs bodies
    assert data_errors(v1, {**data, "facility_type": "guardhouse"}) == []
