"""docs/events.md documents the published contract: a heading per public type with its
schema version, and in its section the field table generated from the type's model.
Adding a type or a field without regenerating the document fails here."""

from __future__ import annotations

import re

import pytest

from infra.adapters.settings import PROJECT_ROOT
from infra.contract.envelope import load_schema
from infra.contract.events import CONTRACT, PublicType
from infra.contract.field_tables import field_table, marked, type_words, with_tables
from infra.contract.generate import generated
from infra.contract.models import DATA_MODELS

DOC = PROJECT_ROOT / "docs" / "events.md"
# "Same fields as `appeals.x.y`": a section may point at another one for its fields.
SAME_AS = re.compile(r"Same fields\s+as\s+`(appeals\.[a-z_.]+)`")
PUBLIC_TYPES = sorted({(p.name, p.schema_version): p for p in CONTRACT.values()}.values(), key=str)


def heading(public: PublicType) -> str:
    return f"### `{public.type}` (schema version {public.schema_version})"


def sections() -> dict[str, str]:
    """Each level-3 section of the document, by heading line, up to the next heading."""
    found: dict[str, str] = {}
    current: str | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            current = line.strip() if line.startswith("### ") else None
            if current is not None:
                assert current not in found, f"{current} appears twice in docs/events.md"
                found[current] = ""
        elif current is not None:
            found[current] += line + "\n"
    return found


def documented_text(public: PublicType, all_sections: dict[str, str]) -> str:
    text = all_sections[heading(public)]
    for other in SAME_AS.findall(text):
        matches = [t for h, t in all_sections.items() if h.startswith(f"### `{other}` ")]
        assert matches, f"{public.type} points at {other}, which has no section"
        text += matches[0]
    return text


@pytest.mark.parametrize("public", PUBLIC_TYPES, ids=lambda p: p.type)
def test_every_public_type_has_a_section_with_its_schema_version(public: PublicType) -> None:
    assert heading(public) in sections(), f"docs/events.md lacks the heading {heading(public)!r}"


def test_the_field_tables_are_the_generated_ones() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text == with_tables(text, generated()), (
        "a field table in docs/events.md differs from its model: run "
        "`python -m infra.contract.generate`"
    )


@pytest.mark.parametrize("public", PUBLIC_TYPES, ids=lambda p: p.type)
def test_every_public_type_has_its_generated_table_in_its_own_section(public: PublicType) -> None:
    file_name = f"{public.name}.v{public.schema_version}.json"
    assert marked(sections().get(heading(public), "")) == [file_name]


def test_a_changed_description_changes_the_table() -> None:
    schema = generated()["appeal.assigned.v1.json"]
    changed = {**schema, "properties": {**schema["properties"]}}
    changed["properties"]["assignee"] = {**changed["properties"]["assignee"], "description": "x"}
    assert field_table(changed) != field_table(schema)
    assert "| `assignee` | string | x |" in field_table(changed)


def test_types_are_said_as_a_reader_would() -> None:
    assert type_words({"type": ["string", "null"], "format": "uuid"}) == "uuid or null"
    assert type_words({"enum": [None, "a", "b"]}) == "`a`, `b` or null"
    assert type_words({"type": "integer", "minimum": 5, "maximum": 240}) == "integer, 5 to 240"
    assert (
        type_words({"type": "array", "items": {"enum": ["x"]}, "minItems": 1, "uniqueItems": True})
        == "array of `x`; at least 1, no repeats"
    )


@pytest.mark.parametrize("public", PUBLIC_TYPES, ids=lambda p: p.type)
def test_every_data_field_is_documented_in_its_section(public: PublicType) -> None:
    all_sections = sections()
    if heading(public) not in all_sections:
        pytest.fail(f"docs/events.md lacks the heading {heading(public)!r}")
    text = documented_text(public, all_sections)
    schema = load_schema(f"{public.name}.v{public.schema_version}.json")
    missing = [f for f in schema["properties"] if f"`{f}`" not in text]
    assert not missing, f"{public.type}: fields not documented in its section: {missing}"


