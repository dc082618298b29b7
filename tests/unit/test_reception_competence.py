"""Which matters a reception takes comes from the office's data (domain.competence): the
caller names what the matter concerns, never whether it is within competence."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from domain.appointment import Appointment
from domain.competence import MatterArea
from domain.offices import Level, OfficeDirectory
from domain.reception_service import ReceptionService
from domain.service import AppealsService
from tests.unit.reception_fixtures import (
    app_fixture,  # noqa: F401
    at,
    book,
    clock_fixture,  # noqa: F401
    gpo_schedule,
    reception_fixture,  # noqa: F401
    recorded,
    refused,
    regional_schedule,
)

SLOT = at("2025-02-05", "15:00")


def test_a_matter_for_another_body_is_never_booked(
    app: AppealsService, reception: ReceptionService
) -> None:
    schedule_id = gpo_schedule(reception).id
    before = recorded(app)
    error = refused(
        app,
        "outside-competence",
        lambda: book(reception, schedule_id, at("2025-02-14", "10:30"), matter_area="another_body"),
    )
    assert error.field == "matter_area" and "redirect" in str(error)
    assert recorded(app) == before


@pytest.mark.parametrize(
    ("office", "area", "sent_to"),
    [
        ("REG-AST", "military", "REG-MIL"),
        ("REG-AST", "transport", "REG-TRN"),
        ("REG-MIL", "pretrial_investigation", "REG-"),
        ("REG-TRN", "military", "REG-MIL"),
    ],
)
def test_an_office_books_only_the_matters_its_kind_takes(
    app: AppealsService, reception: ReceptionService, office: str, area: str, sent_to: str
) -> None:
    schedule_id = regional_schedule(reception, office=office, official=f"{office}.rp").id
    before = recorded(app)
    error = refused(
        app,
        "outside-office-competence",
        lambda: book(reception, schedule_id, SLOT, matter_area=area),
    )
    assert error.field == "matter_area"
    # The refusal says where the applicant should go instead.
    assert f"book the applicant with {sent_to}" in str(error)
    assert recorded(app) == before
    own = "military" if office == "REG-MIL" else "transport" if office == "REG-TRN" else area
    if office == "REG-AST":
        own = "rights_and_freedoms"
    booked = reception.get_appointment(book(reception, schedule_id, SLOT, matter_area=own).id)
    assert booked.matter_area == own


def test_an_unknown_area_is_refused_with_the_list(
    app: AppealsService, reception: ReceptionService
) -> None:
    schedule_id = regional_schedule(reception).id
    error = refused(
        app, "unknown-matter-area", lambda: book(reception, schedule_id, SLOT, matter_area="tax")
    )
    assert "pretrial_investigation" in str(error)


def test_every_office_receives_on_known_areas_and_the_gpo_on_all_of_the_services() -> None:
    offices = OfficeDirectory.default()
    known = {m.value for m in MatterArea} - {MatterArea.ANOTHER_BODY.value}
    for office in offices:
        assert office.competence, office.code
        assert office.competence <= known, office.code
    assert offices.get("GPO").competence == known
    # Every matter of the service has a regional-level office that takes it.
    for area in known:
        assert any(o.level is Level.REGIONAL and area in o.competence for o in offices), area


def test_bookings_stored_with_the_callers_flag_read_with_no_area(
    app: AppealsService, reception: ReceptionService
) -> None:
    outcome = book(reception, regional_schedule(reception).id, SLOT)
    [booked] = app.events.get(outcome.id)
    stored = app.mapper.to_stored_event(booked)
    state: dict[str, Any] = app.mapper.transcoder.decode(stored.state)
    assert state.pop("class_version") == 3
    state.pop("matter_area")
    state.update(class_version=2, within_competence=True)
    old = StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=app.mapper.transcoder.encode(state),
    )
    read: Any = app.mapper.to_domain_event(old)
    assert isinstance(read, Appointment.Booked)
    assert read.matter_area is None and not hasattr(read, "within_competence")
