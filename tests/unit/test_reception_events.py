"""Reception's events: their public mapping, the CloudEvents they publish without personal
text, and events stored by earlier versions, on the library's in-memory store with a fixed
clock."""

from __future__ import annotations

import json
from typing import Any

from domain import commands
from domain.appointment import Appointment
from domain.reception import ReceptionSchedule
from domain.reception_service import ReceptionService
from domain.service import AppealsService
from infra.contract.envelope import from_kafka_value, to_kafka_message, to_record
from infra.contract.events import CONTRACT
from tests.support import SettableClock, on_staff, staff, stored_as_version_1
from tests.unit.reception_fixtures import (
    app_fixture,  # noqa: F401
    at,
    book,
    clock_fixture,  # noqa: F401
    gpo_schedule,
    reception_fixture,  # noqa: F401
    regional_schedule,
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
    on_staff(reception.app, "REG-AST", "d.1", "deputy_regional_prosecutor")
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
        "appeals.office_staff.opened",
        "appeals.office_staff.appointed",
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
            to_record(app.mapper.to_domain_event(app.recorder.select_notifications(6, 1)[0]), 6),
            "urn:t",
        ).value
    )
    assert booked["data"]["applicant_ref"] == "applicant-7f3a"
    assert booked["office"] == "GPO"


# --- events stored by earlier versions ----------------------------------------------------


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
        del state["matter_area"]  # version 1 had the caller's flag instead
        state["within_competence"] = True

    for aggregate_id, as_text in (
        (schedule_id, schedule_as_text),
        (appointment_id, booking_as_text),
    ):
        first = next(iter(app.events.get(aggregate_id)))
        again = app.mapper.to_domain_event(stored_as_version_1(app, first, as_text))
        if isinstance(first, Appointment.Booked):
            assert again.matter_area is None
            again.__dict__["matter_area"] = first.matter_area
        assert again == first


def test_appointment_events_stored_under_their_old_module_still_resolve() -> None:
    """Appointment moved from domain.reception to domain.appointment (December 2026)."""
    from eventsourcing.utils import resolve_topic

    assert resolve_topic("domain.reception:Appointment.Booked") is Appointment.Booked
    assert resolve_topic("domain.reception:Appointment") is Appointment
