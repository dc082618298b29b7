"""Request and response bodies of the reception operations (offices, schedules,
appointments), as the OpenAPI document shows them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ContainerDep
from api.parameters import Day, Moment
from domain.appointment import Appointment
from domain.channels import Channel
from domain.commands.base import ReceptionOutcome
from domain.competence import MatterArea
from domain.offices import Office
from domain.reception import ReceptionSchedule
from domain.reception_service import ReceptionService
from domain.reception_terms import FacilityType, ReceptionKind, Role


async def get_reception(container: ContainerDep) -> ReceptionService:
    return container.reception


ReceptionDep = Annotated[ReceptionService, Depends(get_reception)]


class OfficeOut(BaseModel):
    code: str
    name: str
    level: str
    parent: str | None
    kind: str = Field(description="central, department, territorial, military or transport")
    competence: list[str] = Field(
        description="The matter areas this office's reception takes (domain.competence)."
    )

    @classmethod
    def of(cls, office: Office) -> OfficeOut:
        return cls(
            code=office.code,
            name=office.name,
            level=office.level.value,
            parent=office.parent,
            kind=office.kind,
            competence=sorted(office.competence),
        )


class OfficeDetail(BaseModel):
    office: OfficeOut
    parent: OfficeOut | None
    children: list[OfficeOut]


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: Moment = Field(description="With the office's UTC offset: 2025-03-04T10:00+05:00.")
    end: Moment


class ApproveSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    official: str = Field(min_length=1, max_length=128, description="The official's staff id.")
    role: Role
    kind: ReceptionKind
    facility_type: FacilityType | None = Field(
        default=None, description="Duty prosecutors only: the kind of detention facility."
    )
    facility_name: str | None = Field(default=None, max_length=256)
    period_from: Day
    period_to: Day
    slot_minutes: int = Field(default=30, description="Length of a bookable slot.")
    sessions: list[SessionIn] = Field(max_length=1000)


class SessionOut(BaseModel):
    number: int
    start: Moment
    end: Moment
    delegate: str | None = Field(description="The deputy who holds this session, if delegated.")


class ScheduleOut(BaseModel):
    schedule_id: UUID
    version: int
    office: str
    official: str
    role: str
    kind: str
    facility_type: str | None
    facility_name: str | None
    period_from: Day
    period_to: Day
    slot_minutes: int
    rule_set: str
    approved_by: str
    sessions: list[SessionOut]

    @classmethod
    def of(cls, s: ReceptionSchedule) -> ScheduleOut:
        return cls(
            schedule_id=s.id,
            version=s.version,
            office=s.office,
            official=s.official,
            role=s.role.value,
            kind=s.kind.value,
            facility_type=s.facility_type,
            facility_name=s.facility_name,
            period_from=s.period_from,
            period_to=s.period_to,
            slot_minutes=s.slot_minutes,
            rule_set=s.rule_set,
            approved_by=s.approved_by,
            sessions=[SessionOut(**vars(x)) for x in s.sessions],
        )


class DelegateSession(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session: int = Field(description="The session's number, from 1.")
    deputy: str = Field(min_length=1, max_length=128, description="The deputy's staff id.")


class BookAppointment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schedule_id: UUID = Field(description="The official's approved schedule.")
    starts_at: Moment = Field(description="Start of the slot, with its UTC offset.")
    applicant_ref: str = Field(
        max_length=64, description="Pseudonymous reference of the applicant; never a name or IIN."
    )
    channel: Channel
    matter: str = Field(max_length=4000, description="What the applicant wants to raise.")
    matter_area: MatterArea = Field(
        description="What the matter concerns. The office's reception must take it (GET "
        "/offices/{code} lists its competence); another_body is refused: the applicant is "
        "redirected to the competent body."
    )


class RefuseAdmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ground: str = Field(max_length=64, description="One of gpo_admission_refusal_grounds.")
    reasons: str = Field(max_length=4000)


class CancelAppointment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=4000)


class AppointmentOut(BaseModel):
    appointment_id: UUID
    version: int
    status: str
    schedule_id: UUID
    official: str
    office: str
    session: int
    starts_at: Moment
    ends_at: Moment
    received_by: str
    applicant_ref: str
    channel: str
    matter: str
    matter_area: str | None = Field(
        description="What the matter concerns; null on bookings made before it was recorded."
    )
    booking: int = Field(description="How many times this slot has been booked.")
    booked_by: str
    refusal_ground: str | None
    refusal_reasons: str | None
    cancellation_reason: str | None

    @classmethod
    def of(cls, a: Appointment, reveal: Callable[[str], str]) -> AppointmentOut:
        """``a`` with its sealed texts revealed (``[erased]`` once the person is)."""
        return cls(
            appointment_id=a.id,
            version=a.version,
            status=a.status.value,
            schedule_id=a.schedule_id,
            official=a.official,
            office=a.office,
            session=a.session,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            received_by=a.received_by,
            applicant_ref=a.applicant_ref,
            channel=a.channel,
            matter=reveal(a.matter),
            matter_area=a.matter_area,
            booking=a.booking,
            booked_by=a.booked_by,
            refusal_ground=a.refusal_ground,
            refusal_reasons=reveal(a.refusal_reasons) if a.refusal_reasons else None,
            cancellation_reason=reveal(a.cancellation_reason) if a.cancellation_reason else None,
        )


class ReceptionResult(BaseModel):
    id: UUID
    version: int = Field(description="The schedule's or appointment's version after the command.")
    position: int | None = Field(
        description="Position of the command's last event in the event store; "
        "null when nothing new was recorded (a retried booking)."
    )

    @classmethod
    def of(cls, outcome: ReceptionOutcome) -> ReceptionResult:
        return cls(id=outcome.id, version=outcome.version, position=outcome.position)
