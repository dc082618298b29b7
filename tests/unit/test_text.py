"""What free text and identifiers may hold (domain.text)."""

from __future__ import annotations

import re

import pytest

from domain.errors import InvalidCommand
from domain.text import hostile_character, plain_text_pattern, required_text


@pytest.mark.parametrize(
    ("value", "multiline", "found"),
    [
        ("Жалоба на бездействие", True, None),
        ("Өтініш\nекінші жол\tқойынды", True, None),  # noqa: RUF001
        ("a\nb", False, "U+000A"),
        ("a\u0000b", True, "U+0000"),
        ("a\u007fb", True, "U+007F"),
        ("a\u0085b", True, "U+0085"),
        ("a\u009bb", True, "U+009B"),
        ("admin\u202egpj.exe", True, "U+202E"),
        ("x\u2066y", False, "U+2066"),
    ],
)
def test_control_and_bidirectional_characters_are_found(
    value: str, multiline: bool, found: str | None
) -> None:
    result = hostile_character(value, multiline=multiline)
    assert (result is None) if found is None else (result is not None and found in result)


def test_required_text_refuses_them_naming_the_field() -> None:
    with pytest.raises(InvalidCommand) as caught:
        required_text("reasons", "Checked\u0000", 100)
    assert (caught.value.rule, caught.value.field) == ("control-character", "reasons")
    assert required_text("reasons", "  Checked\n ", 100) == "Checked"


@pytest.mark.parametrize("multiline", [False, True])
def test_the_documented_pattern_refuses_exactly_what_the_rule_refuses(multiline: bool) -> None:
    # ECMA-262 reads the pattern's \uXXXX escapes as Python's re does; fullmatch stands
    # for JavaScript's $ (end of input, not before a final line break).
    pattern = re.compile(plain_text_pattern(multiline=multiline))
    for code in range(0x3000):
        char = chr(code)
        text = f"ab{char}cd"
        refused = hostile_character(text, multiline=multiline) is not None
        assert (pattern.fullmatch(text) is None) == refused, hex(code)
