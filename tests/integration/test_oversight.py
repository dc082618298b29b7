"""Oversight read models on a known data set: every figure is counted by hand here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain import commands
from domain.applicants import Applicant
from infra.bootstrap import Container
from tests.support import as_user, heard_then, new_appeal, staff, wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(feed=True)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), headers=as_user()) as c:
        yield c


def caught_up(container: Container) -> None:
    head = container.service.recorder.max_notification_id() or 0
    feed = container.feed
    assert feed is not None
    wait_until(lambda: feed.position() >= head, timeout=30, what="the feed to catch up")


def get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def centre_visit(container: Container, *help: tuple[str, list[str]], accept: bool) -> UUID:
    s = container.service
    appeal_id = s.bus.send(
        new_appeal(channel="law_enforcement_center", office="GPO"), staff("centre.reg")
    ).appeal_id
    for role, kinds in help:
        s.bus.send(
            commands.Consult(
                appeal_id=appeal_id,
                specialist_role=role,
                specialist=f"{role}.1",
                help=kinds,
                note=None,
            ),
            staff("centre.reg"),
        )
    if accept:
        container.service.bus.send(
            commands.IssueInstruction(
                issuing_office="GPO",
                addressee_office="REG-KAR",
                subject="Check the application",
                body="Verify and report",
                due_on=s.today() + timedelta(days=30),
                appeal_id=appeal_id,
            ),
            staff("centre.pros", "GPO"),
        )
    return appeal_id


def test_reception_statistics_add_up(container: Container, client: TestClient) -> None:
    legal = ("prosecutor", ["legal_help"])
    lawyer = ("lawyer", ["legal_help", "drafting_help"])
    psych = ("psychologist", ["psychological_help"])
    centre_visit(container, legal, accept=True)
    centre_visit(container, lawyer, psych, accept=True)  # one visit, several kinds of help
    centre_visit(container, psych, accept=False)
    centre_visit(container, accept=False)
    centre_visit(container, lawyer, accept=False)
    # Not a centre visit: does not count.
    container.service.bus.send(new_appeal(office="GPO"), staff("reg"))
    caught_up(container)
    report = get(client, "/oversight/reception-statistics")
    assert report["centres"] == [
        {
            "centre": "GPO",
            "citizens_received": 5,
            "given_legal_help": 3,
            "applications_accepted": 2,
            "helped_by_psychologist": 2,
            "helped_by_lawyers": 2,
        }
    ]


def test_decisions_of_lower_offices_by_region_and_ground(
    container: Container, client: TestClient
) -> None:
    s = container.service
    today = s.today()

    def decided(office: str, outcome: str, ground: str | None, prosecutor: str) -> UUID:
        appeal_id = s.bus.send(new_appeal(office=office), staff("reg")).appeal_id
        s.bus.send(
            commands.AssignAppeal(appeal_id=appeal_id, assignee=prosecutor, office=office),
            staff("head", office),
        )
        heard_then(
            s,
            commands.Decide(appeal_id=appeal_id, outcome=outcome, reasons="r", ground=ground),
            staff(prosecutor, office),
        )
        return appeal_id

    refused_medeu = decided("DIS-ALA-MEDEU", "refused", "arguments_not_confirmed", "p.medeu")
    decided("DIS-ALA-MEDEU", "refused", "no_violation_of_law", "p.medeu")
    decided("DIS-ALA-MEDEU", "satisfied", None, "p.medeu")
    decided("DIS-ALA-AUEZOV", "refused", "arguments_not_confirmed", "p.auezov")
    decided("DIS-AST-YESIL", "explained", None, "p.yesil")
    # A late redirect in Astana (received 20 days ago: at least 9 working days on any
    # day of the year, Nauryz and the New Year included) and an on-time one in Almaty.
    late = s.bus.send(
        new_appeal(office="REG-AST", received_on=today - timedelta(days=20)), staff("reg")
    ).appeal_id
    s.bus.send(
        commands.Redirect(
            appeal_id=late,
            agency="Ministry of Labour",
            egov_reference="E-1",
            applicant_notified=True,
        ),
        staff("p", "REG-AST"),
    )
    on_time = s.bus.send(new_appeal(office="REG-ALA"), staff("reg")).appeal_id
    s.bus.send(
        commands.Redirect(
            appeal_id=on_time,
            agency="Ministry of Labour",
            egov_reference="E-2",
            applicant_notified=True,
        ),
        staff("p", "REG-ALA"),
    )
    # Reviews of Medeu's refusal: one overturned; a case file demanded but not reviewed yet.
    s.bus.send(
        commands.ReviewDecision(
            appeal_id=refused_medeu,
            reviewing_office="REG-ALA",
            decision_ref="appeal decision",
            result="overturned",
            reasons="Unlawful",
        ),
        staff("sup", "REG-ALA"),
    )
    pending = decided("DIS-ALA-AUEZOV", "explained", None, "p.auezov")
    s.bus.send(
        commands.RequestCaseFile(appeal_id=pending, requesting_office="REG-ALA", case_ref="C-9"),
        staff("sup", "REG-ALA"),
    )
    # Overdue: an open appeal received 40 days ago, and a deemed refusal.
    s.bus.send(new_appeal(office="REG-AST", received_on=today - timedelta(days=40)), staff("reg"))
    deemed = s.bus.send(
        new_appeal(
            office="REG-ALA",
            received_on=today - timedelta(days=40),
            applicant=Applicant(iin="061211600012", name="B"),
        ),
        staff("reg"),
    ).appeal_id
    assert s.deem_refused_if_overdue([deemed]) == 1
    caught_up(container)

    period = {"from": (today - timedelta(days=60)).isoformat(), "to": today.isoformat()}
    rows = {r["key"]: r for r in get(client, "/oversight/decisions", **period)["rows"]}
    almaty, astana = rows["REG-ALA"], rows["REG-AST"]
    # The cohort received in the period, each appeal with one fate: Medeu's overturned
    # refusal is a reversal (no longer a refusal); the others stand.
    fates = ("decided", "refused", "reversed", "redirected", "deemed_refused", "open")
    assert almaty["received"] == 7
    assert tuple(almaty[f] for f in fates) == (4, 2, 1, 1, 1, 0)
    assert almaty["refusals_by_ground"] == {"arguments_not_confirmed": 1, "no_violation_of_law": 1}
    assert almaty["refusal_rate"] == 0.5
    assert (almaty["reviewed"], almaty["overturned"], almaty["overturn_rate"]) == (1, 1, 1.0)
    assert (almaty["reversal_rate"], almaty["deemed_refusal_rate"]) == (
        round(1 / 7, 4),
        round(1 / 7, 4),
    )
    assert almaty["reviews_pending"] == 1
    assert (almaty["redirected"], almaty["redirected_late"]) == (1, 0)
    assert (astana["received"], astana["decided"], astana["open"]) == (3, 1, 1)
    assert (astana["redirected"], astana["redirected_late"], astana["late_redirect_rate"]) == (
        1,
        1,
        1.0,
    )
    assert (astana["overdue_now"], astana["overdue_rate"]) == (1, 1.0)
    assert almaty["overdue_now"] == 0

    by_office = {
        r["key"]: r
        for r in get(client, "/oversight/decisions", group_by="office", under="REG-ALA", **period)[
            "rows"
        ]
    }
    assert set(by_office) <= {"REG-ALA", "DIS-ALA-MEDEU", "DIS-ALA-AUEZOV"}
    medeu = by_office["DIS-ALA-MEDEU"]
    # The reversal counts against Medeu, whose refusal was overturned.
    assert (medeu["received"], medeu["refused"], medeu["reversed"]) == (3, 1, 1)
    by_prosecutor = {
        r["key"]: r
        for r in get(client, "/oversight/decisions", group_by="prosecutor", **period)["rows"]
    }
    assert by_prosecutor["p.medeu"]["decided"] == 2
    assert by_prosecutor["p.auezov"]["refusals_by_ground"] == {"arguments_not_confirmed": 1}

    agencies = get(client, "/oversight/redirects", **period)["agencies"]
    assert agencies == [
        {
            "agency": "Ministry of Labour",
            "redirected": 2,
            "late": 1,
            "urgent": 0,
            "on_time_rate": 0.5,
            "avg_working_days": agencies[0]["avg_working_days"],
        }
    ]
    assert agencies[0]["avg_working_days"] > 3


def test_bad_periods_and_offices_are_refused(client: TestClient) -> None:
    r = client.get("/oversight/decisions", params={"from": "2026-05-01", "to": "2026-04-01"})
    assert r.status_code == 422 and r.json()["field"] == "to"
    r = client.get("/oversight/decisions", params={"under": "NOWHERE"})
    assert r.status_code == 422 and r.json()["field"] == "under"
    r = client.get("/oversight/decisions", params={"group_by": "weather"})
    assert r.status_code == 422 and r.json()["field"] == "group_by"
