"""What a contract fuzzer found and should not find again: a 405's Allow names every
method of the path, days and moments are written as ISO text (never a bare number), and
the anonymous appeal's applicant is a documented 404."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.bootstrap import Container
from tests.support import as_user

pytestmark = pytest.mark.postgres


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), headers=as_user()) as c:
        yield c


def test_a_wrong_method_names_every_method_the_path_serves(client: TestClient) -> None:
    r = client.request("OPTIONS", "/offices/GPO/schedules")
    assert r.status_code == 405
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
    r = client.delete("/appeals")
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


@pytest.mark.parametrize(
    "url",
    [
        "/appeals?received_to=0",
        "/appeals?received_from=20260101",
        "/appeals?due_before=1.5",
        "/oversight/decisions?from=0",
    ],
)
def test_a_day_must_be_written_as_a_day(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422, r.text
    assert "YYYY-MM-DD" in r.text
    assert client.get(url.split("=")[0] + "=2026-01-01").status_code == 200


def test_a_received_on_given_as_a_number_is_refused(client: TestClient) -> None:
    body = {
        "channel": "written",
        "office": "REG-ALA",
        "summary": "Complaint",
        "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
        "received_on": 0,
    }
    r = client.post("/appeals", json=body, headers=as_user("reg", "registrar", "REG-ALA"))
    assert r.status_code == 422 and r.json()["field"] == "received_on", r.text


def test_the_anonymous_appeals_applicant_is_a_documented_404(client: TestClient) -> None:
    responses = client.get("/openapi.json").json()["paths"]["/appeals/{appeal_id}/applicant"]
    assert "404" in responses["get"]["responses"] and "410" in responses["get"]["responses"]
