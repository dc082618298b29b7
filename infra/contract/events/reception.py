"""Public mappings of reception events. Applicants appear only by their pseudonymous
reference: the matter, refusal reasons and cancellation reasons are free text and stay
in the event store."""

from __future__ import annotations

from typing import Any

from domain.appointment import Appointment
from domain.erasure import Erasure
from domain.reception import ReceptionSchedule
from domain.staff import OfficeStaff
from infra.contract.events.base import PublicType


def _office(e: Any) -> str:
    return str(e.office)


def _booking(e: Any) -> dict[str, Any]:
    return {
        "schedule_id": str(e.schedule_id),
        "official": e.official,
        "office": e.office,
        "session": e.session,
        "starts_at": e.starts_at.isoformat(),
        "ends_at": e.ends_at.isoformat(),
        "received_by": e.received_by,
        "channel": e.channel,
        "applicant_ref": e.applicant_ref,
    }


RECEPTION_TYPES: dict[type, PublicType] = {
    ReceptionSchedule.Approved: PublicType(
        "reception_schedule.approved",
        2,
        lambda e: {
            "office": e.office,
            "official": e.official,
            "role": e.role,
            "kind": e.kind,
            "facility_type": e.facility_type,
            "facility_name": e.facility_name,
            "period_from": e.period_from.isoformat(),
            "period_to": e.period_to.isoformat(),
            "slot_minutes": e.slot_minutes,
            "sessions": [
                {"start": s["start"].isoformat(), "end": s["end"].isoformat()} for s in e.sessions
            ],
            "rule_set": e.rule_set,
        },
        _office,
    ),
    ReceptionSchedule.SessionDelegated: PublicType(
        "reception_schedule.session_delegated",
        1,
        lambda e: {"session": e.session, "deputy": e.deputy, "office": e.office},
        _office,
    ),
    Appointment.Booked: PublicType("appointment.booked", 1, _booking, _office),
    Appointment.Rebooked: PublicType("appointment.rebooked", 1, _booking, _office),
    Appointment.AdmissionRefused: PublicType(
        "appointment.admission_refused",
        1,
        lambda e: {"ground": e.ground, "office": e.office},
        _office,
    ),
    Appointment.Cancelled: PublicType(
        "appointment.cancelled", 1, lambda e: {"office": e.office}, _office
    ),
    Appointment.Attended: PublicType(
        "appointment.attended",
        1,
        lambda e: {"received_by": e.received_by, "office": e.office},
        _office,
    ),
    OfficeStaff.Opened: PublicType(
        "office_staff.opened", 1, lambda e: {"office": e.office}, _office
    ),
    OfficeStaff.Appointed: PublicType(
        "office_staff.appointed",
        1,
        lambda e: {"staff_id": e.staff_id, "position": e.position, "office": e.office},
        _office,
    ),
    OfficeStaff.Released: PublicType(
        "office_staff.released",
        1,
        lambda e: {"staff_id": e.staff_id, "office": e.office},
        _office,
    ),
    Erasure.Requested: PublicType(
        "erasure.requested",
        1,
        lambda e: {
            "applicant_ref": e.applicant_ref,
            "ground": e.ground,
            "offices": list(e.offices),
            "office": e.office,
        },
        _office,
    ),
    Erasure.Approved: PublicType("erasure.approved", 1, lambda e: {"office": e.office}, _office),
    Erasure.Executed: PublicType("erasure.executed", 1, lambda e: {"office": e.office}, _office),
}
