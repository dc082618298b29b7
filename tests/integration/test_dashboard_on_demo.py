"""The overview on the demo data set, in each language: every figure links to the
appeals behind it (the register finds exactly that many), every panel says which
period and offices it shows, the overdue panel agrees with the register, and each
panel's export carries the rows the page shows."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api import i18n, l10n
from api.app import create_app
from domain.access import Role
from infra.bootstrap import Container, build
from infra.demo.generate import generate
from tests.support import evening_of, fresh_database, settings_for, wait_until

pytestmark = pytest.mark.postgres

GENERATED = date(2026, 3, 23)  # the demo ends on a Monday after Nauryz...
DAY = GENERATED + timedelta(days=20)  # ...and is looked at later: some appeals are overdue
PERIOD = {"from": "01.01.2026", "to": l10n.day(DAY)}
PANELS = ("refusals", "overdue", "reversals", "centres", "redirects")


@pytest.fixture(scope="module")
def demo(postgres_server: str, migrated_template: str) -> Iterator[Container]:
    with fresh_database(postgres_server, migrated_template) as url:
        settings = settings_for(url, deadline_check_seconds=3600)
        container = build(settings, evening_of(GENERATED))
        try:
            generate(container, today=GENERATED, scale=0.05, seed=5, progress=lambda *_: None)
            container.start_feed()
            head = container.service.recorder.max_notification_id() or 0
            feed = container.feed
            assert feed is not None
            wait_until(lambda: feed.position() >= head, timeout=120, what="the feed")
        finally:
            container.close()
        # The watcher that would deem the overdue ones refused is not running.
        later = build(settings, evening_of(DAY))
        try:
            yield later
        finally:
            later.close()


def supervisor(container: Container, lang: str) -> TestClient:
    token = container.tokens.mint(sub="sup.gpo", role=Role.SUPERVISOR, office="GPO")
    return TestClient(
        create_app(container),
        headers={"Authorization": f"Bearer {token}", "Accept-Language": lang},
    )


def linked_figures(html: str) -> list[tuple[int, str]]:
    """(figure, link) of every number on the page that links to the register."""
    found = []
    for value, href in re.findall(r'data-value="(\d+)"[^>]*>\s*<a href="(/ui/appeals[^"]*)"', html):
        found.append((int(value), unescape(href)))
    for href, value in re.findall(r'<a class="tile" href="([^"]+)"[^>]*data-value="(\d+)"', html):
        found.append((int(value), unescape(href)))
    for href, value in re.findall(r'<a href="([^"]+)" class="bar"[^>]*data-value="(\d+)"', html):
        found.append((int(value), unescape(href)))
    return found


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_figure_leads_to_exactly_the_appeals_it_counts(demo: Container, lang: str) -> None:
    client = supervisor(demo, lang)
    page = client.get("/ui/", params=PERIOD)
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    for name in PANELS:
        assert f"/ui/export/{name}.csv?" in page.text and f"/ui/export/{name}.xlsx?" in page.text
    for name in ("reversals", "centres", "redirects"):
        assert f'data-panel="{name}"' in page.text
        # Each panel says which offices and period it shows.
        section = page.text[page.text.index(f'data-panel="{name}"') :]
        caption = section[: section.index("</p>")]
        assert "01.01.2026" in caption and l10n.day(DAY) in caption
    figures = linked_figures(page.text)
    assert len(figures) > 20, "too few linked figures to be a test"
    assert any(value > 0 for value, _ in figures)
    for value, href in figures:
        listed = client.get(href)
        assert listed.status_code == 200, href
        total = int(re.search(r'data-total="(\d+)"', listed.text).group(1))  # type: ignore[union-attr]
        assert total == value, f"{href}: the page says {value}, the register lists {total}"


def test_the_overdue_panel_agrees_with_the_register(demo: Container) -> None:
    client = supervisor(demo, "ru")
    page = client.get("/ui/", params=PERIOD).text
    tile = int(re.search(r'data-tile="overdue_now" data-value="(\d+)"', page).group(1))  # type: ignore[union-attr]
    api = TestClient(create_app(demo), headers=dict(client.headers))
    register_total = api.get("/appeals", params={"overdue": "true", "limit": 1}).json()["total"]
    assert tile == register_total > 0
    section = page[page.index('data-chart="overdue"') :]
    bars = [
        int(v) for v in re.findall(r'data-value="(\d+)"', section[: section.index("</figure>")])
    ]
    assert sum(bars) == tile


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_an_export_carries_the_rows_of_the_page_in_its_language(demo: Container, lang: str) -> None:
    client = supervisor(demo, lang)
    page = client.get("/ui/", params=PERIOD).text
    for name in PANELS:
        as_csv = client.get(f"/ui/export/{name}.csv", params=PERIOD)
        assert as_csv.status_code == 200
        assert as_csv.headers["content-type"].startswith("text/csv")
        assert "attachment" in as_csv.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
        title, caption, header, body = rows[0], rows[1], rows[2], rows[3:]
        assert title[0] and l10n.day(DAY) in caption[0]
        as_xlsx = client.get(f"/ui/export/{name}.xlsx", params=PERIOD)
        assert as_xlsx.status_code == 200
        sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
        assert sheet is not None
        cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
        assert cells[2] == tuple(header) or list(cells[2]) == header
        assert len(cells) - 3 == len(body)
        # The same rows as the page, with words in the page's language.
        if body:
            assert body[0][0] in unescape(page)
            assert all(not re.fullmatch(r"[a-z_]+\.[a-z_.]+", h) for h in header)
        counts = [int(v) for row in body for v in row[1:] if v.isdigit()]
        assert all(v >= 0 for v in counts)
    missing = client.get("/ui/export/nothing.csv", params=PERIOD)
    assert missing.status_code == 404


def test_shares_stay_within_their_whole(demo: Container) -> None:
    client = supervisor(demo, "en")
    for name in ("reversals", "redirects"):
        body = list(
            csv.reader(
                io.StringIO(
                    client.get(f"/ui/export/{name}.csv", params=PERIOD).content.decode("utf-8-sig")
                )
            )
        )[3:]
        for row in body:
            whole, part = int(row[1]), int(row[2])
            assert 0 <= part <= whole
            share = row[3]
            if whole:
                assert 0.0 <= float(share.rstrip("%").replace(",", "")) <= 100.0
            else:
                assert share == "\u2013"


def test_the_period_given_is_the_period_shown(demo: Container) -> None:
    client = supervisor(demo, "en")
    start = DAY - timedelta(days=6)
    page = client.get("/ui/", params={"from": l10n.day(start), "to": l10n.day(DAY)}).text
    assert f'data-period="{start.isoformat()}/{DAY.isoformat()}"' in page
    # Recent appeals are those changed in the period, and say so.
    section = page[page.index('data-panel="recent"') :]
    assert l10n.day(start) in section[: section.index("</p>")]


def test_the_overdue_instructions_agree_with_the_read_model(demo: Container) -> None:
    client = supervisor(demo, "kk")
    page = client.get("/ui/instructions", params={"status": "overdue"}).text
    shown = re.findall(r'data-instruction="([^"]+)" data-status="\w+" data-overdue="(\d)"', page)
    api = client.get("/instructions", params={"limit": 1000}).json()["instructions"]
    overdue = {i["instruction_id"] for i in api if i["overdue"]}
    assert overdue, "the demo has overdue instructions"
    assert {i for i, flag in shown} == overdue
    assert all(flag == "1" for _, flag in shown)