def test_no_section_documents_a_type_that_is_not_published() -> None:
    # Every version ever published keeps its section: its events may still be on the topic.
    published = {f"### `appeals.{name}` (schema version {v})" for name, v in DATA_MODELS}
    stale = [h for h in sections() if h.startswith("### `appeals.") and h not in published]
    assert not stale, f"docs/events.md documents types the contract does not publish: {stale}"


def test_every_version_ever_published_keeps_its_generated_table() -> None:
    marked_names = set(marked(DOC.read_text(encoding="utf-8")))
    assert {f"{name}.v{v}.json" for name, v in DATA_MODELS} == marked_names


# --- the documented types agree with the schemas ------------------------------------

ROW = re.compile(r"^\| `([a-z_]+)` \|([^|]*)\|")
BACKTICKED = re.compile(r"`([^`]+)`")
COUNTED = re.compile(r"(\d+) (hex digits|letters)")


def documented_rows(text: str) -> dict[str, str]:
    """The type cell of each field row of a section's own table."""
    return {m.group(1): m.group(2).strip() for m in map(ROW.match, text.splitlines()) if m}


def allowed_values(prop: dict[str, object]) -> set[object] | None:
    if "enum" in prop:
        return set(prop["enum"])  # type: ignore[call-overload]
    items = prop.get("items")
    if isinstance(items, dict) and "enum" in items:
        return set(items["enum"])
    return None


def allows_null(prop: dict[str, object]) -> bool:
    types = prop.get("type")
    listed = types if isinstance(types, list) else [types]
    return "null" in listed or None in (allowed_values(prop) or set())


def kind_of(prop: dict[str, object]) -> str:
    types = prop.get("type")
    listed = [t for t in (types if isinstance(types, list) else [types]) if t != "null"]
    if prop.get("format") in ("date", "date-time", "uuid"):
        return str(prop["format"])
    if listed and listed[0] in ("boolean", "integer", "array"):
        return str(listed[0])
    return "string"


def disagreements(cell: str, prop: dict[str, object]) -> list[str]:
    found = []
    values = allowed_values(prop)
    if values is not None:
        named = {v for v in BACKTICKED.findall(cell) if v != "null"}
        if named != {v for v in values if v is not None}:
            found.append(f"values {sorted(named)} but the schema allows {sorted(map(str, values))}")
    if ("null" in cell) != allows_null(prop):
        found.append(f"null {'named' if 'null' in cell else 'not named'} against the schema")
    kind = kind_of(prop)
    words = re.sub(r"`[^`]*`", "", cell)
    if values is None and not re.search(rf"\b{re.escape(kind)}\b", words):
        found.append(f"the schema's type is {kind}")
    if kind == "date" and re.search(r"\bdate-time\b", words):
        found.append("the schema's type is date, not date-time")
    pattern = str(prop.get("pattern", ""))
    for count, unit in COUNTED.findall(cell):
        wanted = "[0-9a-f]" if unit == "hex digits" else "[a-z]"
        if f"{wanted}{{{count}}}" not in pattern:
            found.append(f"{count} {unit} but the schema's pattern is {pattern!r}")
    return found


@pytest.mark.parametrize("public", PUBLIC_TYPES, ids=lambda p: p.type)
def test_documented_types_agree_with_the_schema(public: PublicType) -> None:
    schema = load_schema(f"{public.name}.v{public.schema_version}.json")
    rows = documented_rows(sections().get(heading(public), ""))
    wrong = {
        field: problems
        for field, cell in rows.items()
        if field in schema["properties"]
        and (problems := disagreements(cell, schema["properties"][field]))
    }
    assert not wrong, f"{public.type}: docs/events.md disagrees with the schema: {wrong}"


def test_the_agreement_check_finds_a_wrong_description() -> None:
    prop = {"type": ["string", "null"], "pattern": "^appl-[a-z]{20}$"}
    assert disagreements("string `appl-` + 20 lowercase letters, or null", prop) == []
    assert disagreements("string `appl-` + 20 hex digits, or null", prop)
    assert disagreements("string `appl-` + 20 lowercase letters", prop)  # null missing
    assert disagreements("`a`, `b`", {"enum": ["a", "b", "c"]})
    assert disagreements("date", {"type": "boolean"})
