"""Appointments with officials who receive by appointment: booking, refusal of
admission (GPO), cancellation and attendance."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response, status

from api.auth import ReferenceReader, may_send
from api.deps import ExpectedVersionDep, ServiceDep
from api.reception_schemas import (
    AppointmentOut,
    BookAppointment,
    CancelAppointment,
    ReceptionDep,
    ReceptionResult,
    RefuseAdmission,
)
from api.schemas import AUTH_PROBLEMS, Problem
from domain import commands
from domain.access import Principal
from domain.appointment import Appointment
from domain.commands.base import ReceptionOutcome
from domain.reception_errors import AppointmentNotFound
from domain.reception_service import ReceptionService

router = APIRouter(prefix="/appointments", tags=["appointments"], responses=AUTH_PROBLEMS)

PROBLEMS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such appointment or schedule."},
    409: {"model": Problem, "description": "The slot is taken or the appointment has moved on."},
    422: {"model": Problem, "description": "The input breaks a rule; nothing was recorded."},
}


MayBook = Annotated[Principal, Depends(may_send(commands.BookAppointment))]
MayRefuse = Annotated[Principal, Depends(may_send(commands.RefuseAdmission))]
MayCancel = Annotated[Principal, Depends(may_send(commands.CancelAppointment))]
MayAttend = Annotated[Principal, Depends(may_send(commands.RecordAttendance))]


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
    body: BookAppointment, response: Response, service: ServiceDep, caller: MayBook
) -> ReceptionResult:
    """Book a slot; another region's schedule is refused as an unknown one is."""
    command = commands.BookAppointment(
        **body.model_dump(exclude={"channel"}), channel=body.channel.value
    )
    outcome = service.bus.send(command, caller)
    if not outcome.created:
        response.headers["Idempotent-Replayed"] = "true"
    return _result(outcome, response)


@router.get("/{appointment_id}", responses=PROBLEMS)
def get_appointment(
    appointment_id: UUID, response: Response, reception: ReceptionDep, principal: ReferenceReader
) -> AppointmentOut:
    appointment = visible_appointment(reception, principal, appointment_id)
    response.headers["ETag"] = f'"{appointment.version}"'
    return AppointmentOut.of(appointment, reception.app.reveal)


@router.post("/{appointment_id}/admission-refusal", responses=PROBLEMS)
def refuse_admission(
    appointment_id: UUID,
    body: RefuseAdmission,
    response: Response,
    service: ServiceDep,
    caller: MayRefuse,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    command = commands.RefuseAdmission(appointment_id=appointment_id, **body.model_dump())
    outcome = service.bus.send(
        command,
        caller,
        expected_version=expected_version,
    )
    return _result(outcome, response)


@router.post("/{appointment_id}/cancellation", responses=PROBLEMS)
def cancel_appointment(
    appointment_id: UUID,
    body: CancelAppointment,
    response: Response,
    service: ServiceDep,
    caller: MayCancel,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    command = commands.CancelAppointment(appointment_id=appointment_id, reason=body.reason)
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return _result(outcome, response)


@router.post("/{appointment_id}/attendance", responses=PROBLEMS)
def record_attendance(
    appointment_id: UUID,
    response: Response,
    service: ServiceDep,
    caller: MayAttend,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    command = commands.RecordAttendance(appointment_id=appointment_id)
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    return _result(outcome, response)
