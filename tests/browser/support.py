"""What the browser tests share: Debian's Chromium driven by Playwright, a real API
process (`python -m infra api`, embedded feed, no Kafka) on a database filled through
the services with a known data set, signing in, and axe-core's accessibility check."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright
from psycopg.conninfo import conninfo_to_dict

from domain.access import Role
from infra.adapters.settings import PROJECT_ROOT
from infra.bootstrap import Container, build
from tests.dashboard_scenario import Scenario, populate
from tests.e2e.processes import api_port, appeals_process, wait_for_api
from tests.support import settings_for, wait_until

CHROMIUM = Path(os.environ.get("APPEALS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = PROJECT_ROOT / ".data" / "dashboard-overview.png"
AXE = PROJECT_ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, fetched by `make browser` (npm, the version the Makefile pins)."""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@dataclass(frozen=True)
class Site:
    base: str
    container: Container
    data: Scenario

    def token(self, role: Role, office: str) -> str:
        return self.container.tokens.mint(
            sub=f"{role.value}.{office.lower()}", role=role, office=office
        )


def launch(p: Playwright) -> Browser:
    # Never `playwright install`: the system's Chromium is the browser under test.
    return p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def serve_site(database_url: str, scratch_root: Path) -> Iterator[Site]:
    name = str(conninfo_to_dict(database_url)["dbname"])
    port = api_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": "",  # embedded: the API feeds its projections itself
        "APPEALS_POLL_INTERVAL_SECONDS": "0.05",
        # The watcher would deem the overdue appeals refused; it runs once at start only.
        "APPEALS_DEADLINE_CHECK_SECONDS": "3600",
        "APPEALS_LOG_FORMAT": "console",
    }
    log = scratch_root / f"dashboard-{name}.log"
    container = build(settings_for(database_url))
    try:
        with appeals_process(["api", "--port", str(port)], env, log) as proc:
            wait_for_api(base, proc, log)
            data = populate(container)
            head = container.service.recorder.max_notification_id() or 0

            def fed() -> bool:
                report = httpx.get(f"{base}/health", timeout=5).json()
                return bool(report["projections"]["eventstore"]["position"] >= head)

            wait_until(fed, timeout=60, what="the API's projections to catch up")
            yield Site(base, container, data)
    finally:
        container.close()


def sign_in(page: Page, site: Site, role: Role, office: str, start: str = "/ui/") -> None:
    page.goto(site.base + start)
    assert "/ui/sign-in" in page.url  # not signed in yet: sent to the form
    page.fill("#token", site.token(role, office))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/ui/sign-in" not in page.url, page.inner_text("main")


def serious_violations(page: Page) -> list[str]:
    """axe-core's violations of impact serious or critical on the page as it stands
    (WCAG 2.1 A and AA, and axe's best practices), each as "rule (impact): targets"."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make browser` fetches axe-core.", pytrace=False)
    # Evaluated by the browser's devtools protocol, which the pages' CSP (no scripts at
    # all) does not govern; a <script> tag would be refused, as any other would.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): " + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
