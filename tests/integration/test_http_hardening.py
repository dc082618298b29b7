"""HTTP hardening on the real application (docs/security.md, "HTTP"): no caching and no
sniffing of any response, HSTS over https through a trusted proxy only, and no
state-changing request a foreign page could make a browser send."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.access import Principal, Role
from infra.bootstrap import Container
from tests.support import as_user, new_appeal

pytestmark = pytest.mark.postgres

VALID = {
    "channel": "written",
    "office": "REG-ALA",
    "summary": "Complaint about an inquiry",
    "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
}


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(trusted_proxies=["10.0.0.5"])


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), follow_redirects=False) as c:
        yield c


def test_no_response_is_cached_or_sniffed_and_none_names_the_server(
    client: TestClient, container: Container
) -> None:
    registrar = Principal(sub="reg.1", role=Role.REGISTRAR, office="REG-ALA")
    appeal_id = container.service.bus.send(new_appeal(), registrar).appeal_id
    for url, headers in (
        (f"/appeals/{appeal_id}/applicant", as_user("sup", "supervisor", "REG-ALA")),
        ("/offices", as_user()),
        ("/appeals/not-an-id", as_user()),
        ("/appeals", {}),
        ("/ui/sign-in", {}),
        ("/health", {}),
    ):
        r = client.get(url, headers=headers)
        assert r.headers["cache-control"] == "no-store", url
        assert r.headers["x-content-type-options"] == "nosniff", url
        assert "server" not in r.headers, url
        assert "strict-transport-security" not in r.headers, url


def test_hsts_only_over_https_through_a_trusted_proxy(container: Container) -> None:
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    trusted = TestClient(create_app(container), client=("10.0.0.5", 40000))
    assert "max-age=" in trusted.get("/health", headers=https).headers["strict-transport-security"]
    assert "strict-transport-security" not in trusted.get("/health").headers
    stranger = TestClient(create_app(container), client=("203.0.113.9", 40000))
    assert "strict-transport-security" not in stranger.get("/health", headers=https).headers


def test_cookie_authenticated_writes_and_sign_in_need_the_services_own_origin(
    client: TestClient, container: Container
) -> None:
    token = container.tokens.mint(sub="reg.1", role=Role.REGISTRAR, office="REG-ALA")
    before = container.service.recorder.max_notification_id()
    client.cookies.set("appeals_token", token)
    for origin in ({}, {"Origin": "https://evil.example"}, {"Referer": "http://evil.example/x"}):
        r = client.post("/appeals", json=VALID, headers=origin)
        assert r.status_code == 403 and r.json()["rule"] == "origin-mismatch", (origin, r.text)
    assert container.service.recorder.max_notification_id() == before
    own = client.post("/appeals", json=VALID, headers={"Origin": "http://testserver"})
    assert own.status_code == 201, own.text
    # A bearer token is not sent by a browser on its own: no origin is asked of it.
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.post("/appeals", json=VALID, headers=bearer).status_code in (200, 201)
    # Login CSRF: a foreign page cannot sign a browser in.
    form = {"token": token, "next": ""}
    foreign = client.post("/ui/sign-in", data=form, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403 and "set-cookie" not in foreign.headers
    assert (
        client.post("/ui/sign-in", data=form, headers={"Origin": "http://testserver"}).status_code
        == 303
    )


def test_the_api_docs_are_served_from_installed_assets_under_a_strict_csp(
    client: TestClient,
) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    # Every script and stylesheet is the service's own.
    assert all(url.startswith("/") for url in re.findall(r'(?:src|href)="([^"]+)"', page.text))
    for asset in (
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
        "/docs/init.js",
    ):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404


def test_the_session_cookie_is_secure_over_https_through_a_trusted_proxy(
    container: Container,
) -> None:
    token = container.tokens.mint(sub="sup.1", role=Role.SUPERVISOR, office="REG-ALA")
    form = {"token": token, "next": ""}
    trusted = TestClient(create_app(container), client=("10.0.0.5", 40000), follow_redirects=False)
    over_https = trusted.post(
        "/ui/sign-in",
        data=form,
        headers={"X-Forwarded-Proto": "https", "Origin": "https://testserver"},
    )
    assert over_https.status_code == 303, over_https.text
    assert "Secure" in over_https.headers["set-cookie"]
    plain = trusted.post("/ui/sign-in", data=form, headers={"Origin": "http://testserver"})
    assert plain.status_code == 303 and "Secure" not in plain.headers["set-cookie"]
