"""Topic names shared by the relay (which routes) and the consumers (which read), so
neither depends on the other."""

from __future__ import annotations


def regional_topic(base: str, region: str) -> str:
    """The topic of the instructions addressed to ``region``."""
    return f"{base}.instructions.{region}"
