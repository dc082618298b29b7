"""The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright,
against the real API process (`python -m infra api`, embedded feed, no Kafka) on a
database filled through the services with a known data set."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from domain.access import Role
from tests.browser.support import SCREENSHOT, Site, sign_in
from tests.dashboard_scenario import EXPECTED

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def chart(page: Page, name: str) -> dict[str, int]:
    """A chart's bars as the reader sees them: label text -> number text; and the same
    by data attributes (code -> value), which must agree."""
    bars = page.locator(f'[data-chart="{name}"] a.bar')
    by_code = {}
    for i in range(bars.count()):
        bar = bars.nth(i)
        value = int(bar.locator("text.bar-value").text_content() or "")
        assert value == int(bar.get_attribute("data-value") or "")
        assert bar.locator("text.bar-label").text_content()
        by_code[bar.get_attribute("data-key") or ""] = value
    return by_code


def tiles(page: Page) -> dict[str, int]:
    out = {}
    for tile in page.locator("a.tile").all():
        out[tile.get_attribute("data-tile") or ""] = int(tile.locator(".number").inner_text())
    return out


def appeal_ids(page: Page) -> set[str]:
    rows = page.locator('table[data-table="appeals"] tbody tr')
    return {rows.nth(i).get_attribute("data-appeal") or "" for i in range(rows.count())}


def test_overview_shows_the_data_of_the_whole_service(page: Page, site: Site) -> None:
    sign_in(page, site, Role.SUPERVISOR, "GPO")
    assert page.url == site.base + "/ui/"
    assert page.inner_text("h1") == "Oversight overview"
    expected = EXPECTED["GPO"]
    assert tiles(page) == expected["tiles"]
    for name in ("refusals", "overdue", "overturned"):
        assert chart(page, name) == expected[name], name
    # The bars are labelled in words.
    refusals = page.locator('[data-chart="refusals"]').inner_text()
    assert "Arguments not confirmed" in refusals and "Contested decision lawful" in refusals
    recent = appeal_ids(page)
    assert recent == {str(i) for i in site.data.almaty + site.data.astana}
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_from_the_overview_to_an_appeals_timeline(page: Page, site: Site) -> None:
    sign_in(page, site, Role.SUPERVISOR, "REG-ALA")
    expected = EXPECTED["REG-ALA"]
    assert tiles(page) == expected["tiles"]
    for name in ("refusals", "overdue", "overturned"):
        assert chart(page, name) == expected[name], name

    # The bar of the office whose decision was found unlawful leads to that appeal...
    page.click('[data-chart="overturned"] a.bar[data-key="DIS-ALA-MEDEU"]')
    page.wait_for_load_state()
    assert "/ui/appeals?" in page.url
    assert page.locator("[data-chip]").count() == 1
    assert appeal_ids(page) == {str(site.data.medeu_overturned)}
    # ...and the appeal to its timeline.
    page.click(f'tr[data-appeal="{site.data.medeu_overturned}"] a')
    page.wait_for_load_state()
    assert page.url == f"{site.base}/ui/appeals/{site.data.medeu_overturned}"
    events = page.locator("ol.timeline li")
    assert [events.nth(i).get_attribute("data-event") for i in range(events.count())] == [
        "appeals.appeal.received",
        "appeals.appeal.assigned",
        "appeals.appeal.applicant_heard",
        "appeals.appeal.decided",
        "appeals.appeal.decision_reviewed",
    ]
    assert [events.nth(i).locator(".type").inner_text() for i in range(5)] == [
        "Appeal received",
        "Assigned",
        "Applicant heard",
        "Decided",
        "Decision reviewed by a higher office",
    ]
    actors = [events.nth(i).locator("[data-actor]").inner_text() for i in range(5)]
    assert actors == ["by reg.1", "by head.1", "by p.medeu", "by p.medeu", "by sup.almaty"]
    offices = [events.nth(i).locator("[data-office]").inner_text() for i in range(5)]
    # The review is recorded by the reviewing office.
    assert offices == ["office DIS-ALA-MEDEU"] * 4 + ["office REG-ALA"]
    # Day and time in Astana, as its users write them: dd.mm.yyyy hh:mm.
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", events.nth(0).locator("time").inner_text())
    decided = events.nth(3).inner_text()
    assert "Refused" in decided and "Arguments not confirmed" in decided
    assert "Overturned (found unlawful)" in events.nth(4).inner_text()
    assert page.inner_text('[data-field="status"]') == "Refused"

    # A recent appeal on the overview links straight to its timeline too.
    page.click('[data-nav="overview"]')
    page.wait_for_load_state()
    page.click(f'tr[data-appeal="{site.data.almaty_overdue}"] a')
    page.wait_for_load_state()
    assert page.url.endswith(f"/ui/appeals/{site.data.almaty_overdue}")
    assert page.locator("ol.timeline li").count() == 2
    assert page.locator("[data-overdue]").count() == 1


def test_register_filters_and_paging(page: Page, site: Site) -> None:
    sign_in(page, site, Role.SUPERVISOR, "REG-ALA", start="/ui/appeals")
    assert page.url == site.base + "/ui/appeals"
    almaty = {str(i) for i in site.data.almaty}
    assert appeal_ids(page) == almaty
    page.select_option('select[name="region"]', "REG-ALA")
    page.check('input[name="overdue"]')
    page.click('form.filters button[type="submit"]')
    page.wait_for_load_state()
    assert appeal_ids(page) == {str(site.data.almaty_overdue), str(site.data.almaly_overdue)}
    assert page.locator("[data-overdue]").count() == 2

    page.click("text=Clear filters")
    page.select_option('select[name="status"]', "refused")
    page.select_option('select[name="office"]', "DIS-ALA-MEDEU")
    page.click('form.filters button[type="submit"]')
    page.wait_for_load_state()
    assert appeal_ids(page) == {str(site.data.medeu_overturned), str(site.data.medeu_refused)}

    page.goto(site.base + "/ui/appeals?size=4")
    first = appeal_ids(page)
    assert len(first) == 4 and page.inner_text("p.count") == "1–4 of 6 appeals"  # noqa: RUF001
    page.click("a[rel=next]")
    page.wait_for_load_state()
    assert page.inner_text("p.count") == "5–6 of 6 appeals"  # noqa: RUF001
    assert first | appeal_ids(page) == almaty


def test_instruction_inbox(page: Page, site: Site) -> None:
    sign_in(page, site, Role.SUPERVISOR, "REG-ALA", start="/ui/instructions")
    rows = page.locator('table[data-table="instructions"] tbody tr')
    assert rows.count() == 2
    by_id = {
        rows.nth(i).get_attribute("data-instruction"): rows.nth(i) for i in range(rows.count())
    }
    overdue = by_id[str(site.data.instruction_overdue)]
    assert overdue.get_attribute("data-overdue") == "1" and "overdue" in overdue.inner_text()
    assert "DIS-ALA-MEDEU" in overdue.inner_text()
    fresh = by_id[str(site.data.instruction_open)]
    assert fresh.get_attribute("data-overdue") == "0"
    assert "Check the Medeu refusals" in fresh.inner_text() and "Issued" in fresh.inner_text()
    assert "Astana only" not in page.inner_text("main")


def test_a_supervisor_sees_only_their_region(page: Page, site: Site) -> None:
    sign_in(page, site, Role.SUPERVISOR, "REG-ALA")
    options = page.locator('select[name="office"] option').all_inner_texts()
    assert any(o.startswith("REG-ALA") for o in options)
    assert not any(o.startswith("REG-AST") or o.startswith("GPO") for o in options)
    response = page.goto(f"{site.base}/ui/appeals/{site.data.astana_refused}")
    assert response is not None and response.status == 404
    assert "outside your office's scope" in page.inner_text("main")
    response = page.goto(f"{site.base}/ui/?office=REG-AST")
    assert response is not None and response.status == 404
    page.goto(f"{site.base}/ui/appeals")
    assert not appeal_ids(page) & {str(i) for i in site.data.astana}

    # Signing out ends the session: pages send the user back to the form.
    page.click("text=Sign out")
    page.wait_for_load_state()
    assert "/ui/sign-in" in page.url and "You have signed out." in page.inner_text("main")
    page.goto(f"{site.base}/ui/appeals")
    assert "/ui/sign-in" in page.url


def test_a_bad_token_is_refused_on_the_form(page: Page, site: Site) -> None:
    page.goto(site.base + "/ui/sign-in")
    page.fill("#token", "not.a.token")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "The token was refused" in page.inner_text("[role=alert]")
    assert page.context.cookies() == []
