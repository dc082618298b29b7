"""Appointments: one official's reception slot and who is booked into it (the reception
rules of the General Prosecutor's Office; see ``domain.reception``).

Event classes are part of the stored schema. ``Appointment`` was defined in
``domain.reception`` until December 2026: its old topic is registered below, so events
stored then still resolve.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from domain.appeal_terms import Sealer, unsealed
from domain.booking_checks import booked_fields, check_booking
from domain.clock import events_dated_by_the_clock
from domain.offices import Level, OfficeDirectory
from domain.reception import ReceptionSchedule
from domain.reception_errors import (
    AdmissionRefusalOnlyAtGpo,
    AdmissionRefusalReasonsRequired,
    AppointmentNotBooked,
    SlotNotStarted,
    SlotStarted,
    SlotTaken,
    UnknownAdmissionRefusalGround,
)
from domain.reception_terms import (
    MAX_TEXT,
    AppointmentStatus,
    check_text,
)
from domain.rules import ReceptionRules

_SLOT_NAMESPACE = uuid5(NAMESPACE_URL, "urn:appeals:reception-slot")


def slot_id(official: str, starts_at: datetime) -> UUID:
    """The id of an official's appointment slot: one slot, one aggregate, so the event
    store itself refuses a second booking of the same slot."""
    return uuid5(_SLOT_NAMESPACE, f"{official}|{starts_at.astimezone(UTC).isoformat()}")


# --- Appointment ----------------------------------------------------------------------


def _slot_times_from_text(state: dict[str, Any]) -> None:
    """Version 1 of Booked and Rebooked kept the slot's times as ISO text."""
    state["starts_at"] = datetime.fromisoformat(state["starts_at"])
    state["ends_at"] = datetime.fromisoformat(state["ends_at"])


def _area_not_recorded(state: dict[str, Any]) -> None:
    """Version 2 carried a ``within_competence`` flag the caller set (always true, since
    false was refused); the matter's area was not recorded."""
    state.pop("within_competence", None)
    state["matter_area"] = None


