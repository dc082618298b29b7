"""Public mappings of domain events, one module per aggregate, merged here."""

from __future__ import annotations

from infra.contract.events.appeal import APPEAL_TYPES
from infra.contract.events.base import PublicType
from infra.contract.events.instruction import INSTRUCTION_TYPES
from infra.contract.events.reception import RECEPTION_TYPES

CONTRACT: dict[type, PublicType] = {**APPEAL_TYPES, **RECEPTION_TYPES, **INSTRUCTION_TYPES}

__all__ = ["CONTRACT", "PublicType"]
