"""Rate limits on the real application and PostgreSQL (docs/security.md, "Rate limits"):
per caller and per address with 429 and Retry-After, a doubling wait after failed
sign-ins, and counts shared by every API process on the same database."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.bootstrap import Container
from tests.support import as_user

pytestmark = pytest.mark.postgres


def refused(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    body = response.json()
    assert body["rule"] == "rate-limited" and body["status"] == 429
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 15 * 60
    return retry_after


def test_a_caller_over_the_limit_waits_and_others_go_on(
    make_container: Callable[..., Container],
) -> None:
    container = make_container(rate_limit_per_caller=5, rate_limit_per_address=0)
    client = TestClient(create_app(container))
    busy, other = as_user("busy.1"), as_user("other.1")
    for _ in range(5):
        assert client.get("/offices", headers=busy).status_code == 200
    assert refused(client.get("/offices", headers=busy)) <= 60
    assert client.get("/offices", headers=other).status_code == 200
    # Probes are never limited.
    assert client.get("/health/live").status_code == 200


def test_the_counts_are_shared_by_every_api_process(
    make_container: Callable[..., Container],
) -> None:
    first = make_container(rate_limit_per_caller=0, rate_limit_per_address=4)
    second = make_container(rate_limit_per_caller=0, rate_limit_per_address=4)
    apps = [TestClient(create_app(c)) for c in (first, second)]
    for n in range(4):
        assert apps[n % 2].get("/offices", headers=as_user()).status_code == 200
    refused(apps[0].get("/offices", headers=as_user()))
    refused(apps[1].get("/offices", headers=as_user()))


def test_failed_sign_ins_make_the_address_wait_longer_each_time(
    make_container: Callable[..., Container],
) -> None:
    container = make_container(auth_failures_per_address=3)
    client = TestClient(create_app(container))
    forged = {"Authorization": "Bearer forged.token.here"}
    for _ in range(3):
        assert client.get("/appeals", headers=forged).status_code == 401
    waits = [refused(client.get("/appeals", headers=forged)) for _ in range(3)]
    assert waits == sorted(waits) and waits[0] < waits[-1]
    # The dashboard's sign-in is held back the same way.
    sign_in = client.post(
        "/ui/sign-in", data={"token": "x"}, headers={"Origin": "http://testserver"}
    )
    refused(sign_in)
    # A user with a valid token is not held back by others' failures at the address.
    assert client.get("/offices", headers=as_user()).status_code == 200
