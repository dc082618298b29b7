"""The dashboard's pages over HTTP (no browser): sign-in, scoping, drill-downs, errors.
The browser test (tests/browser) drives the same pages in Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from api import i18n
from api.app import create_app
from domain.access import Role
from infra.bootstrap import Container
from tests.dashboard_scenario import EXPECTED, Scenario, populate
from tests.support import wait_until

OWN = {"Origin": "http://testserver"}  # the service's own pages post from here

pytestmark = pytest.mark.postgres


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(feed=True)


@pytest.fixture
def scenario(container: Container) -> Scenario:
    data = populate(container)
    head = container.service.recorder.max_notification_id() or 0
    feed = container.feed
    assert feed is not None
    wait_until(lambda: feed.position() >= head, timeout=30, what="the feed to catch up")
    return data


def client_for(container: Container, role: Role, office: str, language: str = "en") -> TestClient:
    """Signed in; the assertions on words below are on the English catalog's."""
    client = TestClient(
        create_app(container), follow_redirects=False, headers={"Accept-Language": language}
    )
    token = container.tokens.mint(sub=f"{role.value}.{office.lower()}", role=role, office=office)
    r = client.post("/ui/sign-in", data={"token": token, "next": ""}, headers=OWN)
    assert r.status_code == 303, r.text
    return client


def values(html: str, attribute: str) -> dict[str, int]:
    """``data-<attribute>="key" data-value="n"`` pairs of a page."""
    pattern = rf'data-{attribute}="([^"]+)" data-value="(\d+)"'
    return {key: int(n) for key, n in re.findall(pattern, html)}


def chart(html: str, name: str) -> dict[str, int]:
    start = html.index(f'data-chart="{name}"')
    end = html.index("</figure>", start)
    return values(html[start:end], "key")


