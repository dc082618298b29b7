"""Public mappings of domain events, one module per aggregate, merged here."""

from __future__ import annotations

from infra.contracts.appeal import APPEAL_TYPES
from infra.contracts.base import PublicType
from infra.contracts.instruction import INSTRUCTION_TYPES
from infra.contracts.reception import RECEPTION_TYPES

CONTRACT: dict[type, PublicType] = {**APPEAL_TYPES, **RECEPTION_TYPES, **INSTRUCTION_TYPES}

__all__ = ["CONTRACT", "PublicType"]
