"""The field tables of docs/events.md, written from the same models as the schemas.

Each published type's section in docs/events.md holds its table between
``<!-- fields <name> v<version> -->`` and ``<!-- /fields -->``;
``python -m infra.contract.generate`` rewrites them, and
``tests/unit/test_events_doc.py`` fails when a table differs from its model.
"""

from __future__ import annotations

import re
from typing import Any

TABLE = re.compile(
    r"(?P<open><!-- fields (?P<name>[a-z_.]+) v(?P<version>\d+) -->\n)"
    r"(?P<table>.*?)(?P<close><!-- /fields -->)",
    re.S,
)


def type_words(prop: dict[str, Any]) -> str:
    """How a reader would say a property's type: ``integer, 5 to 240``, ``uuid or null``."""
    nullable = False
    if "enum" in prop:
        values = [v for v in prop["enum"] if v is not None]
        nullable = None in prop["enum"]
        words = ", ".join(f"`{v}`" for v in values)
    else:
        types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
        nullable = "null" in types
        kind = next(t for t in types if t != "null")
        words = _kind_words(kind, prop)
    return f"{words} or null" if nullable else words


def _kind_words(kind: str, prop: dict[str, Any]) -> str:
    if kind == "string":
        if "format" in prop:
            return str(prop["format"])
        if "pattern" in prop:
            return f"string matching `{prop['pattern']}`"
        if "maxLength" in prop:
            return f"string, at most {prop['maxLength']} characters"
        return "string"
    if kind == "integer":
        low, high = prop.get("minimum"), prop.get("maximum")
        if low is not None and high is not None:
            return f"integer, {low} to {high}"
        if low is not None:
            return f"integer, {low} or more"
        return "integer"
    if kind == "array":
        items = prop["items"]
        words = f"array of {_item_words(items)}"
        limits = []
        if prop.get("minItems"):
            limits.append(f"at least {prop['minItems']}")
        if prop.get("uniqueItems"):
            limits.append("no repeats")
        return f"{words}; {', '.join(limits)}" if limits else words
    if kind == "object":
        return "object {" + ", ".join(prop["properties"]) + "}"
    return kind


def _item_words(items: dict[str, Any]) -> str:
    if items.get("type") == "object":
        fields = ", ".join(
            f"{key}: {type_words(value)}" for key, value in items["properties"].items()
        )
        return "objects {" + fields + "}"
    return type_words(items)


def field_table(schema: dict[str, Any]) -> str:
    rows = ["| field | type | |", "|---|---|---|"]
    for key, prop in schema["properties"].items():
        meaning = prop.get("description", "").replace("|", "\\|")
        rows.append(f"| `{key}` | {type_words(prop)} | {meaning} |")
    return "\n".join(rows) + "\n"


def with_tables(text: str, schemas: dict[str, dict[str, Any]]) -> str:
    """``text`` with every marked table rewritten from ``schemas`` (file name -> schema)."""

    def table(match: re.Match[str]) -> str:
        schema = schemas[f"{match['name']}.v{match['version']}.json"]
        return match["open"] + field_table(schema) + match["close"]

    return TABLE.sub(table, text)


def marked(text: str) -> list[str]:
    """The ``<name>.v<version>.json`` of every table marked in ``text``."""
    return [f"{m['name']}.v{m['version']}.json" for m in TABLE.finditer(text)]
