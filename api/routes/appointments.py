"""Appointments with officials who receive by appointment: booking, refusal of
admission (GPO), cancellation and attendance."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from api.deps import ActorDep, ExpectedVersionDep
from api.reception_schemas import (
    AppointmentOut,
    BookAppointment,
    CancelAppointment,
    ReceptionDep,
    ReceptionResult,
    RefuseAdmission,
)
from api.schemas import Problem
from domain.reception_service import ReceptionOutcome

router = APIRouter(prefix="/appointments", tags=["appointments"])

PROBLEMS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such appointment or schedule."},
    409: {"model": Problem, "description": "The slot is taken or the appointment has moved on."},
    422: {"model": Problem, "description": "The input breaks a rule; nothing was recorded."},
}


def _result(outcome: ReceptionOutcome, response: Response) -> ReceptionResult:
    response.headers["ETag"] = f'"{outcome.version}"'
    response.headers["Location"] = f"/appointments/{outcome.id}"
    return ReceptionResult.of(outcome)


@router.post("", status_code=status.HTTP_201_CREATED, responses=PROBLEMS)
def book_appointment(
    body: BookAppointment, response: Response, reception: ReceptionDep, actor: ActorDep
) -> ReceptionResult:
    outcome = reception.book(
        schedule_id=body.schedule_id,
        starts_at=body.starts_at,
        applicant_ref=body.applicant_ref,
        channel=body.channel.value,
        matter=body.matter,
        within_competence=body.within_competence,
        actor=actor,
    )
    if not outcome.created:
        response.headers["Idempotent-Replayed"] = "true"
    return _result(outcome, response)


@router.get("/{appointment_id}", responses=PROBLEMS)
def get_appointment(
    appointment_id: UUID, response: Response, reception: ReceptionDep
) -> AppointmentOut:
    appointment = reception.get_appointment(appointment_id)
    response.headers["ETag"] = f'"{appointment.version}"'
    return AppointmentOut.of(appointment)


@router.post("/{appointment_id}/admission-refusal", responses=PROBLEMS)
def refuse_admission(
    appointment_id: UUID,
    body: RefuseAdmission,
    response: Response,
    reception: ReceptionDep,
    actor: ActorDep,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    outcome = reception.refuse_admission(
        appointment_id,
        ground=body.ground,
        reasons=body.reasons,
        actor=actor,
        expected_version=expected_version,
    )
    return _result(outcome, response)


@router.post("/{appointment_id}/cancellation", responses=PROBLEMS)
def cancel_appointment(
    appointment_id: UUID,
    body: CancelAppointment,
    response: Response,
    reception: ReceptionDep,
    actor: ActorDep,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    outcome = reception.cancel(
        appointment_id, reason=body.reason, actor=actor, expected_version=expected_version
    )
    return _result(outcome, response)


@router.post("/{appointment_id}/attendance", responses=PROBLEMS)
def record_attendance(
    appointment_id: UUID,
    response: Response,
    reception: ReceptionDep,
    actor: ActorDep,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    outcome = reception.attend(appointment_id, actor=actor, expected_version=expected_version)
    return _result(outcome, response)
