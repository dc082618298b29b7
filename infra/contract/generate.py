"""Generate the published data schemas, and the field tables of docs/events.md, from the
event models.

``python -m infra.contract.generate`` writes ``infra/contract/schemas/<name>.v<n>.json``
for every model and rewrites the marked tables of docs/events.md;
``tests/unit/test_contract_models.py`` and ``tests/unit/test_events_doc.py`` fail when
either differs from what the models generate. pydantic's JSON Schema is rewritten into
the plain draft 2020-12 shape the contract has always had: nullable types as type
arrays, enums without a type, no titles on properties, nested objects inlined.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infra.contract.field_tables import with_tables
from infra.contract.models import DATA_MODELS
from infra.contract.models.common import EventData

SCHEMAS = Path(__file__).resolve().parent / "schemas"
EVENTS_DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def data_schema(name: str, version: int, model: type[EventData]) -> dict[str, Any]:
    raw = model.model_json_schema()
    definitions = raw.get("$defs", {})
    body = _object(raw, definitions)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:appeals:schema:{name}:{version}",
        "title": f"appeals.{name}, version {version}",
        "description": raw["description"],
        **body,
    }


def _object(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(schema.get("required", [])),
        "properties": {
            key: _value(value, definitions) for key, value in schema["properties"].items()
        },
        "additionalProperties": False,
    }


def _value(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    schema = _resolved(schema, definitions)
    description = schema.get("description")
    if "anyOf" in schema:
        options = [_resolved(o, definitions) for o in schema["anyOf"]]
        others = [o for o in options if o.get("type") != "null"]
        if len(others) == 1 and len(options) == 2:
            nullable = _value(others[0], definitions)
            if "enum" in nullable:
                nullable["enum"] = [None, *nullable["enum"]]
            else:
                nullable["type"] = [nullable["type"], "null"]
            return _described(nullable, description)
        raise ValueError(f"cannot express {schema} in the contract's shape")
    if "const" in schema:
        return _described({"enum": [schema["const"]]}, description)
    if "enum" in schema:
        return _described({"enum": list(schema["enum"])}, description)
    if schema.get("type") == "object":
        return _described(_object(schema, definitions), description)
    out: dict[str, Any] = {"type": schema["type"]}
    for key in ("format", "pattern", "minLength", "maxLength", "minimum", "maximum"):
        if key in schema:
            out[key] = schema[key]
    if schema["type"] == "array":
        for key in ("minItems", "uniqueItems"):
            if key in schema:
                out[key] = schema[key]
        out["items"] = _value(schema["items"], definitions)
    return _described(out, description)


def _resolved(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        # A type's own docstring (an enum's) describes the type, not this field.
        target = definitions[schema["$ref"].rsplit("/", 1)[-1]]
        shape = {k: v for k, v in target.items() if k != "description"}
        return {**shape, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _described(out: dict[str, Any], description: str | None) -> dict[str, Any]:
    if description:
        # A docstring wrapped to the line length is one sentence in the schema.
        out["description"] = " ".join(description.split())
    return out


def generated() -> dict[str, dict[str, Any]]:
    """File name -> schema, for every published event type."""
    return {
        f"{name}.v{version}.json": data_schema(name, version, model)
        for (name, version), model in DATA_MODELS.items()
    }


def write() -> list[str]:
    written = []
    schemas = generated()
    for file_name, schema in schemas.items():
        (SCHEMAS / file_name).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        written.append(f"infra/contract/schemas/{file_name}")
    doc = EVENTS_DOC.read_text(encoding="utf-8")
    EVENTS_DOC.write_text(with_tables(doc, schemas), encoding="utf-8")
    written.append("docs/events.md (field tables)")
    return written


if __name__ == "__main__":
    for written in write():
        print(f"wrote {written}")
