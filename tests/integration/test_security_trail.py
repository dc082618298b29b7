"""The security trail on the real application (docs/security.md, "Trail"): a line per
request with its id, route, status, duration and caller, never the query or the body, and
a counted event for failed authentication, forbidden attempts and personal-data reads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from fastapi.testclient import TestClient
from structlog.testing import capture_logs

from api.app import create_app
from domain.access import Principal, Role
from infra.bootstrap import Container
from infra.observability.logging import configure_logging
from tests.support import as_user, new_appeal

pytestmark = pytest.mark.postgres


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    configure_logging("console", "INFO")  # the suite runs at WARNING; the trail is INFO
    try:
        with TestClient(create_app(container)) as c:
            yield c
    finally:
        configure_logging("console", "WARNING")


def counted(client: TestClient, kind: str) -> float:
    text = client.get("/metrics").text
    found = re.search(rf'appeals_security_events_total{{kind="{kind}"}} ([0-9.e+]+)', text)
    return float(found.group(1)) if found else 0.0


def lines(run: Any) -> list[dict[str, Any]]:
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as captured:
        run()
    return captured


def test_each_request_is_one_line_with_its_id_and_caller_never_its_data(
    client: TestClient,
) -> None:
    supervisor = as_user("sup.ala", "supervisor", "REG-ALA", **{"X-Request-ID": "trail-1"})
    logged = lines(lambda: client.get("/appeals?assignee=Aigerim", headers=supervisor))
    [line] = [line for line in logged if line["event"] == "http.request"]
    assert line["request_id"] == "trail-1"
    assert (line["method"], line["route"], line["status"]) == ("GET", "/appeals", 200)
    assert (line["sub"], line["role"], line["office"]) == ("sup.ala", "supervisor", "REG-ALA")
    assert line["duration_ms"] >= 0
    assert "Aigerim" not in repr(logged)


def test_security_events_are_logged_and_counted(client: TestClient, container: Container) -> None:
    registrar = Principal(sub="reg.1", role=Role.REGISTRAR, office="REG-ALA")
    appeal_id = container.service.bus.send(new_appeal(), registrar).appeal_id
    cases = [
        ("authentication_failed", "/appeals", {"Authorization": "Bearer forged.token.here"}),
        ("forbidden", "/oversight/decisions", as_user("reg.1", "registrar", "REG-ALA")),
        (
            "personal_data_read",
            f"/appeals/{appeal_id}/applicant",
            as_user("sup.ala", "supervisor", "REG-ALA"),
        ),
    ]
    for kind, url, headers in cases:
        before = counted(client, kind)
        logged = lines(lambda url=url, headers=headers: client.get(url, headers=headers))
        events = [line for line in logged if line["event"] == f"security.{kind}"]
        assert len(events) == 1, (kind, logged)
        assert events[0]["request_id"] and events[0]["route"].startswith("/")
        assert counted(client, kind) == before + 1, kind
    # A forged cross-site write is a forbidden attempt too.
    client.cookies.set("appeals_token", "anything")
    logged = lines(lambda: client.post("/appeals", json={}, headers={"Origin": "https://x.test"}))
    assert [line["rule"] for line in logged if line["event"] == "security.forbidden"] == [
        "origin-mismatch"
    ]
