"""Every person the law serves can appeal: natural persons by IIN, legal entities by BIN
(with their representative), foreigners and stateless persons by a document, anyone
through a representative, several together (a collective appeal). Each is identified,
so none of their appeals is treated as anonymous."""

from __future__ import annotations

from datetime import date
from random import Random

import pytest

from domain import commands
from domain.applicants import (
    Applicant,
    IdentityDocument,
    InMemoryApplicants,
    Representative,
    check_applicant,
)
from domain.bin import InvalidBin, generate_bin, validate_bin
from domain.errors import InvalidCommand
from domain.service import AppealsService
from tests.support import IIN_A, IIN_B, new_appeal, staff
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    service_fixture,  # noqa: F401
)

TODAY = date(2026, 3, 16)
BIN = generate_bin(Random(3), date(2012, 4, 1))
COMPANY = Applicant(
    kind="legal_entity",
    bin=BIN,
    name="Kazakh Grain LLP",
    representative=Representative(name="Director A. Sultanov", position="director"),
)
VISITOR = Applicant(
    kind="foreigner",
    name="Ivan Petrov",
    document=IdentityDocument(type="passport", number="75 1234567", country="RU"),
)


def test_bin_check_digit_and_parts() -> None:
    assert validate_bin(BIN) == BIN
    assert BIN[4] == "4" and BIN[5] == "0"  # a resident legal entity's head office
    wrong_check = BIN[:11] + str((int(BIN[11]) + 1) % 10)
    for bad, part in (
        ("12345", "12 digits"),
        (BIN[:2] + "13" + BIN[4:], "month"),
        (BIN[:4] + "7" + BIN[5:], "type"),
        (BIN[:5] + "8" + BIN[6:], "attribute"),
        (wrong_check, "check digit"),
        ("\uff11" * 12, "12 digits"),  # fullwidth digits are not digits 0-9
    ):
        with pytest.raises(InvalidBin) as caught:
            validate_bin(bad)
        assert part in str(caught.value), bad


def test_each_kind_of_applicant_needs_what_identifies_it() -> None:
    check_applicant(COMPANY, today=TODAY)
    check_applicant(VISITOR, today=TODAY)
    cases = [
        (Applicant(name="X"), "applicant.iin"),
        (Applicant(kind="legal_entity", name="X LLP"), "applicant.bin"),
        (Applicant(kind="legal_entity", bin=BIN, name="X LLP"), "applicant.representative"),
        (Applicant(kind="foreigner", name="X"), "applicant.document"),
        (
            Applicant(
                kind="foreigner",
                name="X",
                document=IdentityDocument(type="visa", number="1", country="RU"),
            ),
            "applicant.document.type",
        ),
        (
            Applicant(
                kind="foreigner",
                name="X",
                document=IdentityDocument(type="passport", number="1", country="RUS"),
            ),
            "applicant.document.country",
        ),
        (
            Applicant(iin=IIN_A, name="A", representative=Representative(name="R", iin="1" * 12)),
            "applicant.representative.iin",
        ),
        (
            Applicant(iin=IIN_A, name="A", co_applicants=(Applicant(iin=IIN_A, name="A"),)),
            "applicant.co_applicants[0]",
        ),
        (Applicant(kind="robot", name="R2"), "applicant.kind"),
    ]
    for applicant, field in cases:
        with pytest.raises(InvalidCommand) as caught:
            check_applicant(applicant, today=TODAY)
        assert caught.value.field == field, (applicant, caught.value)


def test_a_legal_entity_a_foreigner_and_a_collective_appeal_are_considered(
    service: AppealsService,
) -> None:
    collective = Applicant(
        iin=IIN_A,
        name="Aigerim Nurlanovna",
        co_applicants=(Applicant(iin=IIN_B, name="Second Resident"), VISITOR),
    )
    represented = Applicant(
        iin=IIN_B,
        name="Second Resident",
        representative=Representative(name="Lawyer K.", power_of_attorney="No. 17, 2026-03-01"),
    )
    for applicant in (COMPANY, VISITOR, collective, represented):
        appeal_id = service.bus.send(new_appeal(applicant=applicant), staff("reg")).appeal_id
        appeal = service.get_appeal(appeal_id)
        assert not appeal.anonymous and appeal.status.value == "received", applicant
        assert appeal.applicant_ref is not None
        assert service.applicants.lookup(appeal.applicant_ref) == applicant
    # The same company, by its BIN, is the same applicant.
    again = service.bus.send(new_appeal(applicant=COMPANY), staff("reg")).appeal_id
    first = service.bus.send(new_appeal(applicant=COMPANY), staff("reg")).appeal_id
    assert service.get_appeal(again).applicant_ref == service.get_appeal(first).applicant_ref


def test_erasing_a_collective_appeals_contact_erases_everyone_on_it() -> None:
    registry = InMemoryApplicants()
    collective = Applicant(iin=IIN_A, name="A", co_applicants=(VISITOR,))
    ref = registry.register(collective)
    token = registry.seal(ref, "what they complain of")
    assert registry.erase(ref)
    assert registry.lookup(ref) is None and registry.unseal(token) is None


def test_the_receive_command_refuses_an_unidentifiable_applicant(service: AppealsService) -> None:
    before = service.recorder.max_notification_id()
    with pytest.raises(InvalidCommand) as caught:
        service.bus.send(
            new_appeal(applicant=Applicant(kind="legal_entity", bin="123", name="X")),
            staff("reg"),
        )
    assert caught.value.field == "applicant.bin"
    assert service.recorder.max_notification_id() == before
    assert commands.ReceiveAppeal  # the command the registry's refusal comes from
