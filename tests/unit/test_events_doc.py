"""docs/events.md documents the published contract: a heading per public type with its
schema version, and every data field of the type's JSON schema in its section. Adding a
type or a field without documenting it fails here."""

from __future__ import annotations

import re

import pytest

from infra.contract import load_schema
from infra.contracts import CONTRACT, PublicType
from infra.settings import PROJECT_ROOT

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
    published = {heading(p) for p in PUBLIC_TYPES}
    stale = [h for h in sections() if h.startswith("### `appeals.") and h not in published]
    assert not stale, f"docs/events.md documents types the contract does not publish: {stale}"
