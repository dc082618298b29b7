"""Helpers shared by the tests: waiting, reading topics, settings for one test."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from datetime import time as time_of_day
from typing import Any, TypeVar
from uuid import uuid4

import psycopg
from kafka import KafkaConsumer, KafkaProducer
from psycopg.conninfo import make_conninfo

from domain.clock import KAZAKHSTAN
from domain.commands import (
    AddMaterials,
    AssignAppeal,
    CloseAppeal,
    Consult,
    Decide,
    DecideComplaint,
    ExplainRefusal,
    Extend,
    FileComplaint,
    HearApplicant,
    ReceiveCaseFile,
    RecordNotice,
    Redirect,
    ReopenAppeal,
    RequestCaseFile,
    ResumeTerm,
    ReviewDecision,
    SuspendTerm,
)
from infra.adapters.clock import StartedAt
from infra.adapters.settings import Settings

T = TypeVar("T")


def wait_until(
    probe: Callable[[], T | None], timeout: float = 60.0, interval: float = 0.2, what: str = ""
) -> T:
    """Poll ``probe`` until it returns something truthy; fail with ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or probe}; last={last!r}")


# Days where the calendar is hardest, for the tests that must pass on any day.
HARD_DAYS = {
    # Tuesday 24 March 2026: Nauryz, observed (21-25 March are days off).
    "nauryz": date(2026, 3, 24),
    # Thursday 31 December 2026: the last day of the year, New Year's holidays next.
    "new-years-eve": date(2026, 12, 31),
    # Monday 6 January 2025: Friday 3 January was a day off transferred from Sunday
    # 5 January, which was worked.
    "after-a-transferred-day-off": date(2025, 1, 6),
}


def evening_of(day: date) -> StartedAt:
    """A clock that starts at 19:00 in Kazakhstan on ``day``, after the reception day."""
    return StartedAt(datetime.combine(day, time_of_day(19), KAZAKHSTAN))


def settings_for(database_url: str, bootstrap: str | None = None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "kafka_bootstrap_servers": bootstrap,
        "topic": f"appeals.test.{uuid4().hex[:10]}",
        "topic_partitions": 3,
        "consumer_group": f"group-{uuid4().hex[:8]}",
        "poll_interval_seconds": 0.05,
        "log_format": "console",
    }
    values.update(overrides)
    return Settings(**values)


def read_topic(bootstrap: str, topic: str, expected: int, timeout: float = 30.0) -> list[Any]:
    """Every message of ``topic`` from the start, waiting until at least ``expected``."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=1000,
    )
    messages: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while len(messages) < expected and time.monotonic() < deadline:
            messages.extend(consumer)
    finally:
        consumer.close()
    return messages


def envelopes(messages: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(m.value) for m in messages]


def republish(bootstrap: str, topic: str, messages: list[Any]) -> None:
    """Send copies of messages again, as a relay restarted mid-batch would."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for m in messages:
        producer.send(topic, key=m.key, value=m.value, headers=m.headers)
    producer.flush()
    producer.close()


IIN_A = "791028302728"
IIN_B = "061211600012"


def new_appeal(**overrides: Any) -> Any:
    """A valid appeal to receive, with overrides."""
    from domain.applicants import Applicant
    from domain.commands import ReceiveAppeal

    values: dict[str, Any] = {
        "channel": "written",
        "office": "REG-ALA",
        "summary": "No reply to my complaint about an inquiry",
        "applicant": Applicant(iin=IIN_A, name="Aigerim Nurlanovna", phone="+7 700 000 0000"),
    }
    values.update(overrides)
    return ReceiveAppeal(**values)


