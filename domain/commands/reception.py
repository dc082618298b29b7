"""Commands of the personal reception: schedules and appointments (docs/reception.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from domain.access import Action
from domain.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class ReceptionCommand(Command):
    """A command of the reception: the bus checks the schedule's or the appointment's
    office against the caller's."""


@dataclass(frozen=True, kw_only=True)
class ApproveSchedule(ReceptionCommand):
    """Approve an official's reception schedule at ``office`` (the caller's or one
    below it)."""

    needs: ClassVar[tuple[Action, ...]] = (Action.MANAGE_RECEPTION,)

    office: str
    official: str
    role: str
    kind: str
    period_from: date
    period_to: date
    sessions: list[tuple[datetime, datetime]] = field(default_factory=list)
    slot_minutes: int = 30
    facility_type: str | None = None
    facility_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class DelegateSession(ReceptionCommand):
    """Hand one session of a schedule to a deputy."""

    needs: ClassVar[tuple[Action, ...]] = (Action.MANAGE_RECEPTION,)

    office: str
    schedule_id: UUID
    session: int
    deputy: str


@dataclass(frozen=True, kw_only=True)
class BookAppointment(ReceptionCommand):
    """Book a slot of a schedule the caller can see; the same booking again records
    nothing."""

    needs: ClassVar[tuple[Action, ...]] = (Action.BOOK_APPOINTMENT,)

    schedule_id: UUID
    starts_at: datetime
    applicant_ref: str
    channel: str
    matter: str
    matter_area: str  # domain.competence.MatterArea; the office must receive on it


@dataclass(frozen=True, kw_only=True)
class AppointmentCommand(ReceptionCommand):
    """A command on an appointment the caller can see (its office or one above)."""

    appointment_id: UUID


@dataclass(frozen=True, kw_only=True)
class RefuseAdmission(AppointmentCommand):
    """The GPO refuses to admit the applicant, on a listed ground."""

    needs: ClassVar[tuple[Action, ...]] = (Action.MANAGE_RECEPTION,)

    ground: str
    reasons: str


@dataclass(frozen=True, kw_only=True)
class CancelAppointment(AppointmentCommand):
    needs: ClassVar[tuple[Action, ...]] = (Action.BOOK_APPOINTMENT,)

    reason: str


@dataclass(frozen=True, kw_only=True)
class RecordAttendance(AppointmentCommand):
    needs: ClassVar[tuple[Action, ...]] = (Action.MANAGE_RECEPTION,)


@dataclass(frozen=True, kw_only=True)
class StaffCommand(ReceptionCommand):
    """A change to the staff list of ``office`` (the caller's or one below it)."""

    needs: ClassVar[tuple[Action, ...]] = (Action.MANAGE_STAFF,)

    office: str
    staff_id: str


@dataclass(frozen=True, kw_only=True)
class AppointStaff(StaffCommand):
    """Record that ``staff_id`` holds ``position`` at the office; the same again records
    nothing."""

    position: str


@dataclass(frozen=True, kw_only=True)
class ReleaseStaff(StaffCommand):
    """Record that ``staff_id`` left the office's staff."""
