"""Optimistic concurrency at the edge: the version a caller last saw (If-Match)."""

from __future__ import annotations

from domain.errors import InvalidCommand, VersionConflict


def check_expected_version(what: str, version: int, expected_version: int | None) -> None:
    """Refuse a command made against a version other than the current one."""
    if expected_version is None:
        return
    if expected_version < 1:
        raise InvalidCommand(
            "expected version must be 1 or more.", field="If-Match", rule="if-match-invalid"
        )
    if version != expected_version:
        raise VersionConflict(
            f"The {what} is at version {version}, not {expected_version}; reload it and retry."
        )
