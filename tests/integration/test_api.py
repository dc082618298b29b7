"""The HTTP API in embedded mode on real PostgreSQL: status codes and problem details."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.bootstrap import Container, build
from tests.support import as_user, settings_for, wait_until

pytestmark = pytest.mark.postgres

ACTOR = as_user("reg.1", "registrar", "REG-AKM")
VALID = {
    "channel": "written",
    "office": "REG-AKM",
    "summary": "Complaint about an inquiry",
    "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    container = build(settings_for(database_url))
    container.start_feed()
    with TestClient(create_app(container), headers=as_user()) as c:
        yield c
    container.close()


def events_stored(client: TestClient) -> int:
    # From the store itself: /health's figure is a background sample, seconds old.
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    return container.service.recorder.max_notification_id() or 0


def is_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status and body["rule"] and body["detail"]
    return body


def test_receive_returns_201_id_and_position(client: TestClient) -> None:
    r = client.post("/appeals", json=VALID, headers=ACTOR)
    assert r.status_code == 201
    body = r.json()
    assert body["version"] == 1 and body["position"] >= 1
    assert r.headers["location"] == f"/appeals/{body['appeal_id']}"
    state = client.get(r.headers["location"]).json()
    assert state["summary"] == VALID["summary"] and state["received_by"] == "reg.1"


@pytest.mark.parametrize(
    ("payload", "field", "rule"),
    [
        ({**VALID, "channel": "telegram"}, "channel", "enum"),
        ({**VALID, "office": ""}, "office", "string_too_short"),
        ({k: v for k, v in VALID.items() if k != "summary"}, "summary", "missing"),
        ({**VALID, "status": "closed"}, "status", "extra_forbidden"),
    ],
)
def test_bad_input_names_field_and_rule_and_records_nothing(
    client: TestClient, payload: dict[str, str], field: str, rule: str
) -> None:
    body = is_problem(client.post("/appeals", json=payload, headers=ACTOR), 422)
    assert (body["field"], body["rule"]) == (field, rule)
    assert events_stored(client) == 0


def test_a_request_without_a_valid_token_is_refused(client: TestClient) -> None:
    for headers in (
        {"Authorization": ""},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": "Token abc"},
    ):
        body = is_problem(client.post("/appeals", json=VALID, headers=headers), 401)
        assert body["field"] == "Authorization"
    assert events_stored(client) == 0


def test_stale_if_match_is_409_and_changes_nothing(client: TestClient) -> None:
    appeal_id = client.post("/appeals", json=VALID, headers=ACTOR).json()["appeal_id"]
    assign = {"assignee": "p.1", "office": "REG-AKM"}
    ok = client.post(
        f"/appeals/{appeal_id}/assignment", json=assign, headers={**ACTOR, "If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"'
    stale = client.post(
        f"/appeals/{appeal_id}/assignment",
        json={"assignee": "p.2", "office": "REG-AKM"},
        headers={**ACTOR, "If-Match": '"1"'},
    )
    assert is_problem(stale, 409)["rule"] == "version-conflict"
    assert client.get(f"/appeals/{appeal_id}").json()["assignee"] == "p.1"
    again = client.post(f"/appeals/{appeal_id}/assignment", json=assign, headers=ACTOR)
    assert is_problem(again, 409)["rule"] == "already-assigned"


def test_unknown_appeal_is_404_problem(client: TestClient) -> None:
    is_problem(client.get(f"/appeals/{uuid4()}"), 404)
    is_problem(client.get(f"/appeals/{uuid4()}/history"), 404)
    is_problem(client.get("/appeals/not-a-uuid"), 422)


def test_history_follows_commands_in_embedded_mode(client: TestClient) -> None:
    appeal_id = client.post("/appeals", json=VALID, headers=ACTOR).json()["appeal_id"]
    client.post(
        f"/appeals/{appeal_id}/assignment",
        json={"assignee": "p.1", "office": "REG-AKM"},
        headers=ACTOR,
    )

    def two_events() -> list[dict[str, object]] | None:
        r = client.get(f"/appeals/{appeal_id}/history")
        events: list[dict[str, object]] = r.json().get("events", []) if r.status_code == 200 else []
        return events if len(events) == 2 else None

    events = wait_until(two_events, timeout=20, what="two history events")
    assert [e["version"] for e in events] == [1, 2]


def test_openapi_lists_the_operations(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/appeals",
        "/appeals/{appeal_id}/assignment",
        "/appeals/{appeal_id}/history",
        "/health",
    } <= set(paths)


def test_state_known_at_a_moment_and_as_of_a_legal_date(client: TestClient) -> None:
    from datetime import timedelta

    service = client.app.state.container.service  # type: ignore[attr-defined]
    clock = service.clock  # what dates the events
    before = clock() - timedelta(seconds=1)
    # Entered today, received ten days ago: in law it exists from its day of receipt.
    received_on = service.today() - timedelta(days=10)
    body = {**VALID, "received_on": received_on.isoformat()}
    appeal_id = client.post("/appeals", json=body, headers=ACTOR).json()["appeal_id"]
    between = clock()
    client.post(
        f"/appeals/{appeal_id}/assignment",
        json={"assignee": "p.1", "office": "REG-AKM"},
        headers=ACTOR,
    )
    url = f"/appeals/{appeal_id}"

    def state(**params: str) -> dict[str, Any]:
        r = client.get(url, params=params)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    then = state(known_at=between.isoformat())
    now = state()
    assert (then["version"], then["status"], then["assignee"]) == (1, "received", None)
    assert (now["version"], now["status"], now["assignee"]) == (2, "in_progress", "p.1")
    is_problem(client.get(url, params={"known_at": before.isoformat()}), 404)
    naive = client.get(url, params={"known_at": "2026-03-03T00:00:00"})
    assert is_problem(naive, 422)["field"] == "known_at"

    # By legal date: received ten days ago, assigned today.
    assert state(as_of=received_on.isoformat())["version"] == 1
    assert state(as_of=(service.today() - timedelta(days=1)).isoformat())["version"] == 1
    assert state(as_of=service.today().isoformat())["version"] == 2
    is_problem(
        client.get(url, params={"as_of": (received_on - timedelta(days=1)).isoformat()}), 404
    )
    # A legal date is a day: a moment is refused, not silently cut to its date.
    assert (
        is_problem(client.get(url, params={"as_of": "2026-03-03T10:00:00+05:00"}), 422)["field"]
        == "as_of"
    )

    # The history honours both, and shows each event's legal date beside its time.
    history = f"/appeals/{appeal_id}/history"
    wait_until(
        lambda: len(client.get(history).json().get("events", [])) == 2,
        timeout=20,
        what="the history of both events",
    )
    events = client.get(history).json()["events"]
    assert [e["effective_on"] for e in events] == [
        received_on.isoformat(),
        service.today().isoformat(),
    ]
    legal = client.get(history, params={"as_of": received_on.isoformat()}).json()["events"]
    assert [e["version"] for e in legal] == [1]
    known = client.get(history, params={"known_at": between.isoformat()}).json()["events"]
    assert [e["version"] for e in known] == [1]


def test_a_parameter_an_endpoint_does_not_take_is_refused_not_ignored(
    client: TestClient,
) -> None:
    appeal_id = client.post("/appeals", json=VALID, headers=ACTOR).json()["appeal_id"]
    for path, params in (
        (f"/appeals/{appeal_id}", {"asof": "2026-01-01"}),
        (f"/appeals/{appeal_id}/history", {"as_at": "2026-01-01"}),
        ("/appeals", {"as_of": "2026-01-01"}),
        ("/oversight/decisions", {"known_at": "2026-01-01T00:00:00+05:00"}),
    ):
        r = client.get(path, params=params)
        body = is_problem(r, 422)
        name = next(iter(params))
        assert (body["rule"], body["field"]) == ("unknown-parameter", name), body
        assert name in str(body["detail"])


def test_reading_personal_data_is_recorded_for_auditors(
    client: TestClient, database_url: str
) -> None:
    import psycopg

    appeal_id = client.post("/appeals", json=VALID, headers=ACTOR).json()["appeal_id"]
    viewer = as_user("pros.akm", role="prosecutor", office="REG-AKM")
    for _ in range(2):
        r = client.get(f"/appeals/{appeal_id}/applicant", headers=viewer)
        assert r.status_code == 200 and r.json()["iin"] == "791028302728"
    auditor = as_user("audit.1", role="auditor", office="GPO")
    views = client.get(f"/appeals/{appeal_id}/views", headers=auditor).json()
    assert [(v["viewer"], v["role"], v["office"]) for v in views] == [
        ("pros.akm", "prosecutor", "REG-AKM")
    ] * 2
    # An auditor reads history, not people; a prosecutor cannot list who looked.
    assert client.get(f"/appeals/{appeal_id}/applicant", headers=auditor).status_code == 403
    assert client.get(f"/appeals/{appeal_id}/views", headers=viewer).status_code == 403
    with psycopg.connect(database_url) as conn, pytest.raises(psycopg.errors.RaiseException):
        conn.execute("DELETE FROM personal_data_views")


def test_every_kind_of_applicant_is_received_identified(client: TestClient) -> None:
    from random import Random

    from domain.bin import generate_bin

    company_bin = generate_bin(Random(5), date(2015, 6, 1))
    applicants = [
        {
            "kind": "legal_entity",
            "bin": company_bin,
            "name": "Steppe Logistics LLP",
            "representative": {"name": "A. Sultanov", "position": "director"},
        },
        {
            "kind": "foreigner",
            "name": "Ivan Petrov",
            "document": {"type": "passport", "number": "75 1234567", "country": "RU"},
        },
        {
            "iin": "791028302728",
            "name": "Aigerim Nurlanovna",
            "representative": {"name": "Lawyer K.", "power_of_attorney": "No. 17"},
            "co_applicants": [
                {"iin": "061211600012", "name": "Second Resident"},
                {
                    "kind": "foreigner",
                    "name": "Stateless Person",
                    "document": {"type": "stateless_certificate", "number": "S-1", "country": "XX"},
                },
            ],
        },
    ]
    for applicant in applicants:
        r = client.post("/appeals", json={**VALID, "applicant": applicant}, headers=ACTOR)
        assert r.status_code == 201, r.text
        appeal_id = r.json()["appeal_id"]
        state = client.get(f"/appeals/{appeal_id}").json()
        assert state["anonymous"] is False and state["status"] == "received"
        person = client.get(f"/appeals/{appeal_id}/applicant", headers=ACTOR).json()
        assert person["kind"] == applicant.get("kind", "individual")
        assert person["name"] == applicant["name"]
        assert len(person["co_applicants"]) == len(applicant.get("co_applicants", []))
    wrong = {**applicants[0], "bin": company_bin[:11] + str((int(company_bin[11]) + 1) % 10)}
    r = client.post("/appeals", json={**VALID, "applicant": wrong}, headers=ACTOR)
    body = is_problem(r, 422)
    assert (body["rule"], body["field"]) == ("invalid-bin", "applicant.bin")
    no_rep = {k: v for k, v in applicants[0].items() if k != "representative"}
    r = client.post("/appeals", json={**VALID, "applicant": no_rep}, headers=ACTOR)
    assert is_problem(r, 422)["field"] == "applicant.representative"


def test_the_kind_and_the_language_of_an_appeal_are_recorded_and_published(
    client: TestClient,
) -> None:
    body = {**VALID, "kind": "complaint", "language": "kk"}
    appeal_id = client.post("/appeals", json=body, headers=ACTOR).json()["appeal_id"]
    state = client.get(f"/appeals/{appeal_id}").json()
    assert (state["kind"], state["language"]) == ("complaint", "kk")
    history = f"/appeals/{appeal_id}/history"
    wait_until(lambda: client.get(history).json().get("events"), timeout=20, what="history")
    data = client.get(history).json()["events"][0]["data"]
    assert (data["kind"], data["language"]) == ("complaint", "kk")
    for field, value in (("kind", "petition"), ("language", "en")):
        r = client.post("/appeals", json={**VALID, field: value}, headers=ACTOR)
        assert is_problem(r, 422)["field"] == field
