"""The event store on real PostgreSQL, through the application service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.errors import VersionConflict
from domain.service import AppealsService
from infra.bootstrap import build_service
from tests.support import settings_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def make_service(database_url: str) -> Iterator[object]:
    made: list[AppealsService] = []

    def make() -> AppealsService:
        service = build_service(database_url, settings_for(database_url))
        made.append(service)
        return service

    yield make
    for service in made:
        service.close()


def test_appeal_survives_a_new_process(make_service) -> None:  # type: ignore[no-untyped-def]
    writer = make_service()
    outcome = writer.receive_appeal(
        channel="call_centre_115", office="KZ-AST", summary="Case 12", actor="reg1"
    )
    writer.assign_appeal(outcome.appeal_id, assignee="p9", office="KZ-AST", actor="head")

    reader = make_service()  # a second application, as another process would be
    appeal = reader.get_appeal(outcome.appeal_id)
    assert (appeal.version, appeal.assignee, appeal.summary) == (2, "p9", "Case 12")
    positions = [n.id for n in reader.recorder.select_notifications(start=1, limit=10)]
    assert positions == sorted(positions) and len(positions) == 2


def test_concurrent_changes_to_one_appeal_conflict(make_service) -> None:  # type: ignore[no-untyped-def]
    first, second = make_service(), make_service()
    appeal_id = first.receive_appeal(
        channel="written", office="KZ-AST", summary="x", actor="reg1"
    ).appeal_id
    # Both load version 1; the second save must not overwrite the first.
    a = first.get_appeal(appeal_id)
    b = second.get_appeal(appeal_id)
    a.assign(assignee="p1", office="KZ-AST", actor="h1")
    b.assign(assignee="p2", office="KZ-AST", actor="h2")
    first.save_changes(a)
    with pytest.raises(VersionConflict):
        second.save_changes(b)
    assert make_service().get_appeal(appeal_id).assignee == "p1"


def test_idempotent_create_across_processes(make_service) -> None:  # type: ignore[no-untyped-def]
    one, two = make_service(), make_service()
    first = one.receive_appeal(
        channel="written", office="GPO", summary="x", actor="reg1", idempotency_key="abc"
    )
    again = two.receive_appeal(
        channel="written", office="GPO", summary="x", actor="reg1", idempotency_key="abc"
    )
    assert (again.appeal_id, again.created) == (first.appeal_id, False)
    assert two.recorder.max_notification_id() == first.position