def test_sign_in_sets_a_strict_http_only_cookie(container: Container) -> None:
    client = TestClient(create_app(container), follow_redirects=False)
    r = client.get("/ui/appeals?status=refused")
    assert r.status_code == 303
    assert r.headers["location"] == "/ui/sign-in?next=%2Fui%2Fappeals%3Fstatus%3Drefused"
    form = client.get(r.headers["location"])
    assert form.status_code == 200 and 'name="token"' in form.text
    assert "default-src 'none'" in form.headers["content-security-policy"]

    refused = client.post(
        "/ui/sign-in", data={"token": "not-a-token", "next": "/ui/appeals"}, headers=OWN
    )
    # No Accept-Language and no choice made: the page speaks Kazakh.
    assert refused.status_code == 401 and "Токен қабылданбады" in refused.text
    assert '<html lang="kk">' in refused.text

    token = container.tokens.mint(sub="sup.1", role=Role.SUPERVISOR, office="REG-ALA")
    r = client.post(
        "/ui/sign-in", data={"token": token, "next": "/ui/appeals?status=refused"}, headers=OWN
    )
    assert r.status_code == 303 and r.headers["location"] == "/ui/appeals?status=refused"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("appeals_token=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert client.get("/ui/appeals").status_code == 200
    # Only local targets are followed after sign-in.
    r = client.post("/ui/sign-in", data={"token": token, "next": "//evil.example/ui/"}, headers=OWN)
    assert r.headers["location"] == "/ui/"

    out = client.post("/ui/sign-out", headers=OWN)
    assert out.status_code == 303 and 'appeals_token=""' in out.headers["set-cookie"]
    client.cookies.clear()
    assert client.get("/ui/").status_code == 303


def test_overview_counts_and_links(container: Container, scenario: Scenario) -> None:
    for office, role in (("GPO", Role.SUPERVISOR), ("REG-ALA", Role.SUPERVISOR)):
        client = client_for(container, role, office)
        html = client.get("/ui/").text
        expected = EXPECTED[office]
        assert values(html, "tile") == expected["tiles"]
        for name in ("refusals", "overdue", "overturned"):
            assert chart(html, name) == expected[name], name

    # REG-ALA's supervisor: each number's link lists as many appeals as it counts.
    client = client_for(container, Role.SUPERVISOR, "REG-ALA")
    html = client.get("/ui/").text
    links = re.findall(r'<a class="tile" href="([^"]+)" data-tile="(\w+)" data-value="(\d+)"', html)
    links += re.findall(
        r'<a href="([^"]+)" class="bar" data-key="([^"]+)" data-value="(\d+)"', html
    )
    assert len(links) == 6 + 4
    for href, key, n in links:
        page = client.get(href.replace("&amp;", "&")).text
        total = int(re.search(r'data-total="(\d+)"', page).group(1))  # type: ignore[union-attr]
        if key == "received":
            continue  # received counts the period; the others are checked one to one
        assert total == int(n), (key, href)
    # The register link of a ground lists exactly the appeals refused on it.
    refused = client.get(
        "/ui/appeals",
        params={"event": "refused", "ground": "arguments_not_confirmed", "under": "REG-ALA"},
    ).text
    assert set(re.findall(r'<tr data-appeal="([^"]+)"', refused)) == {
        str(scenario.medeu_overturned),
        str(scenario.auezov_refused),
    }
    # Outside the user's scope: an office is 404.
    assert client.get("/ui/", params={"office": "REG-AST"}).status_code == 404
    assert client.get("/ui/", params={"from": "2026-13-01"}).status_code == 400


def test_register_scope_filters_and_paging(container: Container, scenario: Scenario) -> None:
    gpo = client_for(container, Role.AUDITOR, "GPO")
    almaty = client_for(container, Role.SUPERVISOR, "REG-ALA")

    def ids(client: TestClient, **params: str) -> set[str]:
        r = client.get("/ui/appeals", params=params)
        assert r.status_code == 200, r.text
        return set(re.findall(r'<tr data-appeal="([^"]+)"', r.text))

    assert ids(gpo) == {str(i) for i in scenario.almaty + scenario.astana}
    assert ids(almaty) == {str(i) for i in scenario.almaty}
    assert ids(almaty, region="REG-ALA", overdue="1") == {
        str(scenario.almaty_overdue),
        str(scenario.almaly_overdue),
    }
    assert ids(almaty, status="refused", office="DIS-ALA-MEDEU") == {
        str(scenario.medeu_overturned),
        str(scenario.medeu_refused),
    }
    today = container.service.today()
    assert ids(
        almaty,
        received_from=(today - timedelta(days=36)).isoformat(),
        received_to=(today - timedelta(days=30)).isoformat(),
    ) == {str(scenario.almaly_overdue)}
    assert ids(gpo, channel="personal_reception") == set()
    assert almaty.get("/ui/appeals", params={"office": "REG-AST"}).status_code == 404
    assert almaty.get("/ui/appeals", params={"region": "REG-AST"}).status_code == 400
    # A control character in a free-text filter is a page that names it, never a 500.
    for name in ("office", "ground", "under"):
        bad = almaty.get("/ui/appeals", params={name: "DIS\u0000x", "event": "refused"})
        assert bad.status_code == 400 and "\\x00" in bad.text, name
    # Paging: 6 appeals, 4 a page.
    first = almaty.get("/ui/appeals", params={"size": "4"}).text
    assert i18n.t("register.count", "en", first=1, last=4, total=6) in first
    assert 'rel="next"' in first
    second = almaty.get("/ui/appeals", params={"size": "4", "page": "2"}).text
    assert i18n.t("register.count", "en", first=5, last=6, total=6) in second
    assert 'rel="prev"' in second
    assert ids(almaty, size="4") | ids(almaty, size="4", page="2") == ids(almaty)


def test_timeline_in_words_and_scoped(container: Container, scenario: Scenario) -> None:
    almaty = client_for(container, Role.SUPERVISOR, "REG-ALA")
    r = almaty.get(f"/ui/appeals/{scenario.medeu_overturned}")
    assert r.status_code == 200
    assert re.findall(r'<li data-event="([^"]+)"', r.text) == [
        "appeals.appeal.received",
        "appeals.appeal.assigned",
        "appeals.appeal.applicant_heard",
        "appeals.appeal.decided",
        "appeals.appeal.decision_reviewed",
    ]
    for words in (
        "Appeal received",
        "Assigned",
        "Applicant heard",
        "Decided",
        "Decision reviewed by a higher office",
    ):
        assert f'<strong class="type">{words}</strong>' in r.text
    assert "by sup.almaty" in r.text and "Arguments not confirmed" in r.text
    assert "Overturned (found unlawful)" in r.text
    assert almaty.get(f"/ui/appeals/{scenario.astana_refused}").status_code == 404
    assert almaty.get("/ui/appeals/not-a-uuid").status_code == 404
    gpo = client_for(container, Role.AUDITOR, "GPO")
    assert gpo.get(f"/ui/appeals/{scenario.astana_refused}").status_code == 200


def test_the_timeline_shows_reasons_only_to_those_the_law_lets_read_them(
    container: Container, scenario: Scenario
) -> None:
    # REG-ALA's head reviewed the Medeu decision: the decision's and the review's reasons.
    almaty = client_for(container, Role.SUPERVISOR, "REG-ALA")
    page = almaty.get(f"/ui/appeals/{scenario.medeu_overturned}").text
    reasons = re.findall(
        r"<blockquote class=\"reasons\" data-reasons>.*?<p>(.*?)</p>\s*</blockquote>", page, re.S
    )
    assert reasons == ["r", "Evidence ignored"]
    assert "data-reasons-restricted" not in page
    views = container.audit.views(scenario.medeu_overturned)
    assert any(v["what"] == "reasons" and v["viewer"] == "supervisor.reg-ala" for v in views)

    # An auditor at the GPO reads the appeal's history, not its reasons, and is told why.
    auditor = client_for(container, Role.AUDITOR, "GPO")
    page = auditor.get(f"/ui/appeals/{scenario.medeu_overturned}").text
    assert "data-reasons>" not in page and "Evidence ignored" not in page
    assert "data-reasons-restricted" in page
    # So is a supervisor of an office with no part in it.
    astana = client_for(container, Role.SUPERVISOR, "GPO")
    page = astana.get(f"/ui/appeals/{scenario.auezov_refused}").text
    assert "data-reasons>" not in page


def test_instruction_inbox_of_a_region(container: Container, scenario: Scenario) -> None:
    almaty = client_for(container, Role.REGIONAL_OFFICE, "REG-ALA")
    # A regional office may not read appeals: it starts at its inbox.
    assert almaty.get("/ui/").headers["location"] == "/ui/instructions"
    assert almaty.get("/ui/appeals").status_code == 403
    html = almaty.get("/ui/instructions").text
    rows = dict(
        re.findall(r'data-instruction="([^"]+)" data-status="\w+" data-overdue="(\d)"', html)
    )
    assert rows == {str(scenario.instruction_open): "0", str(scenario.instruction_overdue): "1"}
    assert "Check the Medeu refusals" in html and "Astana only" not in html
    overdue = almaty.get("/ui/instructions", params={"status": "overdue"}).text
    assert re.findall(r'data-instruction="([^"]+)"', overdue) == [str(scenario.instruction_overdue)]
    medeu = client_for(container, Role.PROSECUTOR, "DIS-ALA-MEDEU")
    html = medeu.get("/ui/instructions").text
    assert re.findall(r'data-instruction="([^"]+)"', html) == [str(scenario.instruction_overdue)]
    admin = client_for(container, Role.ADMINISTRATOR, "GPO")
    assert admin.get("/ui/").status_code == 403


def test_pages_speak_the_chosen_language_with_its_dates_and_numbers(
    container: Container, scenario: Scenario
) -> None:
    client = client_for(container, Role.SUPERVISOR, "GPO", language="ru")
    page = client.get("/ui/appeals?status=refused")
    assert page.status_code == 200 and '<html lang="ru">' in page.text
    assert i18n.t("register.title", "ru") in page.text
    assert i18n.t("status.refused", "ru") in page.text
    received = re.findall(r"<td>(\d{2}\.\d{2}\.\d{4})</td>", page.text)
    assert received, "no dd.mm.yyyy day in the register"
    assert not re.search(r">\d{4}-\d{2}-\d{2}<", page.text), "an ISO date is shown"

    # The switch remembers the choice over the browser's language.
    switched = client.get("/ui/language/kk", params={"next": "/ui/appeals?status=refused"})
    assert switched.status_code == 303
    assert switched.headers["location"] == "/ui/appeals?status=refused"
    assert "appeals_lang=kk" in switched.headers["set-cookie"]
    page = client.get("/ui/appeals?status=refused")
    assert '<html lang="kk">' in page.text and i18n.t("register.title", "kk") in page.text

    # A day typed as dd.mm.yyyy filters as the same day given in ISO form does.
    typed = client.get("/ui/appeals", params={"received_from": "01.01.2000"})
    iso = client.get("/ui/appeals", params={"received_from": "2000-01-01"})
    assert typed.status_code == iso.status_code == 200
    total = re.compile(r'data-total="(\d+)"')
    assert total.findall(typed.text) == total.findall(iso.text) != ["0"]
    bad = client.get("/ui/appeals", params={"received_from": "31.02.2026"})
    assert bad.status_code == 400 and "31.02.2026" in bad.text

    # Only our own pages are gone back to, and an unknown language changes nothing.
    away = client.get("/ui/language/ru", params={"next": "https://evil.example/"})
    assert away.headers["location"] == "/ui/"
    unknown = client.get("/ui/language/xx", params={"next": "/ui/appeals"})
    assert "set-cookie" not in unknown.headers
