"""The data of the published reception events (appeals.reception_schedule.*,
appeals.appointment.*)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from domain.reception_terms import FacilityType, ReceptionKind, Role
from infra.contract.models.common import Code, EventData, StaffId

BookingChannel = Literal[
    "call_centre_115", "electronic_portal", "written", "law_enforcement_center"
]
"""The channels a reception slot is booked through (not in person)."""

AdmissionRefusalGround = Literal[
    "already_received_or_answered",
    "court_competence",
    "appeal_period_missed",
    "civpc_54_2_not_provided",
    "not_subject_to_cassation",
]


class Session(EventData):
    start: datetime
    end: datetime


class ScheduleApproved(EventData):
    """An official's reception schedule was approved: who receives, how, where and when."""

    office: Code
    official: StaffId
    role: Role
    kind: ReceptionKind
    facility_type: FacilityType | None
    facility_name: Annotated[str | None, Field(max_length=256)]
    period_from: date
    period_to: date
    slot_minutes: Annotated[int, Field(ge=5, le=240)]
    sessions: Annotated[list[Session], Field(min_length=1)]
    rule_set: Code


class SessionDelegated(EventData):
    """A regional prosecutor instructed a deputy to hold one session of the schedule."""

    session: Annotated[int, Field(ge=1)]
    deputy: StaffId
    office: Code


class Booked(EventData):
    """An applicant was booked into an official's reception slot. Carries only the applicant's pseudonymous reference; the matter stays in the event store."""  # noqa: E501

    schedule_id: UUID
    official: StaffId
    office: Code
    session: Annotated[int, Field(ge=1)]
    starts_at: datetime
    ends_at: datetime
    received_by: StaffId
    channel: BookingChannel
    applicant_ref: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z0-9._:-]{3,64}$",
            description="Pseudonymous reference of the applicant; never a name or an IIN.",
        ),
    ]


class Rebooked(Booked):
    """A slot freed by a cancellation or a refusal of admission was booked again. Carries only the applicant's pseudonymous reference; the matter stays in the event store."""  # noqa: E501


class AdmissionRefused(EventData):
    """Admission to a reception at the General Prosecutor's Office was refused on one of the grounds of the rules. The reasons are free text and stay in the event store."""  # noqa: E501

    ground: AdmissionRefusalGround
    office: Code


class Cancelled(EventData):
    """The booking was cancelled and the slot freed. The reason is free text and stays in the event store."""  # noqa: E501

    office: Code


class Attended(EventData):
    """The applicant was received."""

    received_by: StaffId
    office: Code
