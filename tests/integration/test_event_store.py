"""The event store on real PostgreSQL, through the application service."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from domain.clock import events_on
from domain.commands import AssignAppeal
from domain.errors import VersionConflict
from domain.service import AppealsService
from infra.adapters.database import open_pool
from infra.bootstrap import build_service
from tests.support import HARD_DAYS, evening_of, new_appeal, settings_for, staff

pytestmark = pytest.mark.postgres


@pytest.fixture
def make_service(database_url: str) -> Iterator[object]:
    made: list[AppealsService] = []
    pool = open_pool(database_url)

    def make() -> AppealsService:
        service = build_service(
            database_url, settings_for(database_url), pool, evening_of(HARD_DAYS["nauryz"])
        )
        made.append(service)
        return service

    yield make
    for service in made:
        service.close()
    pool.close()


def test_appeal_survives_a_new_process(make_service) -> None:  # type: ignore[no-untyped-def]
    writer = make_service()
    outcome = writer.bus.send(
        new_appeal(channel="call_centre_115", office="REG-AST", summary="Case 12"), staff("reg1")
    )
    writer.bus.send(
        AssignAppeal(appeal_id=outcome.appeal_id, assignee="p9", office="REG-AST"),
        staff("head", "REG-AST"),
    )

    reader = make_service()  # a second application, as another process would be
    appeal = reader.get_appeal(outcome.appeal_id)
    assert (appeal.version, appeal.assignee, reader.reveal(appeal.summary)) == (2, "p9", "Case 12")
    assert "Case 12" not in appeal.summary  # sealed with the applicant's key
    positions = [n.id for n in reader.recorder.select_notifications(start=1, limit=10)]
    assert positions == sorted(positions) and len(positions) == 2


def test_concurrent_changes_to_one_appeal_conflict(make_service) -> None:  # type: ignore[no-untyped-def]
    first, second = make_service(), make_service()
    appeal_id = first.bus.send(new_appeal(office="REG-AST"), staff("reg1")).appeal_id
    # Both load version 1; the second save must not overwrite the first.
    a = first.get_appeal(appeal_id)
    b = second.get_appeal(appeal_id)
    with events_on(first.clock):
        a.assign(assignee="p1", office="REG-AST", actor="h1", offices=first.offices)
        b.assign(assignee="p2", office="REG-AST", actor="h2", offices=second.offices)
    first.save_changes(a)
    with pytest.raises(VersionConflict):
        second.save_changes(b)
    assert make_service().get_appeal(appeal_id).assignee == "p1"


def test_idempotent_create_across_processes(make_service) -> None:  # type: ignore[no-untyped-def]
    one, two = make_service(), make_service()
    first = one.bus.send(new_appeal(office="GPO"), staff("reg1"), idempotency_key="abc")
    again = two.bus.send(new_appeal(office="GPO"), staff("reg1"), idempotency_key="abc")
    assert (again.appeal_id, again.created) == (first.appeal_id, False)
    assert two.recorder.max_notification_id() == first.position


def test_applicant_identity_is_kept_apart_and_found_again(  # type: ignore[no-untyped-def]
    make_service, database_url: str
) -> None:
    service = make_service()
    first = service.bus.send(new_appeal(), staff("reg1")).appeal_id
    second = service.bus.send(new_appeal(summary="Another matter"), staff("reg1")).appeal_id
    ref = service.get_appeal(first).applicant_ref
    assert ref is not None and ref == service.get_appeal(second).applicant_ref
    person = make_service().applicants.lookup(ref)
    assert person is not None and person.name == "Aigerim Nurlanovna"
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT state FROM appeals_events").fetchall()
    stored = b"".join(bytes(row[0]) for row in rows)
    assert b"Aigerim" not in stored and b"791028302728" not in stored


def test_two_deadline_watchers_record_one_deemed_refusal(make_service) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    one, two = make_service(), make_service()
    appeal_id = one.bus.send(
        new_appeal(received_on=one.today() - timedelta(days=40)), staff("reg1")
    ).appeal_id
    a, b = one.get_appeal(appeal_id), two.get_appeal(appeal_id)
    with events_on(one.clock):
        assert a.deem_refused_if_overdue(
            today=one.today(), rules=one.rules_of(a), calendar=one.calendar
        )
        assert b.deem_refused_if_overdue(
            today=two.today(), rules=two.rules_of(b), calendar=two.calendar
        )
    one.save_changes(a)
    with pytest.raises(VersionConflict):
        two.save_changes(b)
    assert two.deem_refused_if_overdue([appeal_id]) == 0
    kinds = [type(e).__name__ for e in make_service().events.get(appeal_id)]
    assert kinds.count("DeemedRefused") == 1
