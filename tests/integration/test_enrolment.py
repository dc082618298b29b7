"""Receiving an appeal registers its applicant in the same transaction as the appeal's
events (issue 12: one transaction per command): a refused appeal registers nobody, and
two commands that register the same new person at once end with one person."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from domain.applicants import Applicant, iin_digest
from domain.errors import InvalidCommand
from infra.adapters.applicants import PostgresEnrolment
from infra.bootstrap import Container
from tests.support import IIN_B, new_appeal, registrar

pytestmark = pytest.mark.postgres

NEWCOMER = Applicant(iin=IIN_B, name="Dana Serikovna")


def people(container: Container) -> int:
    with psycopg.connect(container.settings.database_url or "") as conn:
        row = conn.execute("SELECT count(*) FROM applicants").fetchone()
        keys = conn.execute("SELECT count(*) FROM applicant_keys").fetchone()
    assert row is not None and keys is not None
    assert row[0] == keys[0]  # never a key without its person, nor the reverse
    return int(row[0])


def test_a_refused_appeal_registers_nobody(container: Container) -> None:
    before = people(container)
    with pytest.raises(InvalidCommand) as refused:
        container.service.bus.send(
            new_appeal(applicant=NEWCOMER, kind="petition"), registrar("reg.1", "REG-ALA")
        )
    assert refused.value.rule == "unknown-kind"
    assert people(container) == before


def test_an_appeal_and_its_new_applicant_are_recorded_together(container: Container) -> None:
    before = people(container)
    outcome = container.service.bus.send(
        new_appeal(applicant=NEWCOMER), registrar("reg.1", "REG-ALA")
    )
    appeal = container.service.get_appeal(outcome.appeal_id)
    assert appeal.applicant_ref is not None
    assert container.service.applicants.lookup(appeal.applicant_ref) == NEWCOMER
    assert container.service.reveal(appeal.summary) == new_appeal().summary
    assert people(container) == before + 1


def test_the_same_newcomer_registered_twice_at_once_is_one_person(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    applicants: Any = container.service.applicants
    enrol = applicants.enrol
    looked_up: list[str] = []

    def another_command_in_between(applicant: Applicant) -> Any:
        found = enrol(applicant)
        looked_up.append(found.ref)
        if len(looked_up) == 1:
            # Between this command's lookup and its save, another registers them.
            container.service.bus.send(new_appeal(applicant=NEWCOMER), registrar("r2", "REG-ALA"))
        return found

    monkeypatch.setattr(applicants, "enrol", another_command_in_between)
    before = people(container)
    outcome = container.service.bus.send(
        new_appeal(applicant=NEWCOMER), registrar("reg.1", "REG-ALA")
    )
    first, other, again = looked_up
    assert first != other  # both saw a newcomer and made a reference
    assert again == other  # the retry found the one the other command saved
    assert container.service.get_appeal(outcome.appeal_id).applicant_ref == other
    assert people(container) == before + 1
    digest = iin_digest(container.settings.pseudonym_key.encode(), NEWCOMER.identity)
    with psycopg.connect(container.settings.database_url or "") as conn:
        refs = conn.execute(
            "SELECT ref FROM applicants WHERE iin_digest = %s", (digest,)
        ).fetchall()
    assert refs == [(other,)]


def test_an_enrolment_not_written_with_the_events_is_never_taken_as_recorded() -> None:
    enrolment = PostgresEnrolment("appl-x", bytes(32), [])
    with pytest.raises(RuntimeError, match="not written"):
        enrolment.recorded()


def test_a_registration_outside_a_command_that_races_another_ends_with_one_person(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    applicants: Any = container.service.applicants
    enrol = applicants.enrol
    looked_up: list[str] = []

    def another_registration_in_between(applicant: Applicant) -> Any:
        found = enrol(applicant)
        looked_up.append(found.ref)
        if len(looked_up) == 1:
            applicants.register(applicant)
        return found

    monkeypatch.setattr(applicants, "enrol", another_registration_in_between)
    before = people(container)
    ref = applicants.register(NEWCOMER)
    first, other, again = looked_up
    assert first != other and ref == again == other
    assert people(container) == before + 1
    assert applicants.lookup(ref) == NEWCOMER
