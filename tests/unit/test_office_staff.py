"""The staff list of an office (domain.staff): who holds which position there, kept by an
administrator; a delegation of a reception session names a deputy from it."""

from __future__ import annotations

import pytest

from domain import commands
from domain.errors import DomainError
from domain.reception_service import ReceptionService
from domain.service import AppealsService
from domain.staff import OfficeStaff
from tests.support import administrator, on_staff, registrar, staff
from tests.unit.reception_fixtures import (
    app_fixture,  # noqa: F401
    clock_fixture,  # noqa: F401
    reception_fixture,  # noqa: F401
    recorded,
    refused,
)

DEPUTY = "deputy_regional_prosecutor"


def members(reception: ReceptionService, office: str) -> dict[str, str]:
    staff_list = reception.staff_of(office)
    return {} if staff_list is None else {s: r.value for s, r in staff_list.members.items()}


def test_appointing_moving_and_releasing_staff(
    app: AppealsService, reception: ReceptionService
) -> None:
    assert reception.staff_of("REG-AST") is None
    on_staff(app, "REG-AST", "ast.rp", "regional_prosecutor")
    on_staff(app, "REG-AST", "ast.d1", DEPUTY)
    assert members(reception, "REG-AST") == {"ast.rp": "regional_prosecutor", "ast.d1": DEPUTY}
    before = recorded(app)
    again = on_staff(app, "REG-AST", "ast.d1", DEPUTY)
    assert (again.position, recorded(app)) == (None, before)  # the same again records nothing
    on_staff(app, "REG-AST", "ast.d1", "staff")  # moved to another position
    app.bus.send(
        commands.ReleaseStaff(office="REG-AST", staff_id="ast.rp"), administrator("hr", "GPO")
    )
    assert members(reception, "REG-AST") == {"ast.d1": "staff"}
    events = [type(e).__name__ for e in app.events.get(reception.staff_of("REG-AST").id)]
    assert events == ["Opened", "Appointed", "Appointed", "Appointed", "Released"]
    last = list(app.events.get(reception.staff_of("REG-AST").id))[-1]
    assert isinstance(last, OfficeStaff.Released) and last.actor == "hr"


def test_staff_list_rules(app: AppealsService, reception: ReceptionService) -> None:
    on_staff(app, "REG-AST", "ast.rp", "regional_prosecutor")

    def appoint(
        rule: str, status: int, staff_id: str, position: str, office: str = "REG-AST"
    ) -> DomainError:
        return refused(app, rule, lambda: on_staff(app, office, staff_id, position), status)

    for rule, status, args in [
        ("head-already-appointed", 409, ("ast.rp2", "regional_prosecutor")),
        ("position-level", 422, ("ast.dpg", "deputy_prosecutor_general")),
        ("position-level", 422, ("yesil.d", DEPUTY, "DIS-AST-YESIL")),
        ("unknown-position", 422, ("ast.x", "janitor")),
        ("text-required", 422, (" ", DEPUTY)),
        ("office-not-found", 404, ("x.1", DEPUTY, "REG-NOPE")),
    ]:
        error = appoint(rule, status, *args)
        assert error.detail
    error = refused(
        app,
        "not-on-staff",
        lambda: app.bus.send(
            commands.ReleaseStaff(office="REG-AST", staff_id="nobody"), administrator("hr")
        ),
        404,
    )
    assert "REG-AST" in error.detail
    # The head may be replaced once the old one is released.
    app.bus.send(commands.ReleaseStaff(office="REG-AST", staff_id="ast.rp"), administrator("hr"))
    on_staff(app, "REG-AST", "ast.rp2", "regional_prosecutor")


@pytest.mark.parametrize(
    ("caller", "rule", "status"),
    [
        (staff("head.ast", "REG-AST"), "forbidden", 403),
        (registrar("reg.ast", "REG-AST"), "forbidden", 403),
        (administrator("hr.ala", "REG-ALA"), "office-out-of-scope", 422),
    ],
)
def test_only_an_administrator_over_the_office_keeps_its_staff_list(
    app: AppealsService, reception: ReceptionService, caller: object, rule: str, status: int
) -> None:
    command = commands.AppointStaff(office="REG-AST", staff_id="ast.d9", position=DEPUTY)
    refused(app, rule, lambda: app.bus.send(command, caller), status)  # type: ignore[arg-type]
    app.bus.send(command, administrator("hr.ast", "REG-AST"))
    assert members(reception, "REG-AST") == {"ast.d9": DEPUTY}
