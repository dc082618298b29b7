from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PublicType:
    """How one domain event class is published: its CloudEvents type, the version of
    its data schema (``infra/contract/schemas/<name>.v<version>.json``), its data, and the
    office it concerns."""

    name: str
    schema_version: int
    to_data: Callable[[Any], dict[str, Any]]
    office_of: Callable[[Any], str]

    @property
    def type(self) -> str:
        return f"appeals.{self.name}"

    @property
    def dataschema(self) -> str:
        return f"urn:appeals:schema:{self.name}:{self.schema_version}"
