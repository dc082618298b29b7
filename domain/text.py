"""Free-text input: present, not blank, not too long."""

from __future__ import annotations

from domain.errors import InvalidCommand


def required_text(field: str, value: str | None, max_length: int) -> str:
    """The text stripped, or InvalidCommand naming ``field`` and the rule it breaks."""
    if value is None or not value.strip():
        raise InvalidCommand(f"{field} must not be blank.", field=field, rule="text-required")
    if len(value) > max_length:
        raise InvalidCommand(
            f"{field} must be at most {max_length} characters.", field=field, rule="text-too-long"
        )
    return value.strip()
