"""The dashboard in Chromium in each of its languages: switch to it, sign in, choose a
period, follow a figure to the appeals behind it and on to an appeal's timeline,
download a table; and axe-core finds no serious or critical accessibility violation
on any page, in any language."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page

from api import i18n, l10n
from domain.access import Role
from infra.adapters.settings import PROJECT_ROOT
from tests.browser.support import Site, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

SHOTS = PROJECT_ROOT / ".data" / "screenshots"


def choose_language(page: Page, lang: str) -> None:
    page.click(f'nav.languages a[data-lang="{lang}"]')
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == lang


def sign_in_here(page: Page, site: Site, role: Role, office: str) -> None:
    page.fill("#token", site.token(role, office))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/ui/sign-in" not in page.url, page.inner_text("main")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_from_a_figure_to_a_timeline_in_each_language(page: Page, site: Site, lang: str) -> None:
    # The browser asks for English; the switch on the sign-in form is the user's choice.
    page.goto(site.base + "/ui/")
    assert "/ui/sign-in" in page.url
    choose_language(page, lang)
    assert i18n.t("sign_in.title", lang) in page.inner_text("h1")
    sign_in_here(page, site, Role.SUPERVISOR, "GPO")
    assert page.get_attribute("html", "lang") == lang  # remembered across pages
    assert i18n.t("overview.title", lang) in page.inner_text("h1")

    # Choose a period, typed as its users write dates.
    today = site.container.service.today()
    start = today - timedelta(days=45)
    page.fill('input[name="from"]', l10n.day(start))
    page.fill('input[name="to"]', l10n.day(today))
    page.click("main form.filters button[type=submit]")
    page.wait_for_load_state()
    lead = page.locator("p.lead")
    assert lead.get_attribute("data-period") == f"{start.isoformat()}/{today.isoformat()}"
    assert l10n.day(start) in lead.inner_text() and l10n.day(today) in lead.inner_text()

    # Follow a figure: the register lists exactly as many appeals as it said.
    tile = page.locator('a.tile[data-tile="refused"]')
    refused = int(tile.get_attribute("data-value") or "0")
    assert refused > 0
    tile.click()
    page.wait_for_load_state()
    assert "/ui/appeals" in page.url
    assert int(page.locator("[data-total]").first.get_attribute("data-total") or "") == refused
    assert i18n.t("status.refused", lang) in page.inner_text("main")
    days = page.locator('table[data-table="appeals"] tbody tr td:nth-child(2)').all_inner_texts()
    assert days and all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", d) for d in days)

    # ...and on to an appeal's timeline, in the same language.
    page.locator('table[data-table="appeals"] tbody a').first.click()
    page.wait_for_load_state()
    assert "/ui/appeals/" in page.url
    assert i18n.t("event.appeals.appeal.received", lang) in page.inner_text("ol.timeline")

    # Download a table of the overview, in the same language.
    page.go_back()
    page.go_back()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.click('[data-panel="reversals"] a[data-export="csv"]')
    path = download.value.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == [i18n.t("panel.reversals", lang)]
    assert rows[2][1] == i18n.t("panel.reviewed", lang)
    assert len(rows) > 3
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"overview-{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_serious_accessibility_violation_on_any_page(page: Page, site: Site, lang: str) -> None:
    page.context.add_cookies([{"name": "appeals_lang", "value": lang, "url": site.base}])
    page.goto(site.base + "/ui/sign-in")
    found = {"sign-in": serious_violations(page)}
    sign_in_here(page, site, Role.SUPERVISOR, "REG-ALA")
    pages = {
        "overview": "/ui/",
        "register": "/ui/appeals",
        "timeline": f"/ui/appeals/{site.data.medeu_overturned}",
        "instructions": "/ui/instructions",
        "not found": "/ui/appeals/00000000-0000-0000-0000-000000000000",
    }
    for name, path in pages.items():
        page.goto(site.base + path)
        assert page.get_attribute("html", "lang") == lang
        found[name] = serious_violations(page)
    assert not any(found.values()), {k: v for k, v in found.items() if v}


def test_the_overview_works_from_the_keyboard(page: Page, site: Site) -> None:
    page.context.add_cookies([{"name": "appeals_lang", "value": "ru", "url": site.base}])
    page.goto(site.base + "/ui/sign-in")
    sign_in_here(page, site, Role.SUPERVISOR, "GPO")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("document.activeElement.innerText") == i18n.t("nav.skip", "ru")
    page.keyboard.press("Enter")  # past the header, to the page's content
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('tile')"):
            break
    else:
        pytest.fail("no figure of the overview is reached with the Tab key")
    # The focused control shows it has the focus.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/ui/appeals" in page.url
