"""Whether a slot of a schedule may be booked, and what a booking records (the
reception rules of the General Prosecutor's Office, as the rule set in force says)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.competence import check_competence
from domain.offices import OfficeDirectory
from domain.reception import ReceptionSchedule
from domain.reception_errors import (
    ApplicantRefNotPseudonymous,
    NotABookingChannel,
    OfficialNotByAppointment,
    SlotInPast,
    SlotMisaligned,
    SlotOutsideSchedule,
)
from domain.reception_terms import (
    MAX_TEXT,
    ReceptionKind,
    check_aware,
    check_text,
)
from domain.rules import ReceptionRules

_IIN_LIKE = re.compile(r"\d{12}")
_REF = re.compile(r"^[A-Za-z0-9._:-]{3,64}$")


@dataclass(frozen=True)
class Booking:
    """What a valid booking of a schedule's slot records."""

    schedule_id: UUID
    official: str
    office: str
    office_level: str
    session: int
    starts_at: datetime
    ends_at: datetime
    received_by: str
    matter_area: str


def booked_fields(
    booking: Booking, applicant_ref: str, channel: str, matter: str, actor: str
) -> dict[str, Any]:
    return {
        "schedule_id": booking.schedule_id,
        "official": booking.official,
        "office": booking.office,
        "office_level": booking.office_level,
        "session": booking.session,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "received_by": booking.received_by,
        "applicant_ref": applicant_ref.strip(),
        "channel": channel,
        "matter": matter.strip(),
        "matter_area": booking.matter_area,
        "actor": actor.strip(),
    }


def check_booking(
    schedule: ReceptionSchedule,
    starts_at: datetime,
    applicant_ref: str,
    channel: str,
    matter: str,
    matter_area: str,
    offices: OfficeDirectory,
    rules: ReceptionRules,
    now: datetime,
) -> Booking:
    """The booking of ``schedule``'s slot at ``starts_at``. The matter's area must be one
    the schedule's office receives on, as the office directory says."""
    if channel not in rules.booking_channels:
        raise NotABookingChannel(
            f"Appointments are booked through {', '.join(rules.booking_channels)}; "
            f"not {channel!r}.",
            field="channel",
        )
    area = check_competence(offices.get(schedule.office), matter_area, offices)
    check_text("applicant_ref", applicant_ref, 64)
    if not _REF.match(applicant_ref.strip()) or _IIN_LIKE.search(applicant_ref):
        raise ApplicantRefNotPseudonymous(
            "applicant_ref is a pseudonymous reference (3-64 letters, digits, '.', '_', "
            "':', '-'), never a name or an IIN.",
            field="applicant_ref",
        )
    check_text("matter", matter, MAX_TEXT)
    check_aware("starts_at", starts_at)
    if schedule.kind is not ReceptionKind.BY_APPOINTMENT:
        raise OfficialNotByAppointment(
            f"{schedule.official} ({schedule.role.value}) receives "
            f"{schedule.kind.value}; no appointment is needed or booked.",
            field="schedule_id",
        )
    session = schedule.session_at(starts_at)
    if session is None:
        raise SlotOutsideSchedule(
            f"{starts_at.isoformat()} is outside every approved session of {schedule.official}.",
            field="starts_at",
        )
    offset = (starts_at - session.start).total_seconds()
    slot = schedule.slot_minutes * 60
    ends_at = starts_at + timedelta(seconds=slot)
    if offset % slot or ends_at > session.end:
        raise SlotMisaligned(
            f"Slots of session {session.number} start every {schedule.slot_minutes} "
            f"minutes from {session.start.isoformat()} and end by "
            f"{session.end.isoformat()}.",
            field="starts_at",
        )
    if starts_at <= now:
        raise SlotInPast(f"{starts_at.isoformat()} has passed.", field="starts_at")
    return Booking(
        schedule_id=schedule.id,
        official=schedule.official,
        office=schedule.office,
        office_level=schedule.office_level,
        session=session.number,
        starts_at=starts_at.astimezone(session.start.tzinfo),
        ends_at=ends_at.astimezone(session.start.tzinfo),
        received_by=session.delegate or schedule.official,
        matter_area=area.value,
    )