def every_kind_of_event(service: Any) -> list[Any]:
    """Drive appeals through every step so that each Appeal event type is recorded
    at least once; returns the appeal ids. Uses today's date for everything."""
    from domain.applicants import Applicant

    ids = []
    medeu = "DIS-ALA-MEDEU"
    main = service.bus.send(
        new_appeal(channel="personal_reception", office=medeu), registrar("reg.1", medeu)
    ).appeal_id
    ids.append(main)
    service.bus.send(
        AssignAppeal(appeal_id=main, assignee="pros.1", office=medeu), staff("head.1", medeu)
    )
    assignee = prosecutor("pros.1", medeu)
    service.bus.send(
        Consult(
            appeal_id=main,
            specialist_role="lawyer",
            specialist="lawyer.1",
            help=["legal_help", "drafting_help"],
            note="Helped draft",
        ),
        assignee,
    )
    service.bus.send(AddMaterials(appeal_id=main, documents=["doc-1"], by_applicant=True), assignee)
    receipt_notice = RecordNotice(appeal_id=main, kind="receipt", channel="egov_portal")
    service.bus.send(receipt_notice, registrar("reg.1", medeu))
    due = service.get_appeal(main).due_on
    from datetime import timedelta

    service.bus.send(
        Extend(
            appeal_id=main,
            new_due_on=due + timedelta(days=20),
            reasons="Expert opinion",
            approver_role="head",
            approver="head.1",
            applicant_notified_on=None,
        ),
        staff("head.1", medeu),
    )
    request_id = service.bus.send(
        RequestCaseFile(appeal_id=main, requesting_office="REG-ALA", case_ref="CASE-7"),
        staff("sup.1", "REG-ALA"),
    ).result
    service.bus.send(
        ReceiveCaseFile(appeal_id=main, request_id=request_id), staff("sup.1", "REG-ALA")
    )
    service.bus.send(
        HearApplicant(appeal_id=main, form="in_person", note="Maintains the complaint"),
        assignee,
    )
    service.bus.send(
        Decide(
            appeal_id=main,
            outcome="refused",
            reasons="Not confirmed",
            ground="arguments_not_confirmed",
        ),
        assignee,
    )
    service.bus.send(
        ReviewDecision(
            appeal_id=main,
            reviewing_office="REG-ALA",
            decision_ref="Refusal to open a case",
            result="overturned",
            reasons="Evidence ignored",
        ),
        staff("sup.1", "REG-ALA"),
    )
    service.bus.send(
        ExplainRefusal(appeal_id=main, explained_on=None, note="Explained in person"), assignee
    )
    service.bus.send(CloseAppeal(appeal_id=main), assignee)
    service.bus.send(ReopenAppeal(appeal_id=main, reason="Disputes the answer"), assignee)
    complained = service.bus.send(new_appeal(office=medeu), registrar("reg.1", medeu)).appeal_id
    ids.append(complained)
    service.bus.send(
        AssignAppeal(appeal_id=complained, assignee="pros.1", office=medeu), staff("head.1", medeu)
    )
    suspension = SuspendTerm(
        appeal_id=complained, reason="awaiting_materials", note="Expert opinion requested"
    )
    service.bus.send(suspension, assignee)
    service.bus.send(ResumeTerm(appeal_id=complained), assignee)
    refusal = Decide(
        appeal_id=complained, outcome="refused", reasons="Not confirmed", ground="decision_lawful"
    )
    service.bus.send(HearApplicant(appeal_id=complained, form="written", note="n"), assignee)
    service.bus.send(refusal, assignee)
    complaint_id = service.bus.send(
        FileComplaint(appeal_id=complained, grounds="The check ignored my evidence"),
        registrar("reg.ala", "REG-ALA"),
    ).result
    service.bus.send(
        DecideComplaint(
            appeal_id=complained,
            complaint_id=complaint_id,
            result="overturned",
            returned=True,
            reasons="The evidence was not examined",
        ),
        staff("sup.1", "REG-ALA"),
    )
    ids.append(service.bus.send(new_appeal(applicant=None), staff("reg.1")).appeal_id)
    redirected = service.bus.send(
        new_appeal(applicant=Applicant(iin=IIN_B, name="Second Person")), staff("reg.1")
    ).appeal_id
    service.bus.send(
        Redirect(
            appeal_id=redirected,
            agency="Ministry of Labour",
            egov_reference="EGOV-1",
            applicant_notified=True,
        ),
        registrar("reg.1", "REG-ALA"),
    )
    ids.append(redirected)
    overdue = service.bus.send(
        new_appeal(received_on=service.today() - timedelta(days=40)), staff("reg.1")
    ).appeal_id
    assert service.deem_refused_if_overdue([overdue]) == 1
    assert service.mark_overdue_notices([overdue]) == 1  # of its receipt
    ids.append(overdue)
    return ids


