"""An appeal's deadlines (due dates across holidays, extensions, deemed refusals), through the
application service on the library's in-memory store, with Kazakhstan's working-day calendar
and a fixed clock."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from domain import commands
from domain.appeal import Appeal
from domain.appeal_terms import Status
from domain.clock import events_on
from domain.errors import ConflictError, InvalidCommand
from domain.service import AppealsService
from infra.adapters.calendar import KazakhstanCalendar
from tests.support import SettableClock, send, stored_as_version_1
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    event_types,
    receive,
    refused_and_nothing_recorded,
    service_fixture,  # noqa: F401
)


def test_due_dates_cross_new_year_holidays(service: AppealsService, clock: SettableClock) -> None:
    clock.set_day(date(2026, 12, 28))
    appeal = service.get_appeal(receive(service))
    # 1-2 January 2027, the observed 4 January and 7 January (Orthodox Christmas) are off.
    assert appeal.due_on == date(2027, 1, 21)


def test_extension_by_head_or_deputy_up_to_two_months(
    service: AppealsService, clock: SettableClock
) -> None:
    appeal_id = receive(service)
    due = service.get_appeal(appeal_id).due_on  # 9 April 2026

    def extend(**overrides: Any) -> Any:
        values: dict[str, Any] = {
            "new_due_on": date(2026, 5, 20),
            "reasons": "Expert opinion awaited",
            "approver_role": "deputy_head",
            "approver": "Deputy 1",
            "applicant_notified_on": None,
        }
        values.update(overrides)
        return send(service, commands.Extend(appeal_id=appeal_id, **values), "p")

    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        "extension-approver",
        lambda: extend(approver_role="prosecutor"),
    )
    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        "extension-too-long",
        lambda: extend(new_due_on=date(2026, 6, 10)),
    )
    refused_and_nothing_recorded(
        service, appeal_id, InvalidCommand, "extension-not-later", lambda: extend(new_due_on=due)
    )
    # The applicant told 6 working days later (Nowruz in between): recorded, marked late.
    extend(applicant_notified_on=date(2026, 3, 27))
    last = list(service.events.get(appeal_id))[-1]
    assert isinstance(last, Appeal.Extended) and last.notice_late
    assert service.get_appeal(appeal_id).due_on == date(2026, 5, 20)
    clock.set_day(date(2026, 5, 21))
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "extension-after-deadline",
        lambda: extend(new_due_on=date(2026, 6, 1)),
    )


def test_extension_notice_cannot_come_after_the_new_due_date(service: AppealsService) -> None:
    appeal_id = receive(service)
    refused_and_nothing_recorded(
        service,
        appeal_id,
        InvalidCommand,
        "notice-after-deadline",
        lambda: send(
            service,
            commands.Extend(
                appeal_id=appeal_id,
                new_due_on=date(2026, 5, 20),
                reasons="r",
                approver_role="head",
                approver="h",
                applicant_notified_on=date(2099, 1, 1),
            ),
            "h",
        ),
    )


def test_missed_deadline_is_deemed_refused_once(
    service: AppealsService, clock: SettableClock
) -> None:
    appeal_id = receive(service)
    decided = receive(service)
    send(service, commands.AssignAppeal(appeal_id=decided, assignee="p", office="REG-ALA"), "h")
    send(
        service,
        commands.Decide(appeal_id=decided, outcome="satisfied", reasons="Done", ground=None),
        "p",
    )
    clock.set_day(date(2026, 4, 9))  # the due date itself: not yet missed
    assert service.deem_refused_if_overdue([appeal_id, decided]) == 0
    clock.set_day(date(2026, 4, 10))
    assert service.deem_refused_if_overdue([appeal_id, decided]) == 1
    assert service.deem_refused_if_overdue([appeal_id, decided]) == 0
    assert service.get_appeal(appeal_id).status == Status.DEEMED_REFUSED
    assert event_types(service, appeal_id).count("DeemedRefused") == 1


def test_a_deemed_refusal_takes_effect_on_the_working_day_after_the_term(
    service: AppealsService, clock: SettableClock
) -> None:
    # Received Friday 9 January 2026: the 15th working day is Friday 30 January.
    appeal_id = receive(service, received_on=date(2026, 1, 9))
    assert service.get_appeal(appeal_id).due_on == date(2026, 1, 30)
    for weekend_day in (date(2026, 1, 31), date(2026, 2, 1)):
        clock.set_day(weekend_day)
        assert service.deem_refused_if_overdue([appeal_id]) == 0, weekend_day
    # The watcher ran late (on Wednesday): the refusal is still dated Monday 2 February.
    clock.set_day(date(2026, 2, 4))
    assert service.deem_refused_if_overdue([appeal_id]) == 1
    deemed = list(service.events.get(appeal_id))[-1]
    assert isinstance(deemed, Appeal.DeemedRefused)
    assert (deemed.due_on, deemed.effective_on) == (date(2026, 1, 30), date(2026, 2, 2))
    assert service.appeal_as_of(appeal_id, as_of=date(2026, 2, 1)).status == Status.RECEIVED
    assert service.appeal_as_of(appeal_id, as_of=date(2026, 2, 2)).status == Status.DEEMED_REFUSED


def test_each_step_carries_its_legal_date(service: AppealsService, clock: SettableClock) -> None:
    appeal_id = receive(service, received_on=date(2026, 3, 2), channel="personal_reception")
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "h")
    hearing = commands.HearApplicant(
        appeal_id=appeal_id, form="in_person", note="n", heard_on=date(2026, 3, 13)
    )
    send(service, hearing, "p")
    refusal = commands.Decide(
        appeal_id=appeal_id, outcome="refused", reasons="r", ground="no_violation_of_law"
    )
    send(service, refusal, "p")
    clock.set_day(date(2026, 3, 18))
    explained = commands.ExplainRefusal(
        appeal_id=appeal_id, explained_on=date(2026, 3, 17), note="In person"
    )
    send(service, explained, "p")
    dated = [(type(e).__name__, e.effective_on) for e in service.events.get(appeal_id)]  # type: ignore[attr-defined]
    assert dated == [
        ("Received", date(2026, 3, 2)),  # entered on the 16th, received on the 2nd
        ("Assigned", date(2026, 3, 16)),
        ("ApplicantHeard", date(2026, 3, 13)),  # heard before it was recorded
        ("Decided", date(2026, 3, 16)),
        ("RefusalExplained", date(2026, 3, 17)),  # recorded on the 18th
    ]


def test_an_answer_after_a_deemed_refusal_is_recorded_late(
    service: AppealsService, clock: SettableClock
) -> None:
    appeal_id = receive(service)
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "h")
    clock.set_day(date(2026, 4, 13))
    assert service.deem_refused_if_overdue([appeal_id]) == 1
    send(
        service,
        commands.Decide(
            appeal_id=appeal_id, outcome="satisfied", reasons="Late but done", ground=None
        ),
        "p",
    )
    decided = list(service.events.get(appeal_id))[-1]
    assert isinstance(decided, Appeal.Decided) and decided.late
    assert service.get_appeal(appeal_id).status == Status.DECIDED


def test_two_watchers_racing_record_one_deemed_refusal(clock: SettableClock) -> None:
    shared = AppealsService(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, calendar=KazakhstanCalendar(), clock=clock
    )
    appeal_id = receive(shared)
    clock.set_day(date(2026, 4, 10))
    first, second = shared.get_appeal(appeal_id), shared.get_appeal(appeal_id)
    rules = shared.rules_of(first)
    with events_on(clock):
        assert first.deem_refused_if_overdue(
            today=clock().date(), rules=rules, calendar=shared.calendar
        )
        assert second.deem_refused_if_overdue(
            today=clock().date(), rules=rules, calendar=shared.calendar
        )
    shared.save(first)
    with pytest.raises(IntegrityError):
        shared.save(second)
    assert shared.deem_refused_if_overdue([appeal_id]) == 0
    assert event_types(shared, appeal_id).count("DeemedRefused") == 1


def test_events_stored_before_legal_dates_read_with_one(
    service: AppealsService, clock: SettableClock
) -> None:
    appeal_id = receive(service, received_on=date(2026, 1, 9))
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office="REG-ALA"), "h")
    clock.set_day(date(2026, 2, 4))
    service.deem_refused_if_overdue([appeal_id])
    received, assigned, deemed = service.events.get(appeal_id)

    def without_legal_date(state: dict[str, Any]) -> None:
        del state["effective_on"]

    def read_back(event: Any) -> Any:
        return service.mapper.to_domain_event(
            stored_as_version_1(service, event, without_legal_date)
        )

    # Received: the day of receipt; a deemed refusal: the next weekday after the term
    # (version 1 has no calendar to skip a holiday with); any other step: the day in
    # Kazakhstan it was recorded.
    assert read_back(received).effective_on == date(2026, 1, 9)
    assert read_back(assigned).effective_on == date(2026, 3, 16)
    assert read_back(deemed).effective_on == date(2026, 2, 2)