class Appointment(Aggregate):
    """One official's reception slot and who is booked into it.

    The id is derived from (official, slot start), so the event store refuses a second
    booking of the same slot; once cancelled or refused, the slot can be booked again
    (``Rebooked``) and its whole history stays on the one aggregate.
    """

    class Booked(Aggregate.Created):
        """An applicant was booked into an official's slot through a channel."""

        schedule_id: UUID
        official: str
        office: str
        office_level: str
        session: int
        starts_at: datetime
        ends_at: datetime
        received_by: str
        applicant_ref: str
        channel: str
        matter: str
        matter_area: str | None
        actor: str

        class_version = 3
        upcast_v1_v2 = staticmethod(_slot_times_from_text)
        upcast_v2_v3 = staticmethod(_area_not_recorded)

    class Rebooked(Aggregate.Event):
        """A freed (cancelled or refused) slot was booked again."""

        schedule_id: UUID
        official: str
        office: str
        office_level: str
        session: int
        starts_at: datetime
        ends_at: datetime
        received_by: str
        applicant_ref: str
        channel: str
        matter: str
        matter_area: str | None
        actor: str

        class_version = 3
        upcast_v1_v2 = staticmethod(_slot_times_from_text)
        upcast_v2_v3 = staticmethod(_area_not_recorded)

    class AdmissionRefused(Aggregate.Event):
        """Admission to a GPO reception was refused on one of the grounds of the rules."""

        ground: str
        reasons: str
        office: str
        actor: str

    class Cancelled(Aggregate.Event):
        """The booking was cancelled; the slot is free again."""

        reason: str
        office: str
        actor: str

    class Attended(Aggregate.Event):
        """The applicant was received."""

        received_by: str
        office: str
        actor: str

    schedule_id: UUID
    official: str
    office: str
    office_level: str
    session: int
    starts_at: datetime
    ends_at: datetime
    received_by: str
    applicant_ref: str
    channel: str
    matter: str
    # None on bookings made before the matter's area was recorded (December 2026).
    matter_area: str | None
    status: AppointmentStatus
    booking: int
    booked_by: str
    refusal_ground: str | None
    refusal_reasons: str | None
    cancellation_reason: str | None

    @classmethod
    def book(
        cls,
        *,
        schedule: ReceptionSchedule,
        starts_at: datetime,
        applicant_ref: str,
        channel: str,
        matter: str,
        matter_area: str,
        offices: OfficeDirectory,
        rules: ReceptionRules,
        now: datetime,
        actor: str,
        seal: Sealer = unsealed,
    ) -> Appointment:
        booking = check_booking(
            schedule, starts_at, applicant_ref, channel, matter, matter_area, offices, rules, now
        )
        return cls._create(
            cls.Booked,
            id=slot_id(booking.official, booking.starts_at),
            **booked_fields(booking, applicant_ref, channel, seal(matter.strip()), actor),
        )

    @event(Booked)
    def __init__(
        self,
        *,
        schedule_id: UUID,
        official: str,
        office: str,
        office_level: str,
        session: int,
        starts_at: datetime,
        ends_at: datetime,
        received_by: str,
        applicant_ref: str,
        channel: str,
        matter: str,
        matter_area: str | None,
        actor: str,
    ) -> None:
        self.booking = 0
        self._apply_booking(
            schedule_id=schedule_id,
            official=official,
            office=office,
            office_level=office_level,
            session=session,
            starts_at=starts_at,
            ends_at=ends_at,
            received_by=received_by,
            applicant_ref=applicant_ref,
            channel=channel,
            matter=matter,
            matter_area=matter_area,
            actor=actor,
        )

    def rebook(
        self,
        *,
        schedule: ReceptionSchedule,
        starts_at: datetime,
        applicant_ref: str,
        channel: str,
        matter: str,
        matter_area: str,
        offices: OfficeDirectory,
        rules: ReceptionRules,
        now: datetime,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        booking = check_booking(
            schedule, starts_at, applicant_ref, channel, matter, matter_area, offices, rules, now
        )
        if self.status in (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED):
            raise SlotTaken(
                f"{self.official} already has an appointment at {self.starts_at.isoformat()}.",
                field="starts_at",
            )
        self._rebooked(
            **booked_fields(booking, applicant_ref, channel, seal(matter.strip()), actor)
        )

    @event(Rebooked)
    def _rebooked(
        self,
        *,
        schedule_id: UUID,
        official: str,
        office: str,
        office_level: str,
        session: int,
        starts_at: datetime,
        ends_at: datetime,
        received_by: str,
        applicant_ref: str,
        channel: str,
        matter: str,
        matter_area: str | None,
        actor: str,
    ) -> None:
        self._apply_booking(
            schedule_id=schedule_id,
            official=official,
            office=office,
            office_level=office_level,
            session=session,
            starts_at=starts_at,
            ends_at=ends_at,
            received_by=received_by,
            applicant_ref=applicant_ref,
            channel=channel,
            matter=matter,
            matter_area=matter_area,
            actor=actor,
        )

    def _apply_booking(
        self,
        *,
        schedule_id: UUID,
        official: str,
        office: str,
        office_level: str,
        session: int,
        starts_at: datetime,
        ends_at: datetime,
        received_by: str,
        applicant_ref: str,
        channel: str,
        matter: str,
        matter_area: str | None,
        actor: str,
    ) -> None:
        self.schedule_id = schedule_id
        self.official = official
        self.office = office
        self.office_level = office_level
        self.session = session
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.received_by = received_by
        self.applicant_ref = applicant_ref
        self.channel = channel
        self.matter = matter
        self.matter_area = matter_area
        self.status = AppointmentStatus.BOOKED
        self.booking += 1
        self.booked_by = actor
        self.refusal_ground = None
        self.refusal_reasons = None
        self.cancellation_reason = None

    def refuse_admission(
        self,
        *,
        ground: str,
        reasons: str,
        rules: ReceptionRules,
        actor: str,
        seal: Sealer = unsealed,
    ) -> None:
        actor = check_text("actor", actor, 128)
        if self.office_level != Level.GPO.value:
            raise AdmissionRefusalOnlyAtGpo(
                "Admission is refused on these grounds only for receptions at the General "
                f"Prosecutor's Office; this appointment is at {self.office}.",
                field="ground",
            )
        if ground not in rules.gpo_admission_refusal_grounds:
            raise UnknownAdmissionRefusalGround(
                f"Unknown ground {ground!r}; use one of: "
                f"{', '.join(rules.gpo_admission_refusal_grounds)}.",
                field="ground",
            )
        if not reasons or not reasons.strip():
            raise AdmissionRefusalReasonsRequired(
                "A refusal of admission states its reasons.", field="reasons"
            )
        reasons = check_text("reasons", reasons, MAX_TEXT)
        self.check_booked()
        self._refused(ground=ground, reasons=seal(reasons), office=self.office, actor=actor)

    @event(AdmissionRefused)
    def _refused(self, *, ground: str, reasons: str, office: str, actor: str) -> None:
        self.status = AppointmentStatus.ADMISSION_REFUSED
        self.refusal_ground = ground
        self.refusal_reasons = reasons

    def cancel(self, *, reason: str, now: datetime, actor: str, seal: Sealer = unsealed) -> None:
        actor = check_text("actor", actor, 128)
        reason = seal(check_text("reason", reason, MAX_TEXT))
        self.check_booked()
        if now >= self.starts_at:
            raise SlotStarted(
                f"The slot started at {self.starts_at.isoformat()}; it can no longer be cancelled.",
            )
        self._cancelled(reason=reason, office=self.office, actor=actor)

    @event(Cancelled)
    def _cancelled(self, *, reason: str, office: str, actor: str) -> None:
        self.status = AppointmentStatus.CANCELLED
        self.cancellation_reason = reason

    def attend(self, *, now: datetime, actor: str) -> None:
        actor = check_text("actor", actor, 128)
        self.check_booked()
        if now < self.starts_at:
            raise SlotNotStarted(
                f"The slot starts at {self.starts_at.isoformat()}; attendance is recorded "
                "from then on."
            )
        self._attended(received_by=self.received_by, office=self.office, actor=actor)

    @event(Attended)
    def _attended(self, *, received_by: str, office: str, actor: str) -> None:
        self.status = AppointmentStatus.ATTENDED

    def check_booked(self) -> None:
        if self.status is not AppointmentStatus.BOOKED:
            raise AppointmentNotBooked(f"The appointment is {self.status.value}, not booked.")


events_dated_by_the_clock(Appointment)
register_topic("domain.reception:Appointment", Appointment)
