"""The words of the personal reception: officials' roles, kinds of reception, facilities,
appointment states, and the checks every part of it shares."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from domain.offices import Level
from domain.reception_errors import (
    TimezoneRequired,
)
from domain.text import required_text

MAX_PERIOD_DAYS = 366
MAX_SESSIONS = 1000
MAX_TEXT = 4000


class Role(StrEnum):
    PROSECUTOR_GENERAL = "prosecutor_general"
    DEPUTY_PROSECUTOR_GENERAL = "deputy_prosecutor_general"
    REGIONAL_PROSECUTOR = "regional_prosecutor"
    DEPUTY_REGIONAL_PROSECUTOR = "deputy_regional_prosecutor"
    DISTRICT_PROSECUTOR = "district_prosecutor"
    STAFF = "staff"
    DUTY_PROSECUTOR = "duty_prosecutor"


class ReceptionKind(StrEnum):
    BY_APPOINTMENT = "by_appointment"
    DAILY_WITHOUT_APPOINTMENT = "daily_without_appointment"
    FACILITY_DUTY = "facility_duty"


class FacilityType(StrEnum):
    """Places where duty prosecutors receive on an approved schedule."""

    TEMPORARY_CONTAINMENT_CELL = "temporary_containment_cell"
    INVESTIGATION_CELL = "investigation_cell"
    SPECIAL_DETENTION_CENTRE = "special_detention_centre"
    RECEPTION_CENTRE = "reception_centre"
    GUARDHOUSE = "guardhouse"
    PENITENTIARY_INSTITUTION = "penitentiary_institution"
    # The 2017 rules: "in the internal affairs bodies, penitentiary and special
    # institutions ... citizens are received by duty prosecutors".
    INTERNAL_AFFAIRS_BODY = "internal_affairs_body"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    ADMISSION_REFUSED = "admission_refused"
    CANCELLED = "cancelled"
    ATTENDED = "attended"


GPO_SENIOR = frozenset({Role.PROSECUTOR_GENERAL, Role.DEPUTY_PROSECUTOR_GENERAL})
REGIONAL_SENIOR = frozenset({Role.REGIONAL_PROSECUTOR, Role.DEPUTY_REGIONAL_PROSECUTOR})

# The office level a role belongs to; staff and duty prosecutors serve at any level.
ROLE_LEVEL: dict[Role, Level] = {
    Role.PROSECUTOR_GENERAL: Level.GPO,
    Role.DEPUTY_PROSECUTOR_GENERAL: Level.GPO,
    Role.REGIONAL_PROSECUTOR: Level.REGIONAL,
    Role.DEPUTY_REGIONAL_PROSECUTOR: Level.REGIONAL,
    Role.DISTRICT_PROSECUTOR: Level.DISTRICT,
}

# How each role receives: senior management of the GPO and of regional offices by
# appointment; district prosecutors and other staff daily without appointment; duty
# prosecutors at detention facilities.
ROLE_KIND: dict[Role, ReceptionKind] = {
    Role.PROSECUTOR_GENERAL: ReceptionKind.BY_APPOINTMENT,
    Role.DEPUTY_PROSECUTOR_GENERAL: ReceptionKind.BY_APPOINTMENT,
    Role.REGIONAL_PROSECUTOR: ReceptionKind.BY_APPOINTMENT,
    Role.DEPUTY_REGIONAL_PROSECUTOR: ReceptionKind.BY_APPOINTMENT,
    Role.DISTRICT_PROSECUTOR: ReceptionKind.DAILY_WITHOUT_APPOINTMENT,
    Role.STAFF: ReceptionKind.DAILY_WITHOUT_APPOINTMENT,
    Role.DUTY_PROSECUTOR: ReceptionKind.FACILITY_DUTY,
}


# --- Helpers ------------------------------------------------------------------------


check_text = required_text


def check_aware(field: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise TimezoneRequired(
            f"{field} needs a UTC offset, e.g. 2025-03-04T10:00:00+05:00.", field=field
        )
