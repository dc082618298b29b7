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
from tests.callers import administrator as administrator
from tests.callers import (  # the callers, kept importable from here as before
    figures_out_of_bounds as figures_out_of_bounds,
)
from tests.callers import heard_then as heard_then
from tests.callers import lawful as lawful
from tests.callers import on_staff as on_staff
from tests.callers import prosecutor as prosecutor
from tests.callers import registrar as registrar
from tests.callers import send as send
from tests.callers import staff as staff

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
        # Tests make hundreds of requests as one user, and send forged tokens on purpose:
        # the limits are off unless a test is about them (tests/integration/test_rate_limits.py).
        "rate_limit_per_caller": 0,
        "rate_limit_per_address": 0,
        "auth_failures_per_address": 0,
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
    token = TokenService.from_settings(s).mint(sub=sub, role=Role(role), office=office)
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
