"""What becomes of a booked appointment (cancellation, attendance, refusal of admission to a
GPO reception, a stale expected version), on the library's in-memory store, with a fixed
clock: every rule, and that a refused command records nothing."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from domain import commands
from domain.appointment import Appointment
from domain.commands.base import ReceptionOutcome
from domain.errors import VersionConflict
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
    refused,
    regional_schedule,
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
    # Stored sealed with the applicant's key, read back through the registry.
    assert "cassation" not in refusal.reasons
    assert app.reveal(refusal.reasons).startswith("The cassation period")
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


def test_stale_expected_version_is_version_conflict(reception: ReceptionService) -> None:
    schedule_id = gpo_schedule(reception).id
    appointment_id = book(reception, schedule_id, at("2025-02-14", "10:30")).id
    with pytest.raises(VersionConflict):
        reception.app.bus.send(
            commands.RecordAttendance(appointment_id=appointment_id), staff("g"), expected_version=2
        )
