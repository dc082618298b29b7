"""The appeal register read model and the deadline watcher, on real PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.commands import AssignAppeal, Decide
from infra.adapters.settings import PROJECT_ROOT
from infra.bootstrap import Container
from projections import register
from tests.support import as_user, new_appeal, prosecutor, staff, wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(feed=True)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), headers=as_user()) as c:
        yield c


def listed(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/appeals", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def caught_up(container: Container) -> None:
    head = container.service.recorder.max_notification_id() or 0
    feed = container.feed
    assert feed is not None
    wait_until(lambda: feed.position() >= head, timeout=20, what="the embedded feed to catch up")


def test_register_filters_by_status_region_office_and_overdue(
    container: Container, client: TestClient
) -> None:
    s = container.service
    today = s.today()
    almaty = s.bus.send(new_appeal(office="REG-ALA"), staff("r")).appeal_id
    medeu = s.bus.send(new_appeal(office="REG-ALA"), staff("r")).appeal_id
    s.bus.send(
        AssignAppeal(appeal_id=medeu, assignee="p.medeu", office="DIS-ALA-MEDEU"),
        staff("h", "REG-ALA"),
    )
    astana = s.bus.send(new_appeal(office="REG-AST"), staff("r")).appeal_id
    s.bus.send(new_appeal(office="REG-AST", applicant=None), staff("r"))
    late = s.bus.send(
        new_appeal(office="REG-AST", received_on=today - timedelta(days=40)), staff("r")
    ).appeal_id
    caught_up(container)

    assert listed(client)["total"] == 5
    in_almaty = {i["appeal_id"] for i in listed(client, region="REG-ALA")["items"]}
    assert in_almaty == {str(almaty), str(medeu)}
    medeu_rows = listed(client, office="DIS-ALA-MEDEU")["items"]
    assert [(r["appeal_id"], r["status"], r["assignee"], r["region"]) for r in medeu_rows] == [
        (str(medeu), "in_progress", "p.medeu", "REG-ALA")
    ]
    assert listed(client, status="not_considered")["total"] == 1
    overdue = listed(client, overdue="true")["items"]
    assert [i["appeal_id"] for i in overdue] == [str(late)] and overdue[0]["overdue"]
    page = listed(client, sort="received_on", order="asc", limit=2, offset=0)
    assert page["total"] == 5 and len(page["items"]) == 2
    assert page["items"][0]["appeal_id"] == str(late)
    assert str(astana) in {i["appeal_id"] for i in listed(client, region="REG-AST")["items"]}


def test_register_rejects_bad_parameters(client: TestClient) -> None:
    for params, field in (
        ({"status": "lost"}, "status"),
        ({"limit": 0}, "limit"),
        ({"limit": 1000}, "limit"),
        ({"sort": "summary"}, "sort"),
        ({"received_from": "yesterday"}, "received_from"),
    ):
        r = client.get("/appeals", params=params)
        assert r.status_code == 422 and r.json()["field"] == field


def test_deadline_watcher_deems_overdue_appeals_refused_once(
    container: Container, client: TestClient
) -> None:
    s = container.service
    today = s.today()
    overdue = s.bus.send(new_appeal(received_on=today - timedelta(days=40)), staff("r")).appeal_id
    decided = s.bus.send(new_appeal(received_on=today - timedelta(days=40)), staff("r"))
    s.bus.send(
        AssignAppeal(appeal_id=decided.appeal_id, assignee="p", office="REG-ALA"),
        staff("h", "REG-ALA"),
    )
    s.bus.send(
        Decide(appeal_id=decided.appeal_id, outcome="satisfied", reasons="Done", ground=None),
        prosecutor("p", "REG-ALA"),
    )
    fresh = s.bus.send(new_appeal(), staff("r")).appeal_id
    caught_up(container)

    watcher = container.deadline_watcher()
    assert watcher.run_once().appeals_deemed_refused == 1
    caught_up(container)
    assert watcher.run_once().appeals_deemed_refused == 0
    assert s.get_appeal(overdue).status.value == "deemed_refused"
    assert s.get_appeal(fresh).status.value == "received"
    history = client.get(f"/appeals/{overdue}/history").json()["events"]
    by_watcher = [e for e in history if e["actor"] == "system:deadlines"]
    # Its receipt notice, never sent, is overdue too: the watcher marks both, once.
    assert sorted(e["type"] for e in by_watcher) == [
        "appeals.appeal.deemed_refused",
        "appeals.appeal.notice_overdue",
    ]
    assert listed(client, status="deemed_refused")["total"] == 1


def test_deadline_command_as_its_own_process(container: Container) -> None:
    s = container.service
    appeal_id = s.bus.send(
        new_appeal(received_on=s.today() - timedelta(days=40)), staff("r")
    ).appeal_id
    caught_up(container)
    env = {**os.environ, "DATABASE_URL": container.database_url, "APPEALS_LOG_FORMAT": "json"}
    runs = [
        subprocess.run(
            [sys.executable, "-m", "infra", "deadlines"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        for _ in range(2)
    ]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr
    assert runs[0].stdout.startswith("1 appeals deemed refused")
    # The second run may still see the candidate in the read model, but the appeal's own
    # events say it is already deemed refused, so nothing more is recorded.
    assert runs[1].stdout.startswith("0 appeals deemed refused")
    kinds = [type(e).__name__ for e in s.events.get(appeal_id)]
    assert kinds.count("DeemedRefused") == 1


def test_a_suspended_term_and_an_enquiry_are_never_overdue(
    container: Container, client: TestClient
) -> None:
    from domain.commands import ResumeTerm, SuspendTerm

    s = container.service
    today = s.today()
    # Received 40 days ago, a statement is past its 15 working days; an enquiry has no
    # term; a term suspended today stands still.
    long_ago = today - timedelta(days=40)
    statement = s.bus.send(new_appeal(received_on=long_ago), staff("r")).appeal_id
    enquiry = s.bus.send(new_appeal(received_on=long_ago, kind="enquiry"), staff("r")).appeal_id
    suspended = s.bus.send(new_appeal(), staff("r")).appeal_id
    s.bus.send(
        AssignAppeal(appeal_id=suspended, assignee="p", office="REG-ALA"), staff("h", "REG-ALA")
    )
    suspend = SuspendTerm(appeal_id=suspended, reason="awaiting_materials", note="Expert opinion")
    s.bus.send(suspend, prosecutor("p", "REG-ALA"))
    caught_up(container)

    def overdue_flags() -> dict[str, bool]:
        items = listed(client, limit=200)["items"]
        return {i["appeal_id"]: i["overdue"] for i in items}

    flags = overdue_flags()
    assert flags[str(statement)] is True and flags[str(enquiry)] is False
    filtered = {i["appeal_id"] for i in listed(client, overdue=True)["items"]}
    assert filtered == {str(statement)}
    report = client.get("/oversight/decisions", params={"from": long_ago.isoformat()}).json()
    [almaty] = [row for row in report["rows"] if row["key"] == "REG-ALA"]
    assert (almaty["enquiry"], almaty["overdue_now"], almaty["open"]) == (1, 1, 2)
    # The deadline watcher deems the statement refused, never the enquiry.
    watched = container.deadline_watcher().run_once()
    assert watched.appeals_deemed_refused == 1
    assert s.get_appeal(enquiry).status.value == "received"
    # Its receipt notice unsent, the statement counts among the overdue notices.
    caught_up(container)
    report = client.get("/oversight/decisions", params={"from": long_ago.isoformat()}).json()
    [almaty] = [row for row in report["rows"] if row["key"] == "REG-ALA"]
    assert almaty["notices_overdue"] >= 1
    # Resumed today, the suspended term is running again, and not past its (moved) due date.
    s.bus.send(ResumeTerm(appeal_id=suspended), prosecutor("p", "REG-ALA"))
    caught_up(container)
    assert overdue_flags()[str(suspended)] is False


def test_a_large_total_is_an_estimate_and_says_so(
    container: Container, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = container.service
    for _ in range(5):
        s.bus.send(new_appeal(office="REG-ALA"), staff("r"))
    s.bus.send(new_appeal(office="REG-AST"), staff("r"))
    caught_up(container)
    monkeypatch.setattr(register, "EXACT_TOTAL_UP_TO", 3)
    everything = listed(client, limit=2)
    # More match than are counted one by one: the planner's figure, flagged, and never
    # below what was counted.
    assert everything["total_exact"] is False
    assert everything["total"] >= 4
    assert len(everything["items"]) == 2
    almaty = listed(client, region="REG-ALA", status="received")  # bound in the estimate too
    assert almaty["total_exact"] is False
    assert almaty["total"] >= 4
    one_region = listed(client, region="REG-AST")
    assert (one_region["total"], one_region["total_exact"]) == (1, True)