def as_user(
    sub: str = "tester", role: str = "supervisor", office: str = "GPO", **headers: str
) -> dict[str, str]:
    """Request headers of a signed-in user (a token minted with the settings' key)."""
    from domain.access import Role
    from infra.adapters.tokens import TokenService

    s = Settings()
    token = TokenService(s.jwt_keys, s.jwt_active_kid, s.jwt_issuer).mint(
        sub=sub, role=Role(role), office=office
    )
    return {"Authorization": f"Bearer {token}", **headers}


@contextmanager
def fresh_database(server: str, template: str | None = None) -> Iterator[str]:
    """A new database on ``server`` (a copy of ``template`` if given), dropped after."""
    name = f"t_{uuid4().hex[:12]}"
    like = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{like}')
    yield make_conninfo(server, dbname=name)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def staff(actor: str, office: str = "GPO") -> Any:
    """A head (or deputy) of ``office``: they work the appeals their office holds, route
    those it received or holds, and oversee the offices below; at the GPO, the root,
    they see every office."""
    from domain.access import Principal, Role

    return Principal(sub=actor, role=Role.SUPERVISOR, office=office)


def lawful(service: Any, command: Any, actor: str) -> Any:
    """``actor`` in the role and office the law gives ``command`` on its appeal, for
    tests about other rules (who else is refused: tests/unit/test_authority_matrix.py):
    the registrar of the receiving office routes; the assignee, or the head of the
    holding office, works the appeal; the head of the office named in the command, or
    of the office above the holder or the decider, demands files and reviews."""
    from domain.authority import Who
    from domain.commands import AppealCommand
    from domain.errors import AppealNotFound

    if not isinstance(command, AppealCommand):
        return staff(actor)
    try:
        appeal = service.get_appeal(command.appeal_id)
    except AppealNotFound:
        return staff(actor)  # the bus answers for an unknown appeal
    named = getattr(command, "requesting_office", None) or getattr(
        command, "reviewing_office", None
    )
    parent = service.offices.get(appeal.office).parent or "GPO"
    if named is not None:
        return staff(actor, named)
    decider_parent = service.offices.get(appeal.decided_by_office or appeal.office).parent
    if command.who == Who.COMPLAINT_DESK:
        return registrar(actor, getattr(command, "office", None) or decider_parent or "GPO")
    if command.who == Who.COMPLAINT_OFFICE:
        complaint = appeal.complaints.get(getattr(command, "complaint_id", ""))
        return staff(actor, str(complaint["office"]) if complaint else decider_parent or "GPO")
    if command.who == Who.ROUTER:
        return registrar(actor, appeal.receiving_office)
    if command.who == Who.HIGHER_OFFICE:
        return staff(actor, parent)
    if command.who == Who.REQUESTING_OFFICE:
        request = appeal.case_file_requests.get(getattr(command, "request_id", ""))
        return staff(actor, str(request["requesting_office"]) if request else parent)
    if command.who == Who.ABOVE_DECIDER:
        decider = appeal.decided_by_office or appeal.office
        return staff(actor, service.offices.get(decider).parent or "GPO")
    if actor == appeal.assignee:
        return prosecutor(actor, appeal.office)
    return staff(actor, appeal.office)


