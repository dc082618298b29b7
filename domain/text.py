"""Free-text input: present, not blank, not too long, and free of characters that hide
or break what is stored (control characters, bidirectional overrides)."""

from __future__ import annotations

import unicodedata

from domain.errors import InvalidCommand

# Line breaks and tabs are part of ordinary free text; every other control character
# (C0, DEL, C1; NUL among them, which PostgreSQL's text cannot even hold) is not.
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r")
# Bidirectional embeddings, overrides and isolates: they make a name or an identifier
# read differently from what is stored ("Trojan Source"); Kazakh and Russian text never
# needs them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def hostile_character(value: str, *, multiline: bool = True) -> str | None:
    """A description of the first character of ``value`` that must not be stored, or None.
    ``multiline`` text may hold line breaks and tabs; a one-line value (an identifier, a
    query parameter) may not."""
    for position, char in enumerate(value):
        if char in _BIDI_CONTROLS:
            return f"a bidirectional control character (U+{ord(char):04X}) at {position}"
        if unicodedata.category(char) == "Cc" and not (
            multiline and char in _TEXT_CONTROLS_ALLOWED
        ):
            return f"a control character (U+{ord(char):04X}) at {position}"
    return None


def plain_text_pattern(*, multiline: bool) -> str:
    """The same rule as ``hostile_character``, as the regular expression the API's
    OpenAPI document gives its strings (ECMA-262, ``\\uXXXX`` escapes): a client can
    validate, and a contract test generate, only what will be accepted."""
    refused = {chr(c) for c in range(0xA0) if unicodedata.category(chr(c)) == "Cc"}
    refused |= _BIDI_CONTROLS
    if multiline:
        refused -= _TEXT_CONTROLS_ALLOWED
    ranges: list[list[int]] = []
    for code in sorted(map(ord, refused)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (
        f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges
    )
    return f"^[^{''.join(parts)}]*$"


class HostileCharacter(InvalidCommand):
    rule = "control-character"


def check_characters(field: str, value: str, *, multiline: bool = True) -> str:
    """``value`` unchanged, or HostileCharacter naming ``field``."""
    found = hostile_character(value, multiline=multiline)
    if found is not None:
        raise HostileCharacter(
            f"{field} holds {found}; remove it and send the text again.", field=field
        )
    return value


def required_text(field: str, value: str | None, max_length: int) -> str:
    """The text stripped, or InvalidCommand naming ``field`` and the rule it breaks."""
    if value is None or not value.strip():
        raise InvalidCommand(f"{field} must not be blank.", field=field, rule="text-required")
    if len(value) > max_length:
        raise InvalidCommand(
            f"{field} must be at most {max_length} characters.", field=field, rule="text-too-long"
        )
    return check_characters(field, value.strip())
