"""Reception schedules of each level of the office hierarchy, and delegating a session to a
deputy, on the library's in-memory store, with a fixed clock: every rule, and that a refused
command records nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import uuid4

import pytest

from domain import commands
from domain.commands.base import ReceptionOutcome
from domain.reception import ReceptionSchedule
from domain.reception_service import ReceptionService
from domain.service import AppealsService
from tests.support import SettableClock, on_staff, staff
from tests.unit.reception_fixtures import (
    GPO_SESSIONS,
    REGIONAL_SESSIONS,
    STAFF_SESSIONS,
    app_fixture,  # noqa: F401
    at,
    book,
    clock_fixture,  # noqa: F401
    gpo_schedule,
    reception_fixture,  # noqa: F401
    refused,
    regional_schedule,
    staff_schedule,
)

# --- schedules of each level -----------------------------------------------------------


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
    on_staff(reception.app, "REG-AST", "ast.deputy.1", "deputy_regional_prosecutor")
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
    for n in (1, 2):
        on_staff(reception.app, "REG-AST", f"ast.deputy.{n}", "deputy_regional_prosecutor")
    on_staff(reception.app, "REG-AST", "ast.staff.1", "staff")

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
    # A deputy is someone the office's staff list holds as one: not free text, not a
    # member of staff in another position, not another office's deputy.
    on_staff(reception.app, "REG-ALA", "ala.deputy.1", "deputy_regional_prosecutor")
    for stranger in ("anyone", "ast.staff.1", "ala.deputy.1"):
        error = refused(app, "deputy-not-on-staff", lambda d=stranger: delegate(deputy=d))
        assert error.field == "deputy" and "/offices/REG-AST/staff" in error.detail
    refused(app, "schedule-not-found", lambda: delegate(office="REG-ALA"), 404)
    refused(app, "schedule-not-found", lambda: delegate(schedule_id=uuid4()), 404)
    delegate()
    refused(app, "already-delegated", lambda: delegate(), 409)
    refused(
        app, "version-conflict", lambda: delegate(deputy="ast.deputy.2", expected_version=1), 409
    )
    clock.now = at("2025-02-06", "09:00")
    refused(app, "session-in-past", lambda: delegate(deputy="ast.deputy.2"), 409)
    gpo_id = gpo_schedule(reception).id
    refused(
        app,
        "delegation-regional-prosecutor-only",
        lambda: delegate(office="GPO", schedule_id=gpo_id),
    )
