"""A complaint to the higher body (APPK arts. 91, 100): against a decision or a deemed
refusal, to an office above the one that decided, within three months of learning of
it; upheld, overturned (sent back for a new decision, or decided above) or changed."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain import commands
from domain.appeal_terms import Status
from domain.errors import ConflictError, InvalidCommand, NotPermitted
from domain.service import AppealsService
from tests.support import SettableClock, registrar, send, staff
from tests.unit.appeal_fixtures import (
    clock_fixture,  # noqa: F401
    receive,
    refused_and_nothing_recorded,
    service_fixture,  # noqa: F401
)

MEDEU = "DIS-ALA-MEDEU"


def refused_at_medeu(service: AppealsService, **overrides: object) -> UUID:
    appeal_id = receive(service, office=MEDEU, **overrides)
    send(service, commands.AssignAppeal(appeal_id=appeal_id, assignee="p", office=MEDEU), "r")
    refusal = commands.Decide(
        appeal_id=appeal_id, outcome="refused", reasons="r", ground="no_violation_of_law"
    )
    send(service, refusal, "p")
    return appeal_id


def complain(service: AppealsService, appeal_id: UUID, **fields: object) -> str:
    command = commands.FileComplaint(appeal_id=appeal_id, grounds="Evidence ignored", **fields)  # type: ignore[arg-type]
    complaint_id: str = service.bus.send(command, registrar("reg.ala", "REG-ALA")).result
    return complaint_id


def decide(service: AppealsService, appeal_id: UUID, complaint_id: str, **fields: object) -> None:
    command = commands.DecideComplaint(
        appeal_id=appeal_id,
        complaint_id=complaint_id,
        reasons="Checked",
        **fields,  # type: ignore[arg-type]
    )
    service.bus.send(command, staff("head.ala", "REG-ALA"))


def test_an_overturned_refusal_goes_back_for_a_new_decision_with_a_new_term(
    service: AppealsService, clock: SettableClock
) -> None:
    appeal_id = refused_at_medeu(service)
    complaint_id = complain(service, appeal_id)
    filed = list(service.events.get(appeal_id))[-1]
    assert (filed.against_office, filed.office, filed.learned_on) == (  # type: ignore[attr-defined]
        MEDEU,
        "REG-ALA",
        date(2026, 3, 16),
    )
    # While the complaint is pending, the appeal cannot be closed.
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "complaint-pending",
        lambda: send(service, commands.CloseAppeal(appeal_id=appeal_id), "p"),
    )
    clock.set_day(date(2026, 4, 1))
    decide(service, appeal_id, complaint_id, result="overturned", returned=True)
    appeal = service.get_appeal(appeal_id)
    assert (appeal.status, appeal.outcome, appeal.office) == (Status.IN_PROGRESS, None, MEDEU)
    assert appeal.due_on == date(2026, 4, 22)  # 15 working days from the complaint's decision
    # The holding office decides again.
    send(service, commands.Decide(appeal_id=appeal_id, outcome="satisfied", reasons="r"), "p")
    assert service.get_appeal(appeal_id).status == Status.DECIDED


def test_the_higher_office_may_decide_itself_or_change_the_decision(
    service: AppealsService,
) -> None:
    overturned = refused_at_medeu(service)
    decide(
        service, overturned, complain(service, overturned), result="overturned", outcome="satisfied"
    )
    appeal = service.get_appeal(overturned)
    assert (appeal.status, appeal.outcome, appeal.decided_by_office) == (
        Status.DECIDED,
        "satisfied",
        "REG-ALA",
    )
    changed = refused_at_medeu(service)
    decide(service, changed, complain(service, changed), result="changed", outcome="explained")
    assert service.get_appeal(changed).outcome == "explained"
    upheld = refused_at_medeu(service)
    decide(service, upheld, complain(service, upheld), result="upheld")
    assert service.get_appeal(upheld).status == Status.REFUSED


def test_a_complaint_after_three_months_is_refused(
    service: AppealsService, clock: SettableClock
) -> None:
    # Both decided on 16 March 2026.
    in_time, late = refused_at_medeu(service), refused_at_medeu(service)
    clock.set_day(date(2026, 6, 16))  # the last day of the three months
    complain(service, in_time)
    clock.set_day(date(2026, 6, 17))
    refused_and_nothing_recorded(
        service,
        late,
        InvalidCommand,
        "complaint-late",
        lambda: complain(service, late),
    )
    # Learned of it later: the three months run from then.
    complain(service, late, learned_on=date(2026, 3, 20))


def test_a_deemed_refusal_is_complained_against_too(
    service: AppealsService, clock: SettableClock
) -> None:
    appeal_id = receive(service, office=MEDEU)
    clock.set_day(date(2026, 4, 13))
    assert service.deem_refused_if_overdue([appeal_id]) == 1
    complaint_id = complain(service, appeal_id)
    decide(
        service, complaint_id=complaint_id, appeal_id=appeal_id, result="overturned", returned=True
    )
    assert service.get_appeal(appeal_id).status == Status.RECEIVED


def test_complaint_refusals(service: AppealsService) -> None:
    open_appeal = receive(service, office=MEDEU)
    refused_and_nothing_recorded(
        service,
        open_appeal,
        ConflictError,
        "nothing-to-complain-against",
        lambda: service.bus.send(
            commands.FileComplaint(appeal_id=open_appeal, grounds="g", office=MEDEU),
            registrar("reg.medeu", MEDEU),
        ),
    )
    appeal_id = refused_at_medeu(service)
    # The deciding office is not above itself.
    refused_and_nothing_recorded(
        service,
        appeal_id,
        NotPermitted,
        "complaint-received-above-the-decider",
        lambda: service.bus.send(
            commands.FileComplaint(appeal_id=appeal_id, grounds="g"),
            registrar("reg.medeu", MEDEU),
        ),
    )
    complaint_id = complain(service, appeal_id)
    refused_and_nothing_recorded(
        service, appeal_id, ConflictError, "complaint-pending", lambda: complain(service, appeal_id)
    )
    for fields, rule in (
        ({"result": "annulled"}, "unknown-complaint-result"),
        ({"result": "upheld", "returned": True}, "upheld-changes-nothing"),
        ({"result": "overturned"}, "overturned-needs-a-way"),
        (
            {"result": "overturned", "returned": True, "outcome": "satisfied"},
            "overturned-needs-a-way",
        ),
        ({"result": "changed", "returned": True}, "changed-needs-an-outcome"),
        ({"result": "changed", "outcome": "refused"}, "refusal-ground"),
    ):
        refused_and_nothing_recorded(
            service,
            appeal_id,
            InvalidCommand,
            rule,
            lambda f=fields: decide(service, appeal_id, complaint_id, **f),  # type: ignore[misc]
        )
    # Only the office that received the complaint decides it.
    refused_and_nothing_recorded(
        service,
        appeal_id,
        NotPermitted,
        "complaint-office-only",
        lambda: service.bus.send(
            commands.DecideComplaint(
                appeal_id=appeal_id, complaint_id=complaint_id, result="upheld", reasons="r"
            ),
            staff("head.gpo", "GPO"),
        ),
    )
    decide(service, appeal_id, complaint_id, result="upheld")
    refused_and_nothing_recorded(
        service,
        appeal_id,
        ConflictError,
        "complaint-decided",
        lambda: decide(service, appeal_id, complaint_id, result="upheld"),
    )
