"""The browser tests' fixtures: one Chromium and one served site per module, a fresh
browser context per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.support import CHROMIUM, Site, launch, serve_site
from tests.support import fresh_database


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(`make browser` installs it as root: apt-get install chromium).",
            pytrace=False,
        )
    with sync_playwright() as p:
        yield launch(p)


@pytest.fixture(scope="module")
def site(postgres_server: str, migrated_template: str, scratch_root: Path) -> Iterator[Site]:
    with fresh_database(postgres_server, migrated_template) as database_url:
        yield from serve_site(database_url, scratch_root)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
