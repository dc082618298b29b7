"""Reception schedules and appointments on the library's in-memory store, with a
fixed clock: every rule, and that a refused command records nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from api.problems import status_of
from domain import commands
from domain.appointment import Appointment
from domain.clock import events_on
from domain.errors import DomainError, VersionConflict
from domain.offices import OfficeDirectory
from domain.reception import ReceptionSchedule
from domain.reception_service import ReceptionOutcome, ReceptionService
from domain.rules import RuleBook
from domain.service import AppealsService
from infra.contract.envelope import CONTRACT, from_kafka_value, to_kafka_message, to_record
from tests.support import SettableClock, staff, stored_as_version_1

KZ = timezone(timedelta(hours=5))
START = datetime(2025, 1, 10, 12, 0, tzinfo=KZ)


def at(day: str, hh_mm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hh_mm}:00+05:00")


class WeekendsOnly:
    """A calendar without public holidays: these tests are about reception, not holidays."""

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5


@pytest.fixture
def app(clock: SettableClock) -> AppealsService:
    return AppealsService(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, calendar=WeekendsOnly(), clock=clock
    )


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


@pytest.fixture
def reception(app: AppealsService, clock: SettableClock) -> ReceptionService:
    service = ReceptionService(
        app, OfficeDirectory.default(), RuleBook.default(), clock, WeekendsOnly()
    )
    app.bus.reception = service
    return service


def recorded(app: AppealsService) -> int:
    return app.recorder.max_notification_id() or 0


def refused(
    app: AppealsService, rule: str, command: Callable[[], object], status: int = 422
) -> DomainError:
    """Run ``command``, expect it refused on ``rule``, and check nothing was recorded."""
    before = recorded(app)
    with pytest.raises(DomainError) as caught:
        command()
    assert (caught.value.rule, status_of(caught.value)[0]) == (rule, status), caught.value.detail
    assert recorded(app) == before
    return caught.value


# --- schedules of each level -----------------------------------------------------------

GPO_SESSIONS = [
    (at("2025-02-14", "10:00"), at("2025-02-14", "12:00")),
    (at("2025-03-14", "10:00"), at("2025-03-14", "12:00")),
]
REGIONAL_SESSIONS = [
    (at("2025-02-05", "15:00"), at("2025-02-05", "17:00")),
    (at("2025-02-12", "15:00"), at("2025-02-12", "17:00")),
]
STAFF_SESSIONS = [(at(f"2025-02-0{d}", "09:00"), at(f"2025-02-0{d}", "18:30")) for d in range(3, 8)]


def gpo_schedule(reception: ReceptionService, **overrides: Any) -> ReceptionOutcome:
    values: dict[str, Any] = {
        "office": "GPO",
        "official": "gpo.deputy.1",
        "role": "deputy_prosecutor_general",
        "kind": "by_appointment",
        "period_from": date(2025, 2, 1),
        "period_to": date(2025, 3, 31),
        "sessions": GPO_SESSIONS,
        "actor": "gpo.secretariat",
    }
    values.update(overrides)
    actor = values.pop("actor")
    return reception.app.bus.send(commands.ApproveSchedule(**values), staff(actor))


def regional_schedule(reception: ReceptionService, **overrides: Any) -> ReceptionOutcome:
    values: dict[str, Any] = {
        "office": "REG-AST",
        "official": "ast.prosecutor",
        "role": "regional_prosecutor",
        "kind": "by_appointment",
        "period_from": date(2025, 2, 3),
        "period_to": date(2025, 2, 16),
        "sessions": REGIONAL_SESSIONS,
        "actor": "ast.office",
    }
    values.update(overrides)
    actor = values.pop("actor")
    return reception.app.bus.send(commands.ApproveSchedule(**values), staff(actor))


def staff_schedule(reception: ReceptionService, **overrides: Any) -> ReceptionOutcome:
    values: dict[str, Any] = {
        "office": "DIS-AST-YESIL",
        "official": "yesil.staff.1",
        "role": "staff",
        "kind": "daily_without_appointment",
        "period_from": date(2025, 2, 3),
        "period_to": date(2025, 2, 9),
        "sessions": STAFF_SESSIONS,
        "actor": "yesil.head",
    }
    values.update(overrides)
    actor = values.pop("actor")
    return reception.app.bus.send(commands.ApproveSchedule(**values), staff(actor))


def test_gpo_schedule_is_approved_under_the_rules_in_force(
    app: AppealsService, reception: ReceptionService
) -> None:
    outcome = gpo_schedule(reception)
    schedule = reception.get_schedule(outcome.id, office="GPO")
    assert [s.number for s in schedule.sessions] == [1, 2]
    assert schedule.rule_set == "gpo-order-29-2023"
    [approved] = list(app.events.get(outcome.id))
    assert isinstance(approved, ReceptionSchedule.Approved)
    assert approved.actor == "gpo.secretariat"


def test_schedule_of_a_period_before_2023_records_the_2017_rules(
    reception: ReceptionService,
) -> None:
    sessions = [(at("2022-05-11", "10:00"), at("2022-05-11", "11:00"))]
    outcome = gpo_schedule(
        reception,
        period_from=date(2022, 5, 1),
        period_to=date(2022, 5, 31),
        sessions=sessions,
    )
    assert reception.get_schedule(outcome.id).rule_set == "gpo-reception-2017"


def test_no_reception_rules_before_october_2017(
    app: AppealsService, reception: ReceptionService
) -> None:
    sessions = [(at("2016-05-11", "10:00"), at("2016-05-11", "11:00"))]
    refused(
        app,
        "no-rule-set-in-force",
        lambda: gpo_schedule(
            reception,
            period_from=date(2016, 5, 1),
            period_to=date(2016, 5, 31),
            sessions=sessions,
        ),
    )


def test_gpo_senior_must_receive_in_every_month(
    app: AppealsService, reception: ReceptionService
) -> None:
    error = refused(
        app, "gpo-monthly-reception", lambda: gpo_schedule(reception, sessions=GPO_SESSIONS[:1])
    )
    assert "2025-03" in error.detail


def test_regional_senior_must_receive_in_every_week(
    app: AppealsService, reception: ReceptionService
) -> None:
    regional_schedule(reception)
    refused(
        app,
        "regional-weekly-reception",
        lambda: regional_schedule(reception, official="ast.deputy", sessions=REGIONAL_SESSIONS[1:]),
    )
    # A period starting on a Sunday covers that ISO week too.
    refused(
        app,
        "regional-weekly-reception",
        lambda: regional_schedule(reception, official="ast.deputy", period_from=date(2025, 2, 2)),
    )


def test_staff_receive_every_working_day_within_the_hours(
    app: AppealsService, reception: ReceptionService
) -> None:
    outcome = staff_schedule(reception)  # the weekend of 8-9 February needs no session
    assert reception.get_schedule(outcome.id).kind == "daily_without_appointment"
    refused(
        app,
        "daily-reception",
        lambda: staff_schedule(reception, official="yesil.staff.2", sessions=STAFF_SESSIONS[:4]),
    )
    early = [(at("2025-02-03", "08:30"), at("2025-02-03", "12:00")), *STAFF_SESSIONS[1:]]
    refused(
        app,
        "reception-hours",
        lambda: staff_schedule(reception, official="yesil.staff.2", sessions=early),
    )
    late = [(at("2025-02-03", "09:00"), at("2025-02-03", "18:45")), *STAFF_SESSIONS[1:]]
    refused(
        app,
        "reception-hours",
        lambda: staff_schedule(reception, official="yesil.staff.2", sessions=late),
    )


def test_district_prosecutor_receives_without_appointment(
    app: AppealsService, reception: ReceptionService
) -> None:
    staff_schedule(reception, official="yesil.prosecutor", role="district_prosecutor")
    refused(
        app,
        "reception-kind-for-role",
        lambda: regional_schedule(
            reception, office="DIS-AST-YESIL", official="yesil.p2", role="district_prosecutor"
        ),
    )


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"role": "regional_prosecutor"}, "role-office-level"),
        ({"office": "REG-AST"}, "role-office-level"),
        ({"role": "archivist"}, "unknown-role"),
        ({"kind": "by_post"}, "unknown-reception-kind"),
        ({"role": "staff"}, "reception-kind-for-role"),
        ({"kind": "daily_without_appointment"}, "reception-kind-for-role"),
        (
            {"facility_type": "guardhouse", "facility_name": "Guardhouse 1"},
            "facility-only-for-duty",
        ),
        ({"period_to": date(2025, 1, 31)}, "invalid-period"),
        ({"period_to": date(2026, 2, 5)}, "invalid-period"),
        ({"sessions": []}, "no-sessions"),
        ({"slot_minutes": 0}, "invalid-slot-length"),
        ({"official": " "}, "text-required"),
        ({"actor": ""}, "text-required"),
        (
            {"sessions": [(datetime(2025, 2, 14, 10), datetime(2025, 2, 14, 11)), GPO_SESSIONS[1]]},
            "timezone-required",
        ),
        (
            {"sessions": [(at("2025-02-14", "12:00"), at("2025-02-14", "10:00")), GPO_SESSIONS[1]]},
            "invalid-session",
        ),
        (
            {"sessions": [(at("2025-02-14", "23:00"), at("2025-02-15", "01:00")), GPO_SESSIONS[1]]},
            "invalid-session",
        ),
        (
            {"sessions": [(at("2025-04-01", "10:00"), at("2025-04-01", "11:00")), *GPO_SESSIONS]},
            "invalid-session",
        ),
        (
            {"sessions": [(at("2025-02-14", "11:00"), at("2025-02-14", "13:00")), *GPO_SESSIONS]},
            "sessions-overlap",
        ),
    ],
)
def test_schedule_breaking_a_rule_is_refused(
    app: AppealsService, reception: ReceptionService, overrides: dict[str, Any], rule: str
) -> None:
    refused(app, rule, lambda: gpo_schedule(reception, **overrides))


def test_unknown_office_is_not_found(app: AppealsService, reception: ReceptionService) -> None:
    refused(app, "office-not-found", lambda: gpo_schedule(reception, office="NOWHERE"), 404)


def test_duty_prosecutor_needs_a_detention_facility(
    app: AppealsService, reception: ReceptionService
) -> None:
    duty: dict[str, Any] = {
        "office": "REG-AST",
        "official": "ast.duty.1",
        "role": "duty_prosecutor",
        "kind": "facility_duty",
    }
    refused(app, "facility-required", lambda: regional_schedule(reception, **duty))
    refused(
        app,
        "facility-required",
        lambda: regional_schedule(reception, **duty, facility_type="hotel", facility_name="X"),
    )
    refused(
        app,
        "facility-required",
        lambda: regional_schedule(reception, **duty, facility_type="guardhouse"),
    )
    sessions = [(at("2025-02-08", "20:00"), at("2025-02-08", "22:00"))]  # a Saturday evening
    outcome = regional_schedule(
        reception,
        **duty,
        facility_type="temporary_containment_cell",
        facility_name="TCC of the Astana police department",
        sessions=sessions,
    )
    assert reception.get_schedule(outcome.id).facility_type == "temporary_containment_cell"


def test_an_official_cannot_have_two_schedules_at_the_same_time(
    app: AppealsService, reception: ReceptionService
) -> None:
    gpo_schedule(reception)
    refused(app, "schedule-overlap", lambda: gpo_schedule(reception), 409)
    later = [(at("2025-04-14", "10:00"), at("2025-04-14", "12:00"))]
    gpo_schedule(
        reception, period_from=date(2025, 4, 1), period_to=date(2025, 4, 30), sessions=later
    )
    assert len(reception.schedules(office="GPO")) == 2
    assert reception.schedules(office="REG-AST") == []


# --- delegation ------------------------------------------------------------------------


def test_regional_prosecutor_delegates_a_session_to_a_deputy(
    app: AppealsService, reception: ReceptionService
) -> None:
    schedule_id = regional_schedule(reception).id
    outcome = reception.app.bus.send(
        commands.DelegateSession(
            office="REG-AST", schedule_id=schedule_id, session=2, deputy="ast.deputy.1"
        ),
        staff("ast.prosecutor"),
        expected_version=1,
    )
    assert outcome.version == 2
    schedule = reception.get_schedule(schedule_id)
    assert [s.delegate for s in schedule.sessions] == [None, "ast.deputy.1"]
    delegated = list(app.events.get(schedule_id))[-1]
    assert isinstance(delegated, ReceptionSchedule.SessionDelegated)
    assert (delegated.actor, delegated.office) == ("ast.prosecutor", "REG-AST")
    appointment_id = book(reception, schedule_id, at("2025-02-12", "15:30")).id
    assert reception.get_appointment(appointment_id).received_by == "ast.deputy.1"


def test_delegation_rules(
    app: AppealsService, reception: ReceptionService, clock: SettableClock
) -> None:
    schedule_id = regional_schedule(reception).id

    def delegate(**overrides: Any) -> ReceptionOutcome:
        values: dict[str, Any] = {
            "office": "REG-AST",
            "schedule_id": schedule_id,
            "session": 1,
            "deputy": "ast.deputy.1",
            "actor": "ast.prosecutor",
        }
        values.update(overrides)
        actor, expected_version = values.pop("actor"), values.pop("expected_version", None)
        return reception.app.bus.send(
            commands.DelegateSession(**values), staff(actor), expected_version=expected_version
        )

    refused(app, "unknown-session", lambda: delegate(session=3))
    refused(app, "invalid-deputy", lambda: delegate(deputy="ast.prosecutor"))
    refused(app, "schedule-not-found", lambda: delegate(office="REG-ALA"), 404)
    refused(app, "schedule-not-found", lambda: delegate(schedule_id=uuid4()), 404)
    delegate()
    refused(app, "already-delegated", lambda: delegate(), 409)
    refused(app, "version-conflict", lambda: delegate(deputy="x", expected_version=1), 409)
    clock.now = at("2025-02-06", "09:00")
    refused(app, "session-in-past", lambda: delegate(deputy="ast.deputy.2"), 409)
    gpo_id = gpo_schedule(reception).id
    refused(
        app,
        "delegation-regional-prosecutor-only",
        lambda: delegate(office="GPO", schedule_id=gpo_id),
    )


# --- appointments ------------------------------------------------------------------------


def book(
    reception: ReceptionService, schedule_id: UUID, starts_at: datetime, **overrides: Any
) -> ReceptionOutcome:
    values: dict[str, Any] = {
        "schedule_id": schedule_id,
        "starts_at": starts_at,
        "applicant_ref": "applicant-7f3a",
        "channel": "call_centre_115",
        "matter": "Inaction of the investigator in case 123",
        "within_competence": True,
        "actor": "cc115.operator.4",
    }
    values.update(overrides)
    actor = values.pop("actor")
    return reception.app.bus.send(commands.BookAppointment(**values), staff(actor))


def test_booking_a_slot_records_who_what_and_when(
    app: AppealsService, reception: ReceptionService
) -> None:
    schedule_id = gpo_schedule(reception).id
    outcome = book(reception, schedule_id, at("2025-02-14", "10:30"))
    appointment = reception.get_appointment(outcome.id)
    assert appointment.status == "booked"
    assert (appointment.starts_at, appointment.ends_at) == (
        at("2025-02-14", "10:30"),
        at("2025-02-14", "11:00"),
    )
    assert (appointment.official, appointment.office, appointment.session) == (
        "gpo.deputy.1",
        "GPO",
        1,
    )
    assert appointment.received_by == "gpo.deputy.1"
    [booked] = list(app.events.get(outcome.id))
    assert isinstance(booked, Appointment.Booked)
    assert booked.actor == "cc115.operator.4"


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"channel": "personal_reception"}, "booking-channel"),
        ({"channel": "fax"}, "booking-channel"),
        ({"within_competence": False}, "outside-competence"),
        ({"applicant_ref": "061211600012"}, "applicant-ref-pseudonymous"),
        ({"applicant_ref": "Ivanov Ivan"}, "applicant-ref-pseudonymous"),
        ({"applicant_ref": ""}, "text-required"),
        ({"matter": "  "}, "text-required"),
        ({"starts_at": at("2025-02-15", "10:00")}, "slot-outside-schedule"),
        ({"starts_at": at("2025-02-14", "12:00")}, "slot-outside-schedule"),
        ({"starts_at": at("2025-02-14", "09:30")}, "slot-outside-schedule"),
        ({"starts_at": at("2025-02-14", "10:10")}, "slot-misaligned"),
        ({"starts_at": datetime(2025, 2, 14, 10, 30)}, "timezone-required"),
    ],
)
def test_booking_breaking_a_rule_is_refused(
    app: AppealsService, reception: ReceptionService, overrides: dict[str, Any], rule: str
) -> None:
    schedule_id = gpo_schedule(reception).id
    values: dict[str, Any] = {"starts_at": at("2025-02-14", "10:30"), **overrides}
    refused(app, rule, lambda: book(reception, schedule_id, **values))


def test_the_same_instant_in_another_offset_is_the_same_slot(
    app: AppealsService, reception: ReceptionService
) -> None:
    schedule_id = gpo_schedule(reception).id
    book(reception, schedule_id, at("2025-02-14", "10:30"))
    utc = datetime(2025, 2, 14, 5, 30, tzinfo=UTC)
    refused(app, "slot-taken", lambda: book(reception, schedule_id, utc, applicant_ref="b-2"), 409)


def test_slot_in_the_past_is_refused(
    app: AppealsService, reception: ReceptionService, clock: SettableClock
) -> None:
    schedule_id = gpo_schedule(reception).id
    clock.now = at("2025-02-14", "11:00")
    refused(app, "slot-in-past", lambda: book(reception, schedule_id, at("2025-02-14", "10:30")))
    book(reception, schedule_id, at("2025-02-14", "11:30"))


def test_staff_and_duty_prosecutors_take_no_bookings(
    app: AppealsService, reception: ReceptionService
) -> None:
    schedule_id = staff_schedule(reception).id
    refused(
        app,
        "official-not-by-appointment",
        lambda: book(reception, schedule_id, at("2025-02-03", "10:00")),
    )
    refused(app, "schedule-not-found", lambda: book(reception, uuid4(), START), 404)


def test_double_booking_a_slot_is_refused(app: AppealsService, reception: ReceptionService) -> None:
    schedule_id = gpo_schedule(reception).id
    first = book(reception, schedule_id, at("2025-02-14", "10:30"))
    error = refused(
        app,
        "slot-taken",
        lambda: book(reception, schedule_id, at("2025-02-14", "10:30"), applicant_ref="other-1"),
        409,
    )
    assert error.field == "starts_at"
    assert reception.get_appointment(first.id).applicant_ref == "applicant-7f3a"
    # Another official's slot at the same time is free.
    regional_id = regional_schedule(reception).id
    book(reception, regional_id, at("2025-02-05", "15:00"))


def test_the_event_store_refuses_a_second_booking_of_a_slot_even_in_a_race(
    app: AppealsService, reception: ReceptionService, clock: SettableClock
) -> None:
    schedule = reception.get_schedule(gpo_schedule(reception).id)
    rules = reception.reception_rules(date(2025, 2, 14), "starts_at")

    def booking(ref: str) -> Appointment:
        return Appointment.book(
            schedule=schedule,
            starts_at=at("2025-02-14", "10:30"),
            applicant_ref=ref,
            channel="written",
            matter="m",
            within_competence=True,
            rules=rules,
            now=clock.now,
            actor="clerk",
        )

    with events_on(clock):
        first, second = booking("ref-a"), booking("ref-b")  # both checked before saving
    assert first.id == second.id
    app.save(first)
    with pytest.raises(IntegrityError):
        app.save(second)
    assert reception.get_appointment(first.id).applicant_ref == "ref-a"


def test_retrying_the_same_booking_records_nothing_new(
    app: AppealsService, reception: ReceptionService
) -> None:
    schedule_id = gpo_schedule(reception).id
    first = book(reception, schedule_id, at("2025-02-14", "10:30"))
    before = recorded(app)
    again = book(reception, schedule_id, at("2025-02-14", "10:30"))
    assert (again.id, again.created, again.position) == (first.id, False, None)
    assert recorded(app) == before


def test_cancelled_slot_can_be_booked_again(
    app: AppealsService, reception: ReceptionService
) -> None:
    schedule_id = gpo_schedule(reception).id
    first = book(reception, schedule_id, at("2025-02-14", "10:30"))
    reception.app.bus.send(
        commands.CancelAppointment(appointment_id=first.id, reason="Applicant is ill"),
        staff("cc115.operator.4"),
    )
    again = book(
        reception, schedule_id, at("2025-02-14", "10:30"), applicant_ref="b-2", channel="written"
    )
    assert again.id == first.id and again.version == 3
    appointment = reception.get_appointment(again.id)
    assert (appointment.status, appointment.applicant_ref, appointment.booking) == (
        "booked",
        "b-2",
        2,
    )
    assert appointment.cancellation_reason is None
    kinds = [type(e) for e in app.events.get(again.id)]
    assert kinds == [Appointment.Booked, Appointment.Cancelled, Appointment.Rebooked]
    refused(
        app,
        "slot-taken",
        lambda: book(reception, schedule_id, at("2025-02-14", "10:30"), applicant_ref="c-3"),
        409,
    )


def test_cancellation_rules(
    app: AppealsService, reception: ReceptionService, clock: SettableClock
) -> None:
    schedule_id = gpo_schedule(reception).id
    appointment_id = book(reception, schedule_id, at("2025-02-14", "10:30")).id
    refused(
        app,
        "text-required",
        lambda: reception.app.bus.send(
            commands.CancelAppointment(appointment_id=appointment_id, reason=""), staff("a")
        ),
    )
    refused(
        app,
        "version-conflict",
        lambda: reception.app.bus.send(
            commands.CancelAppointment(appointment_id=appointment_id, reason="r"),
            staff("a"),
            expected_version=2,
        ),
        409,
    )
    clock.now = at("2025-02-14", "10:30")
    refused(
        app,
        "slot-started",
        lambda: reception.app.bus.send(
            commands.CancelAppointment(appointment_id=appointment_id, reason="r"), staff("a")
        ),
        409,
    )
    clock.now = START
    reception.app.bus.send(
        commands.CancelAppointment(appointment_id=appointment_id, reason="r"),
        staff("a"),
        expected_version=1,
    )
    refused(
        app,
        "appointment-not-booked",
        lambda: reception.app.bus.send(
            commands.CancelAppointment(appointment_id=appointment_id, reason="r"), staff("a")
        ),
        409,
    )
    assert reception.get_appointment(appointment_id).status == "cancelled"


def test_attendance_is_recorded_once_the_slot_starts(
    app: AppealsService, reception: ReceptionService, clock: SettableClock
) -> None:
    schedule_id = gpo_schedule(reception).id
    appointment_id = book(reception, schedule_id, at("2025-02-14", "10:30")).id
    refused(
        app,
        "slot-not-started",
        lambda: reception.app.bus.send(
            commands.RecordAttendance(appointment_id=appointment_id), staff("g")
        ),
        409,
    )
    clock.now = at("2025-02-14", "10:31")
    reception.app.bus.send(
        commands.RecordAttendance(appointment_id=appointment_id), staff("gpo.deputy.1")
    )
    assert reception.get_appointment(appointment_id).status == "attended"
    attended = list(app.events.get(appointment_id))[-1]
    assert isinstance(attended, Appointment.Attended)
    assert attended.received_by == "gpo.deputy.1"
    refused(
        app,
        "appointment-not-booked",
        lambda: reception.app.bus.send(
            commands.RecordAttendance(appointment_id=appointment_id), staff("g")
        ),
        409,
    )
    refused(
        app,
        "appointment-not-found",
        lambda: reception.app.bus.send(
            commands.RecordAttendance(appointment_id=uuid4()), staff("g")
        ),
        404,
    )


def test_admission_to_a_gpo_reception_is_refused_on_a_ground_with_reasons(
    app: AppealsService, reception: ReceptionService
) -> None:
    schedule_id = gpo_schedule(reception).id
    appointment_id = book(reception, schedule_id, at("2025-02-14", "10:30")).id
    reception.app.bus.send(
        commands.RefuseAdmission(
            appointment_id=appointment_id,
            ground="appeal_period_missed",
            reasons="The cassation period ended on 3 January 2025.",
        ),
        staff("gpo.reception.head"),
        expected_version=1,
    )
    appointment = reception.get_appointment(appointment_id)
    assert (appointment.status, appointment.refusal_ground) == (
        "admission_refused",
        "appeal_period_missed",
    )
    refusal = list(app.events.get(appointment_id))[-1]
    assert isinstance(refusal, Appointment.AdmissionRefused)
    assert refusal.reasons.startswith("The cassation period")
    # The refused slot is free for someone else.
    book(reception, schedule_id, at("2025-02-14", "10:30"), applicant_ref="next-1")


@pytest.mark.parametrize(
    "ground",
    [
        "already_received_or_answered",
        "court_competence",
        "appeal_period_missed",
        "civpc_54_2_not_provided",
        "not_subject_to_cassation",
    ],
)
def test_each_of_the_five_grounds_is_accepted(reception: ReceptionService, ground: str) -> None:
    schedule_id = gpo_schedule(reception).id
    appointment_id = book(reception, schedule_id, at("2025-02-14", "10:30")).id
    reception.app.bus.send(
        commands.RefuseAdmission(appointment_id=appointment_id, ground=ground, reasons="Because."),
        staff("g"),
    )
    assert reception.get_appointment(appointment_id).refusal_ground == ground


def test_admission_refusal_rules(app: AppealsService, reception: ReceptionService) -> None:
    schedule_id = gpo_schedule(reception).id
    appointment_id = book(reception, schedule_id, at("2025-02-14", "10:30")).id

    def refuse(**overrides: Any) -> ReceptionOutcome:
        values: dict[str, Any] = {"ground": "court_competence", "reasons": "R.", "actor": "g"}
        values.update(overrides)
        actor, expected_version = values.pop("actor"), values.pop("expected_version", None)
        return reception.app.bus.send(
            commands.RefuseAdmission(appointment_id=appointment_id, **values),
            staff(actor),
            expected_version=expected_version,
        )

    refused(app, "admission-refusal-ground", lambda: refuse(ground="no_reason"))
    refused(app, "admission-refusal-reasons", lambda: refuse(reasons=" "))
    refused(app, "version-conflict", lambda: refuse(expected_version=5), 409)
    reception.app.bus.send(
        commands.CancelAppointment(appointment_id=appointment_id, reason="r"), staff("a")
    )
    refused(app, "appointment-not-booked", lambda: refuse(), 409)
    regional_id = regional_schedule(reception).id
    regional_appointment = book(reception, regional_id, at("2025-02-05", "15:00")).id
    refused(
        app,
        "admission-refusal-gpo-only",
        lambda: reception.app.bus.send(
            commands.RefuseAdmission(
                appointment_id=regional_appointment,
                ground="already_received_or_answered",
                reasons="R.",
            ),
            staff("g"),
        ),
    )


# --- the public contract -------------------------------------------------------------------


def test_every_reception_event_has_a_public_mapping() -> None:
    for aggregate in (ReceptionSchedule, Appointment):
        bases = {aggregate.Event, aggregate.Created}
        classes = {
            v
            for v in vars(aggregate).values()
            if isinstance(v, type) and issubclass(v, aggregate.Event) and v not in bases
        }
        assert classes and classes <= set(CONTRACT)


def test_reception_events_publish_valid_cloudevents_without_personal_text(
    app: AppealsService, reception: ReceptionService, clock: SettableClock
) -> None:
    regional_id = regional_schedule(reception).id
    reception.app.bus.send(
        commands.DelegateSession(
            office="REG-AST", schedule_id=regional_id, session=1, deputy="d.1"
        ),
        staff("p"),
    )
    schedule_id = gpo_schedule(reception).id
    first = book(reception, schedule_id, at("2025-02-14", "10:30"), matter="SECRET-MATTER").id
    reception.app.bus.send(
        commands.CancelAppointment(appointment_id=first, reason="SECRET-CANCEL"), staff("a")
    )
    book(reception, schedule_id, at("2025-02-14", "10:30"), applicant_ref="b-2", matter="m")
    reception.app.bus.send(
        commands.RefuseAdmission(
            appointment_id=first, ground="court_competence", reasons="SECRET-WHY"
        ),
        staff("g"),
    )
    second = book(reception, schedule_id, at("2025-02-14", "11:00")).id
    clock.now = at("2025-02-14", "11:00")
    reception.app.bus.send(commands.RecordAttendance(appointment_id=second), staff("gpo.deputy.1"))

    types = []
    for n in app.recorder.select_notifications(start=1, limit=100):
        message = to_kafka_message(to_record(app.mapper.to_domain_event(n), n.id), "urn:t")
        key = message.key.encode() if isinstance(message.key, str) else message.key
        assert b"SECRET" not in message.value
        record = from_kafka_value(key, message.value)  # validates envelope and data schema
        types.append(record.type)
        assert record.actor and record.office
    assert types == [
        "appeals.reception_schedule.approved",
        "appeals.reception_schedule.session_delegated",
        "appeals.reception_schedule.approved",
        "appeals.appointment.booked",
        "appeals.appointment.cancelled",
        "appeals.appointment.rebooked",
        "appeals.appointment.admission_refused",
        "appeals.appointment.booked",
        "appeals.appointment.attended",
    ]
    booked = json.loads(
        to_kafka_message(
            to_record(app.mapper.to_domain_event(app.recorder.select_notifications(4, 1)[0]), 4),
            "urn:t",
        ).value
    )
    assert booked["data"]["applicant_ref"] == "applicant-7f3a"
    assert booked["office"] == "GPO"


def test_stale_expected_version_is_version_conflict(reception: ReceptionService) -> None:
    schedule_id = gpo_schedule(reception).id
    appointment_id = book(reception, schedule_id, at("2025-02-14", "10:30")).id
    with pytest.raises(VersionConflict):
        reception.app.bus.send(
            commands.RecordAttendance(appointment_id=appointment_id), staff("g"), expected_version=2
        )


def test_schedules_and_bookings_stored_with_text_times_are_read(
    app: AppealsService, reception: ReceptionService
) -> None:
    """Version 1 of Approved, Booked and Rebooked kept dates and times as ISO text."""
    schedule_id = gpo_schedule(reception).id
    appointment_id = book(reception, schedule_id, at("2025-02-14", "10:30")).id

    def schedule_as_text(state: dict[str, Any]) -> None:
        state["period_from"] = state["period_from"].isoformat()
        state["period_to"] = state["period_to"].isoformat()
        state["sessions"] = [{k: v.isoformat() for k, v in s.items()} for s in state["sessions"]]

    def booking_as_text(state: dict[str, Any]) -> None:
        state["starts_at"] = state["starts_at"].isoformat()
        state["ends_at"] = state["ends_at"].isoformat()

    for aggregate_id, as_text in (
        (schedule_id, schedule_as_text),
        (appointment_id, booking_as_text),
    ):
        first = next(iter(app.events.get(aggregate_id)))
        again = app.mapper.to_domain_event(stored_as_version_1(app, first, as_text))
        assert again == first


def test_appointment_events_stored_under_their_old_module_still_resolve() -> None:
    """Appointment moved from domain.reception to domain.appointment (December 2026)."""
    from eventsourcing.utils import resolve_topic

    assert resolve_topic("domain.reception:Appointment.Booked") is Appointment.Booked
    assert resolve_topic("domain.reception:Appointment") is Appointment
