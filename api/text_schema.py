"""The hostile-text rule (api/hostile_text.py, domain/text.py) written into the OpenAPI
document: every free string a client sends gets the pattern of the characters it may
hold, so that what the document calls valid is what the API accepts (docs/security.md,
"Hostile input")."""

from __future__ import annotations

from typing import Any

from domain.text import plain_text_pattern

# A string with one of these is already narrower than free text.
_NARROWED = ("enum", "const", "format", "pattern")


def _narrow(schema: dict[str, Any], pattern: str) -> None:
    if schema.get("type") == "string" and not any(key in schema for key in _NARROWED):
        schema["pattern"] = pattern
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            _narrow(option, pattern)
    if isinstance(schema.get("items"), dict):
        _narrow(schema["items"], pattern)
    for prop in schema.get("properties", {}).values():
        _narrow(prop, pattern)


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter's schema without pydantic's ``null`` option: a header or a query
    parameter is absent or a string, never null (sent, ``null`` would be the text
    "null")."""
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    if "anyOf" not in schema or len(options) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**options[0], **rest}


def _referenced(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str):
            found.add(ref.rsplit("/", 1)[-1])
        for item in value.values():
            _referenced(item, found)
    elif isinstance(value, list):
        for item in value:
            _referenced(item, found)


def _request_schemas(document: dict[str, Any]) -> set[str]:
    """The components a request body refers to, directly or through another."""
    schemas = document.get("components", {}).get("schemas", {})
    found: set[str] = set()
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            _referenced(operation.get("requestBody", {}), found)
    todo = set(found)
    while todo:
        nested: set[str] = set()
        _referenced(schemas.get(todo.pop(), {}), nested)
        todo |= nested - found
        found |= nested
    return found


def document_plain_text(document: dict[str, Any]) -> None:
    """Patterns on the strings a client sends: one line for parameters (path, query,
    header), line breaks and tabs allowed in bodies. Responses are left as they are: a
    problem names the refused value as it came."""
    one_line = plain_text_pattern(multiline=False)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                parameter["schema"] = _not_null(parameter.get("schema", {}))
                _narrow(parameter["schema"], one_line)
    body_text = plain_text_pattern(multiline=True)
    schemas = document.get("components", {}).get("schemas", {})
    for name in _request_schemas(document):
        _narrow(schemas.get(name, {}), body_text)
