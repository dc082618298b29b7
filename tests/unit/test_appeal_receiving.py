"""Receiving an appeal, and keeping and erasing its applicant's personal data, through the
application service on the library's in-memory store, with Kazakhstan's working-day calendar
and a fixed clock."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain import commands
from domain.appeal import Appeal
from domain.appeal_terms import Status
from domain.applicants import Applicant
from domain.errors import AppealNotFound, ConflictError, IdempotencyKeyReused, InvalidCommand
from domain.service import AppealsService
from tests.support import IIN_A, IIN_B, SettableClock, send
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    event_types,
    receive,
    refused_and_nothing_recorded,
    service_fixture,  # noqa: F401
)

# --- receiving -------------------------------------------------------------------


def test_received_appeal_records_rule_set_deadline_and_pseudonymous_applicant(
    service: AppealsService,
) -> None:
    appeal = service.get_appeal(receive(service))
    assert appeal.status == Status.RECEIVED
    assert appeal.rule_set == "gpo-order-29-2023+appc-2021"
    # 15 working days from Monday 16 March 2026 skip the weekends and Nowruz (23-25 March).
    assert appeal.due_on == date(2026, 4, 9)
    assert appeal.applicant_ref is not None and IIN_A not in appeal.applicant_ref
    person = service.applicants.lookup(appeal.applicant_ref)
    assert person is not None and person.iin == IIN_A


def test_rule_set_follows_the_day_of_receipt(service: AppealsService) -> None:
    old = service.get_appeal(receive(service, received_on=date(2022, 5, 10)))
    assert old.rule_set == "gpo-reception-2017+appc-2021"
    refused_and_nothing_recorded(
        service,
        None,
        InvalidCommand,
        "no-rule-set-in-force",
        lambda: receive(service, received_on=date(2021, 6, 30)),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"office": "REG-NOWHERE"}, "office"),
        ({"summary": " "}, "summary"),
        ({"applicant": Applicant(iin="791028302729", name="X")}, "applicant.iin"),
        ({"applicant": Applicant(iin="791328302728", name="X")}, "applicant.iin"),
        ({"applicant": Applicant(iin="79102830272", name="X")}, "applicant.iin"),
        # IIN_A in Arabic-Indic digits: str.isdigit() and int() accept them.
        (
            {
                "applicant": Applicant(
                    iin="\u0667\u0669\u0661\u0660\u0662\u0668\u0663\u0660\u0662\u0667\u0662\u0668",
                    name="X",
                )
            },
            "applicant.iin",
        ),
        ({"applicant": Applicant(iin=IIN_A, name=" ")}, "applicant.name"),
        ({"received_on": date(2026, 3, 17)}, "received_on"),
    ],
)
def test_invalid_input_is_refused_and_records_nothing(
    service: AppealsService, overrides: dict[str, Any], field: str
) -> None:
    error = refused_and_nothing_recorded(
        service, None, InvalidCommand, None, lambda: receive(service, **overrides)
    )
    assert error.field == field
    assert service.applicants.people == {}  # type: ignore[attr-defined]


def test_anonymous_appeal_is_not_considered(service: AppealsService) -> None:
    appeal_id = receive(service, applicant=None)
    appeal = service.get_appeal(appeal_id)
    assert appeal.anonymous and appeal.status == Status.NOT_CONSIDERED
    assert event_types(service, appeal_id) == ["Received", "NotConsidered"]
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "appeal-not-open",
        lambda: send(
            service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "h"
        ),
    )


def test_anonymous_crime_report_is_redirected_at_once(service: AppealsService) -> None:
    appeal_id = receive(service, applicant=None, reports_crime=True, redirect_to="Police of Almaty")
    appeal = service.get_appeal(appeal_id)
    assert appeal.status == Status.REDIRECTED
    redirected = list(service.events.get(appeal_id))[-1]
    assert isinstance(redirected, Appeal.Redirected)
    assert redirected.urgent and not redirected.late and redirected.agency == "Police of Almaty"
    refused_and_nothing_recorded(
        service,
        None,
        InvalidCommand,
        None,
        lambda: receive(service, applicant=None, reports_crime=True),
    )


def test_repeated_appeal_links_to_the_answered_earlier_one(service: AppealsService) -> None:
    earlier = receive(service)
    refused_and_nothing_recorded(
        service, None, InvalidCommand, None, lambda: receive(service, repeat_of=earlier)
    )  # nothing decided yet: nothing to dispute
    send(service, commands.AssignAppeal(appeal_id=earlier, assignee="p1", office="REG-ALA"), "h")
    send(
        service,
        commands.Decide(
            appeal_id=earlier, outcome="explained", reasons="Explained the law", ground=None
        ),
        "p1",
    )
    later = receive(service, repeat_of=earlier)
    assert service.get_appeal(later).repeat_of == earlier
    other = Applicant(iin=IIN_B, name="Someone Else")
    error = refused_and_nothing_recorded(
        service,
        None,
        InvalidCommand,
        None,
        lambda: receive(service, repeat_of=earlier, applicant=other),
    )
    assert error.field == "repeat_of"


def test_retry_with_same_idempotency_key_creates_nothing_new(service: AppealsService) -> None:
    first = receive(service, idempotency_key="req-1")
    assert receive(service, idempotency_key="req-1") == first
    assert service.recorder.max_notification_id() == 1
    refused_and_nothing_recorded(
        service,
        None,
        IdempotencyKeyReused,
        None,
        lambda: receive(service, idempotency_key="req-1", summary="Something else"),
    )
    assert receive(service, idempotency_key="req-2") != first


def test_redirect_to_is_only_for_anonymous_crime_reports(service: AppealsService) -> None:
    error = refused_and_nothing_recorded(
        service,
        None,
        InvalidCommand,
        "redirect-to-not-applicable",
        lambda: receive(service, redirect_to="Police"),
    )
    assert error.field == "redirect_to"
    refused_and_nothing_recorded(
        service,
        None,
        InvalidCommand,
        "redirect-to-not-applicable",
        lambda: receive(service, applicant=None, redirect_to="Police"),
    )


def test_unknown_appeal_is_not_found(service: AppealsService) -> None:
    with pytest.raises(AppealNotFound):
        service.get_appeal(uuid4())


# --- the applicant's personal data ----------------------------------------------


def test_erasing_the_applicant_shreds_their_texts_but_keeps_the_record(
    service: AppealsService,
) -> None:
    appeal_id = receive(service, summary="Aigerim's neighbour threatens her")
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "h")
    send(
        service,
        commands.Decide(
            appeal_id=appeal_id,
            outcome="refused",
            reasons="Aigerim's claim not confirmed",
            ground="arguments_not_confirmed",
        ),
        "p",
    )
    appeal = service.get_appeal(appeal_id)
    ref = appeal.applicant_ref
    assert ref is not None
    assert "Aigerim" not in appeal.summary  # stored sealed
    assert service.reveal(appeal.summary) == "Aigerim's neighbour threatens her"
    assert service.applicants.erase(ref)
    after = service.get_appeal(appeal_id)
    assert service.reveal(after.summary) == "[erased]"
    assert service.applicants.lookup(ref) is None
    # What happened stays provable: the events, the decision and its ground.
    # Received, assigned, the applicant heard, refused.
    assert (after.status, after.outcome, after.version) == (Status.REFUSED, "refused", 4)
    decided = list(service.events.get(appeal_id))[-1]
    assert isinstance(decided, Appeal.Decided) and decided.ground == "arguments_not_confirmed"
    assert not service.applicants.erase(ref)


def test_anonymous_texts_are_not_sealed(service: AppealsService) -> None:
    appeal_id = receive(service, applicant=None, summary="Someone sells fake documents")
    assert service.get_appeal(appeal_id).summary == "Someone sells fake documents"


def test_the_kind_and_language_of_the_appeal_are_recorded(service: AppealsService) -> None:
    from domain.errors import InvalidCommand

    appeal_id = receive(service, kind="complaint", language="kk")
    appeal = service.get_appeal(appeal_id)
    assert (appeal.kind, appeal.language) == ("complaint", "kk")
    for field, value, rule in (
        ("kind", "petition", "unknown-kind"),
        ("language", "en", "unknown-language"),
    ):
        before = service.recorder.max_notification_id()
        with pytest.raises(InvalidCommand) as caught:
            receive(service, **{field: value})
        assert (caught.value.field, caught.value.rule) == (field, rule)
        assert service.recorder.max_notification_id() == before


def test_a_decision_answers_in_the_appeals_language_or_in_kazakh(
    service: AppealsService,
) -> None:
    from domain import commands
    from domain.errors import InvalidCommand
    from tests.support import send

    def decided(language: str | None, answer: str | None) -> Any:
        appeal_id = receive(service, language=language)
        assign = commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA")
        send(service, assign, "h")
        decide = commands.Decide(
            appeal_id=appeal_id, outcome="satisfied", reasons="Checked", language=answer
        )
        send(service, decide, "p")
        return service.get_appeal(appeal_id)

    assert decided("ru", None).answer_language == "ru"
    assert decided("ru", "kk").answer_language == "kk"
    assert decided(None, None).answer_language is None
    # A decision recorded before the answer's language was (version 2) reads with none.
    from tests.support import stored_as_version_1

    last = list(service.events.get(decided("kk", "kk").id))[-1]

    def as_version_2(state: dict[str, Any]) -> None:
        del state["language"]
        state["class_version"] = 2

    again: Any = service.mapper.to_domain_event(stored_as_version_1(service, last, as_version_2))
    assert isinstance(again, Appeal.Decided) and again.language is None
    for language, answer, rule in (
        ("kk", "ru", "answer-language"),
        ("ru", "en", "unknown-language"),
    ):
        before = service.recorder.max_notification_id()
        with pytest.raises(InvalidCommand) as caught:
            decided(language, answer)
        assert (caught.value.field, caught.value.rule) == ("language", rule)
        # The appeal was received and assigned; the decision recorded nothing.
        assert service.recorder.max_notification_id() == (before or 0) + 2


def test_an_appeal_stored_before_kinds_reads_with_none(service: AppealsService) -> None:
    from tests.support import stored_as_version_1

    appeal_id = receive(service, kind="request", language="ru")
    received = next(iter(service.events.get(appeal_id)))

    def as_version_2(state: dict[str, Any]) -> None:
        del state["kind"], state["language"]
        state["class_version"] = 2

    stored = stored_as_version_1(service, received, as_version_2)
    again = service.mapper.to_domain_event(stored)
    assert (again.kind, again.language) == (None, None)  # type: ignore[attr-defined]


def test_an_enquiry_answered_on_the_spot_has_no_term(
    service: AppealsService, clock: SettableClock
) -> None:
    from datetime import date

    enquiry = receive(service, kind="enquiry", received_on=date(2026, 3, 2))
    appeal = service.get_appeal(enquiry)
    assert appeal.due_on == date(2026, 3, 2)  # the day itself: no 15 working days
    clock.set_day(date(2026, 6, 1))
    assert service.deem_refused_if_overdue([enquiry]) == 0  # never deemed refused
    # Answered on the spot: it is closed with the visit, unanswered on the merits.
    send(service, commands.CloseAppeal(appeal_id=enquiry), "h")
    assert service.get_appeal(enquiry).status == Status.CLOSED
    # Any other appeal is not closed before it is answered.
    statement = receive(service, kind="statement")
    refused_and_nothing_recorded(
        service,
        statement,
        ConflictError,
        "close-unanswered",
        lambda: send(service, commands.CloseAppeal(appeal_id=statement), "h"),
    )