def send(service: Any, command: Any, actor: str, *, hear: bool = True, **options: Any) -> Any:
    """Send ``command`` through the bus as ``lawful`` says ``actor`` acts. Before an
    adverse decision of an appeal whose applicant was not heard yet, the applicant is
    heard first (APPK art. 73; the rule itself is tested in
    tests/unit/test_appeal_hearing.py)."""
    from domain.commands import Decide, HearApplicant
    from domain.errors import ConflictError

    try:
        return service.bus.send(command, lawful(service, command, actor), **options)
    except ConflictError as refused:
        if not hear or not isinstance(command, Decide) or refused.rule != "hearing-required":
            raise
    hearing = HearApplicant(appeal_id=command.appeal_id, form="written", note="Heard")
    service.bus.send(hearing, lawful(service, hearing, actor))
    options.pop("expected_version", None)
    return service.bus.send(command, lawful(service, command, actor), **options)


def heard_then(service: Any, command: Any, caller: Any) -> Any:
    """Send ``command`` as ``caller``, hearing the applicant first when it is a decision
    adverse to them and they were not heard yet (APPK art. 73)."""
    from domain.commands import Decide, HearApplicant

    if isinstance(command, Decide) and command.outcome in ("refused", "partially_satisfied"):
        appeal = service.get_appeal(command.appeal_id)
        if not appeal.heard and not appeal.anonymous:
            hearing = HearApplicant(appeal_id=command.appeal_id, form="written", note="Heard")
            service.bus.send(hearing, caller)
    return service.bus.send(command, caller)


def registrar(actor: str, office: str) -> Any:
    """A registrar of ``office``: registers and routes its appeals."""
    from domain.access import Principal, Role

    return Principal(sub=actor, role=Role.REGISTRAR, office=office)


def prosecutor(actor: str, office: str) -> Any:
    """A prosecutor of ``office``: works the appeals assigned to them."""
    from domain.access import Principal, Role

    return Principal(sub=actor, role=Role.PROSECUTOR, office=office)


class SettableClock:
    """The tests' one clock: it says ``now``, which a test sets, or moves to a day
    (06:00 UTC, 11:00 in Kazakhstan: the same date there)."""

    def __init__(self, now: datetime | date) -> None:
        self.now = now if isinstance(now, datetime) else self._morning(now)

    def __call__(self) -> datetime:
        return self.now

    def set_day(self, day: date) -> None:
        self.now = self._morning(day)

    @staticmethod
    def _morning(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)


def stored_as_version_1(app: Any, event: Any, downgrade: Callable[[dict[str, Any]], None]) -> Any:
    """``event`` as an older version of the code stored it: its state without the class
    version, changed back by ``downgrade``; read it with ``app.mapper.to_domain_event``."""
    from eventsourcing.persistence import StoredEvent

    stored = app.mapper.to_stored_event(event)
    state = app.mapper.transcoder.decode(stored.state)
    assert state.pop("class_version") > 1
    downgrade(state)
    return StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=app.mapper.transcoder.encode(state),
    )


def figures_out_of_bounds(row: dict[str, Any]) -> list[str]:
    """What in one row of the oversight report passes its whole: the fates must add up to
    the cohort, each part stay within its whole, each rate between 0 and 1."""
    wrong = []
    fates = ("decided", "deemed_refused", "redirected", "not_considered", "reversed", "open")
    if sum(row[f] for f in fates) != row["received"]:
        wrong.append(f"fates {[row[f] for f in fates]} do not add up to {row['received']}")
    outcomes = ("satisfied", "partially_satisfied", "explained", "refused")
    if sum(row[o] for o in outcomes) != row["decided"]:
        wrong.append("outcomes do not add up to the decided")
    if sum(row["refusals_by_ground"].values()) != row["refused"]:
        wrong.append("grounds do not add up to the refused")
    for part, whole in (
        ("decided_late", "decided"),
        ("redirected_late", "redirected"),
        ("overdue_now", "open"),
        ("upheld", "reviewed"),
        ("overturned", "reviewed"),
        ("reversed", "overturned"),
        ("reviewed", "received"),
        ("reviews_pending", "received"),
        ("notices_overdue", "received"),
    ):
        if not 0 <= row[part] <= row[whole]:
            wrong.append(f"{part} {row[part]} is not within {whole} {row[whole]}")
    for name, value in row.items():
        if name.endswith("_rate") and value is not None and not 0.0 <= value <= 1.0:
            wrong.append(f"{name} is {value}")
    return wrong
