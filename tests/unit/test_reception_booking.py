"""Booking, rebooking and retrying appointments in the slots of a reception schedule, on the
library's in-memory store, with a fixed clock: every rule, and that a refused command
records nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from domain import commands
from domain.appointment import Appointment
from domain.clock import events_on
from domain.reception_service import ReceptionService
from domain.service import AppealsService
from tests.support import SettableClock, staff
from tests.unit.reception_fixtures import (
    START,
    app_fixture,  # noqa: F401
    at,
    book,
    clock_fixture,  # noqa: F401
    gpo_schedule,
    reception_fixture,  # noqa: F401
    recorded,
    refused,
    regional_schedule,
    staff_schedule,
)


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
        ({"matter_area": "another_body"}, "outside-competence"),
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
            matter_area="pretrial_investigation",
            offices=reception.offices,
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
    kinds: list[type] = [type(e) for e in app.events.get(again.id)]
    assert kinds == [Appointment.Booked, Appointment.Cancelled, Appointment.Rebooked]
    refused(
        app,
        "slot-taken",
        lambda: book(reception, schedule_id, at("2025-02-14", "10:30"), applicant_ref="c-3"),
        409,
    )
