"""Commands and queries on reception schedules and appointments: load, act, save.

The schedules and appointments live in the same event store as appeals (the
``AppealsService`` application), so that one relay publishes them all in one order.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.appointment import Appointment, slot_id
from domain.calendar import WorkingCalendar
from domain.clock import Clock, aware, on_the_clock
from domain.commands.base import ReceptionOutcome
from domain.commands.reception import (
    AppointmentCommand,
    AppointStaff,
    ApproveSchedule,
    BookAppointment,
    CancelAppointment,
    DelegateSession,
    RecordAttendance,
    RefuseAdmission,
    ReleaseStaff,
)
from domain.errors import DomainError, VersionConflict
from domain.offices import Office, OfficeDirectory
from domain.reception import ReceptionSchedule
from domain.reception_errors import (
    AppointmentNotFound,
    OfficeNotFound,
    ScheduleNotFound,
    ScheduleOverlap,
    SlotTaken,
)
from domain.reception_terms import Role, check_aware
from domain.rules import NoRuleSetInForce, ReceptionRules, RuleBook
from domain.service import AppealsService
from domain.staff import NotOnStaff, OfficeStaff, staff_list_id
from domain.versions import check_expected_version as check_version

A = TypeVar("A", bound=Aggregate)
_SCAN_BATCH = 500


class ReceptionService:
    """Reception schedules and appointments, stored in ``app``'s event store."""

    def __init__(
        self,
        app: AppealsService,
        offices: OfficeDirectory,
        rules: RuleBook,
        clock: Clock,
        calendar: WorkingCalendar,
    ) -> None:
        self.app = app
        self.offices = offices
        self.rules = rules
        self.clock = clock
        self.calendar = calendar

    # --- offices ---------------------------------------------------------------------

    def office(self, code: str) -> Office:
        if code not in self.offices:
            raise OfficeNotFound(f"No office has code {code!r}; GET /offices lists them.")
        return self.offices.get(code)

    # --- schedules -------------------------------------------------------------------

    @on_the_clock
    def approve_schedule(self, c: ApproveSchedule, actor: str) -> ReceptionOutcome:
        schedule = ReceptionSchedule.approve(
            schedule_id=uuid4(),
            office=self.office(c.office),
            official=c.official,
            role=c.role,
            kind=c.kind,
            facility_type=c.facility_type,
            facility_name=c.facility_name,
            period_from=c.period_from,
            period_to=c.period_to,
            slot_minutes=c.slot_minutes,
            sessions=list(c.sessions),
            rules=self.reception_rules(c.period_from, "period_from"),
            calendar=self.calendar,
            actor=actor,
        )
        times = [(s.start, s.end) for s in schedule.sessions]
        for other in self.schedules(official=schedule.official):
            if other.overlaps(times):
                raise ScheduleOverlap(
                    f"{schedule.official} already has schedule {other.id} with a session at "
                    "one of these times.",
                    field="sessions",
                )
        return self._save(schedule, created=True)

    @on_the_clock
    def delegate_session(
        self, c: DelegateSession, actor: str, expected_version: int | None
    ) -> ReceptionOutcome:
        schedule = self.get_schedule(c.schedule_id, office=c.office)
        self.check_expected_version(schedule, expected_version)
        staff = self.staff_of(schedule.office)
        deputies = staff.holding(Role.DEPUTY_REGIONAL_PROSECUTOR) if staff else frozenset()
        schedule.delegate(
            session=c.session, deputy=c.deputy, deputies=deputies, now=self.now(), actor=actor
        )
        return self._save(schedule)

    def get_schedule(self, schedule_id: UUID, *, office: str | None = None) -> ReceptionSchedule:
        if office is not None:
            self.office(office)
        schedule = self._get(ReceptionSchedule, schedule_id)
        if schedule is None or (office is not None and schedule.office != office):
            where = f" at {office}" if office is not None else ""
            raise ScheduleNotFound(f"No reception schedule {schedule_id}{where}.")
        return schedule

    def schedules(
        self, *, office: str | None = None, official: str | None = None
    ) -> list[ReceptionSchedule]:
        """Approved schedules, oldest first, read from the event store itself (there is
        no read model for them yet, and approvals are few)."""
        if office is not None:
            self.office(office)
        topic = get_topic(ReceptionSchedule.Approved)
        found: list[ReceptionSchedule] = []
        start = 1
        while True:
            batch = self.app.recorder.select_notifications(
                start=start, limit=_SCAN_BATCH, topics=[topic]
            )
            for notification in batch:
                approved: Any = self.app.mapper.to_domain_event(notification)
                if (office is None or approved.office == office) and (
                    official is None or approved.official == official
                ):
                    found.append(self.get_schedule(approved.originator_id))
            if len(batch) < _SCAN_BATCH:
                return found
            start = batch[-1].id + 1

    # --- staff -----------------------------------------------------------------------

    def staff_of(self, office: str) -> OfficeStaff | None:
        return self._get(OfficeStaff, staff_list_id(office))

    @on_the_clock
    def appoint_staff(self, c: AppointStaff, actor: str) -> ReceptionOutcome:
        office = self.office(c.office)
        staff = self.staff_of(office.code)
        created = staff is None
        if staff is None:
            staff = OfficeStaff.open(office, actor)
        if not staff.appoint(staff_id=c.staff_id, position=c.position, office=office, actor=actor):
            return ReceptionOutcome(staff.id, staff.version, None, created=False)
        return self._save(staff, created=created)

    @on_the_clock
    def release_staff(self, c: ReleaseStaff, actor: str) -> ReceptionOutcome:
        staff = self.staff_of(self.office(c.office).code)
        if staff is None:
            raise NotOnStaff(f"{c.staff_id} is not on the staff of {c.office}.")
        staff.release(staff_id=c.staff_id, actor=actor)
        return self._save(staff)

    # --- appointments ----------------------------------------------------------------

    @on_the_clock
    def book(self, schedule: ReceptionSchedule, c: BookAppointment, actor: str) -> ReceptionOutcome:
        """Book a slot. Retrying the same booking records nothing new; booking a slot
        someone else holds is refused (``slot-taken``), even when two race."""
        starts_at, applicant_ref, channel, matter = (
            c.starts_at,
            c.applicant_ref,
            c.channel,
            c.matter,
        )
        check_aware("starts_at", starts_at)
        now = self.now()
        args: dict[str, Any] = {
            "schedule": schedule,
            "starts_at": starts_at,
            "applicant_ref": applicant_ref,
            "channel": channel,
            "matter": matter,
            "matter_area": c.matter_area,
            "offices": self.offices,
            "rules": self.reception_rules(starts_at.date(), "starts_at"),
            "now": now,
            "actor": actor,
            # What the applicant raises is sealed with their key, like an appeal's texts.
            "seal": self.app.sealer(applicant_ref.strip()),
        }
        existing = self._get(Appointment, slot_id(schedule.official, starts_at))
        if existing is None:
            appointment = Appointment.book(**args)
            return self._save(appointment, created=True, conflict=self._slot_taken(appointment))
        if existing.status == "booked" and (
            existing.applicant_ref,
            existing.channel,
            self.app.reveal(existing.matter),
        ) == (applicant_ref.strip(), channel, matter.strip()):
            return ReceptionOutcome(existing.id, existing.version, None, created=False)
        existing.rebook(**args)
        return self._save(existing, created=True, conflict=self._slot_taken(existing))

    def get_appointment(self, appointment_id: UUID) -> Appointment:
        appointment = self._get(Appointment, appointment_id)
        if appointment is None:
            raise AppointmentNotFound(f"No appointment has id {appointment_id}.")
        return appointment

    @on_the_clock
    def on_appointment(
        self,
        appointment: Appointment,
        c: AppointmentCommand,
        actor: str,
        expected_version: int | None,
    ) -> ReceptionOutcome:
        """Refuse admission, cancel or record attendance of a loaded appointment."""
        self.check_expected_version(appointment, expected_version)
        seal = self.app.sealer(appointment.applicant_ref)
        if isinstance(c, RefuseAdmission):
            rules = self.reception_rules(self.now().date(), "ground")
            appointment.refuse_admission(
                ground=c.ground, reasons=c.reasons, rules=rules, actor=actor, seal=seal
            )
        elif isinstance(c, CancelAppointment):
            appointment.cancel(reason=c.reason, now=self.now(), actor=actor, seal=seal)
        elif isinstance(c, RecordAttendance):
            appointment.attend(now=self.now(), actor=actor)
        else:
            raise TypeError(f"no handler for {type(c).__name__}")
        return self._save(appointment)

    # --- shared ----------------------------------------------------------------------

    def now(self) -> datetime:
        return aware(self.clock())

    def reception_rules(self, day: date, field: str) -> ReceptionRules:
        for rules in self.rules.reception:
            if rules.effective_from <= day and (
                rules.effective_to is None or day <= rules.effective_to
            ):
                return rules
        raise NoRuleSetInForce(
            f"No reception rules were in force on {day.isoformat()}; the earliest are of "
            "9 October 2017.",
            field=field,
        )

    @staticmethod
    def check_expected_version(aggregate: Aggregate, expected_version: int | None) -> None:
        # "ReceptionSchedule" -> "reception schedule", for the message.
        what = re.sub(r"(?<!^)(?=[A-Z])", " ", type(aggregate).__name__).lower()
        check_version(what, aggregate.version, expected_version)

    def _get(self, cls: type[A], aggregate_id: UUID) -> A | None:
        try:
            aggregate: Aggregate = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    @staticmethod
    def _slot_taken(appointment: Appointment) -> SlotTaken:
        return SlotTaken(
            f"{appointment.official} already has an appointment at "
            f"{appointment.starts_at.isoformat()}.",
            field="starts_at",
        )

    def _save(
        self,
        aggregate: Aggregate,
        *,
        created: bool = False,
        conflict: DomainError | None = None,
    ) -> ReceptionOutcome:
        try:
            recordings = self.app.save(aggregate)
        except IntegrityError:
            raise conflict or VersionConflict(
                "It was changed by someone else at the same time; reload it and retry."
            ) from None
        position = recordings[-1].notification.id if recordings else None
        return ReceptionOutcome(aggregate.id, aggregate.version, position, created=created)
