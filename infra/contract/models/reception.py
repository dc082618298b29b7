"""The data of the published reception events (appeals.reception_schedule.*,
appeals.appointment.*)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from domain.erasure import ErasureGround
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
    """When the session starts, with its UTC offset."""
    end: datetime
    """When the session ends, with its UTC offset."""


class ScheduleApproved(EventData):
    """An official's reception schedule was approved: who receives, how, where and when. Version 2: duty prosecutors also receive in internal-affairs bodies."""  # noqa: E501

    office: Code
    """The official's office code."""
    official: StaffId
    """The official's staff id."""
    role: Role
    """The official's position, which sets the rules the schedule follows."""
    kind: ReceptionKind
    """How the official receives."""
    facility_type: FacilityType | None
    """Duty prosecutors only."""
    facility_name: Annotated[str | None, Field(max_length=256)]
    """Duty prosecutors only."""
    period_from: date
    """First day the schedule covers."""
    period_to: date
    """Last day the schedule covers."""
    slot_minutes: Annotated[int, Field(ge=5, le=240)]
    """Length of a bookable slot."""
    sessions: Annotated[list[Session], Field(min_length=1)]
    """The sessions, in time order; numbered from 1."""
    rule_set: Code
    """Id of the reception rules in force on `period_from`."""


class ScheduleApprovedV1(ScheduleApproved):
    """An official's reception schedule was approved: who receives, how, where and when."""

    # Version 1's facilities, frozen as published (without internal-affairs bodies).
    facility_type: (  # type: ignore[assignment]
        Literal[
            "temporary_containment_cell",
            "investigation_cell",
            "special_detention_centre",
            "reception_centre",
            "guardhouse",
            "penitentiary_institution",
        ]
        | None
    )
    """Duty prosecutors only."""


class SessionDelegated(EventData):
    """A regional prosecutor instructed a deputy to hold one session of the schedule."""

    session: Annotated[int, Field(ge=1)]
    """The session's number in the schedule."""
    deputy: StaffId
    """The deputy's staff id."""
    office: Code
    """The schedule's office code."""


class Booked(EventData):
    """An applicant was booked into an official's reception slot. Carries only the applicant's pseudonymous reference; the matter stays in the event store."""  # noqa: E501

    schedule_id: UUID
    """The official's schedule."""
    official: StaffId
    """Whose reception it is."""
    office: Code
    """The official's office code."""
    session: Annotated[int, Field(ge=1)]
    """The session's number in the schedule."""
    starts_at: datetime
    """Start of the slot, with its UTC offset."""
    ends_at: datetime
    """End of the slot, with its UTC offset."""
    received_by: StaffId
    """Who will receive: the official, or the deputy the session was delegated to."""
    channel: BookingChannel
    """The booking channel."""
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
    """The ground of the rules."""
    office: Code
    """The official's office code (the GPO)."""


class Cancelled(EventData):
    """The booking was cancelled and the slot freed. The reason is free text and stays in the event store."""  # noqa: E501

    office: Code
    """The official's office code."""


class Attended(EventData):
    """The applicant was received."""

    received_by: StaffId
    """Who received: the official or the delegated deputy."""
    office: Code
    """The official's office code."""


class StaffListOpened(EventData):
    """An office's staff list was started (before its first appointment)."""

    office: Code
    """The office code."""


class StaffAppointed(EventData):
    """Someone took a position at an office, or moved to another position there."""

    staff_id: StaffId
    """The staff member's id."""
    position: Role
    """The position held at the office."""
    office: Code
    """The office code."""


class StaffReleased(EventData):
    """Someone left an office's staff list."""

    staff_id: StaffId
    """The staff member's id."""
    office: Code
    """The office code."""


class ErasureRequested(EventData):
    """An administrator asked for a person's data to be erased, on a legal ground. Carries the person's pseudonymous reference only."""  # noqa: E501

    applicant_ref: Annotated[str, Field(pattern=r"^[A-Za-z0-9._:-]{3,64}$")]
    """The person's pseudonymous reference."""
    ground: ErasureGround
    """The ground of the Law on personal data (art. 18)."""
    offices: list[Code]
    """The offices holding the person's appeals when the erasure was asked for."""
    office: Code
    """The requesting administrator's office."""


class ErasureApproved(EventData):
    """A second administrator approved the erasure."""

    office: Code
    """The approving administrator's office."""


class ErasureExecuted(EventData):
    """The person's key and identity were destroyed: every text sealed for them is unreadable for good."""  # noqa: E501

    office: Code
    """The office of the administrator who approved it."""
