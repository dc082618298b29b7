"""Appointments with officials who receive by appointment: booking, refusal of
admission (GPO), cancellation and attendance."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from api.auth import Booker, ReceptionManager, ReferenceReader
from api.deps import ExpectedVersionDep
from api.reception_schemas import (
    AppointmentOut,
    BookAppointment,
    CancelAppointment,
    ReceptionDep,
    ReceptionResult,
    RefuseAdmission,
)
from api.schemas import AUTH_PROBLEMS, Problem
from domain.access import Principal
from domain.reception import Appointment, AppointmentNotFound, ScheduleNotFound
from domain.reception_service import ReceptionOutcome, ReceptionService

router = APIRouter(prefix="/appointments", tags=["appointments"], responses=AUTH_PROBLEMS)

PROBLEMS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such appointment or schedule."},
    409: {"model": Problem, "description": "The slot is taken or the appointment has moved on."},
    422: {"model": Problem, "description": "The input breaks a rule; nothing was recorded."},
}


def visible_appointment(
    reception: ReceptionService, principal: Principal, appointment_id: UUID
) -> Appointment:
    appointment = reception.get_appointment(appointment_id)
    if not principal.sees(appointment.office, reception.offices):
        raise AppointmentNotFound(f"No appointment has id {appointment_id}.")
    return appointment


def _result(outcome: ReceptionOutcome, response: Response) -> ReceptionResult:
    response.headers["ETag"] = f'"{outcome.version}"'
    response.headers["Location"] = f"/appointments/{outcome.id}"
    return ReceptionResult.of(outcome)


@router.post("", status_code=status.HTTP_201_CREATED, responses=PROBLEMS)
def book_appointment(
    body: BookAppointment, response: Response, reception: ReceptionDep, principal: Booker
) -> ReceptionResult:
    schedule = reception.get_schedule(body.schedule_id)
    if not principal.sees(schedule.office, reception.offices):
        # Another region's schedule is refused as an unknown one is.
        raise ScheduleNotFound(f"No reception schedule {body.schedule_id}.")
    outcome = reception.book(
        schedule_id=body.schedule_id,
        starts_at=body.starts_at,
        applicant_ref=body.applicant_ref,
        channel=body.channel.value,
        matter=body.matter,
        within_competence=body.within_competence,
        actor=principal.actor,
    )
    if not outcome.created:
        response.headers["Idempotent-Replayed"] = "true"
    return _result(outcome, response)


@router.get("/{appointment_id}", responses=PROBLEMS)
def get_appointment(
    appointment_id: UUID, response: Response, reception: ReceptionDep, principal: ReferenceReader
) -> AppointmentOut:
    appointment = visible_appointment(reception, principal, appointment_id)
    response.headers["ETag"] = f'"{appointment.version}"'
    return AppointmentOut.of(appointment)


@router.post("/{appointment_id}/admission-refusal", responses=PROBLEMS)
def refuse_admission(
    appointment_id: UUID,
    body: RefuseAdmission,
    response: Response,
    reception: ReceptionDep,
    principal: ReceptionManager,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    visible_appointment(reception, principal, appointment_id)
    outcome = reception.refuse_admission(
        appointment_id,
        ground=body.ground,
        reasons=body.reasons,
        actor=principal.actor,
        expected_version=expected_version,
    )
    return _result(outcome, response)


@router.post("/{appointment_id}/cancellation", responses=PROBLEMS)
def cancel_appointment(
    appointment_id: UUID,
    body: CancelAppointment,
    response: Response,
    reception: ReceptionDep,
    principal: Booker,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    visible_appointment(reception, principal, appointment_id)
    outcome = reception.cancel(
        appointment_id, reason=body.reason, actor=principal.actor, expected_version=expected_version
    )
    return _result(outcome, response)


@router.post("/{appointment_id}/attendance", responses=PROBLEMS)
def record_attendance(
    appointment_id: UUID,
    response: Response,
    reception: ReceptionDep,
    principal: ReceptionManager,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    visible_appointment(reception, principal, appointment_id)
    outcome = reception.attend(
        appointment_id, actor=principal.actor, expected_version=expected_version
    )
    return _result(outcome, response)
