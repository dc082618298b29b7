"""The channels through which appeals reach the prosecution service (2017 rules)."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    CALL_CENTRE_115 = "call_centre_115"
    ELECTRONIC_PORTAL = "electronic_portal"
    WRITTEN = "written"
    PERSONAL_RECEPTION = "personal_reception"
    LAW_ENFORCEMENT_CENTER = "law_enforcement_center"
