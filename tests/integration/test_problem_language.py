"""Problem details in the language the client reads (``Accept-Language``): the title
always, the detail where the catalogs have it (an untranslated detail stays English,
and ``Content-Language`` says so); the machine-readable parts never change."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.bootstrap import build
from tests.integration.appeal_api_helpers import REGION, appeal_body
from tests.support import as_user, settings_for

pytestmark = pytest.mark.postgres

REGISTRAR = as_user("reg.1", "registrar", REGION)
VALID = appeal_body()


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    container = build(settings_for(database_url))
    with TestClient(create_app(container)) as c:
        yield c
    container.close()


def test_an_invalid_request_is_explained_in_russian_and_kazakh(client: TestClient) -> None:
    missing = {k: v for k, v in VALID.items() if k != "summary"}
    answers = {}
    for lang in ("ru", "kk", "en"):
        r = client.post(
            "/appeals", json=missing, headers={**REGISTRAR, "Accept-Language": f"{lang}, en;q=0.1"}
        )
        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["content-language"] == lang
        body = r.json()
        # What programs read is the same in every language.
        assert (body["rule"], body["field"], body["type"]) == (
            "missing",
            "summary",
            "urn:appeals:problem:missing",
        )
        assert body["detail"].startswith("summary: ")
        answers[lang] = (body["title"], body["detail"], body["errors"][0]["message"])
    assert answers["ru"] == (
        "Неверные данные запроса",
        "summary: Обязательное поле",
        "Обязательное поле",
    )
    assert answers["kk"] == ("Сұрау деректері қате", "summary: Міндетті өріс", "Міндетті өріс")
    assert answers["en"][0] == "Invalid request"


def test_a_limit_in_the_message_is_filled_in(client: TestClient) -> None:
    long = {**VALID, "office": "X" * 500}
    r = client.post("/appeals", json=long, headers={**REGISTRAR, "Accept-Language": "ru"})
    body = r.json()
    assert r.status_code == 422 and body["rule"] == "string_too_long"
    assert "не длиннее" in body["detail"] and "{" not in body["detail"]


def test_without_accept_language_problems_are_in_english(client: TestClient) -> None:
    r = client.get(f"/appeals/{uuid4()}", headers=REGISTRAR)
    assert r.status_code == 404 and r.headers["content-language"] == "en"
    assert r.json()["title"] == "Not found"


def test_not_found_and_not_signed_in_in_kazakh(client: TestClient) -> None:
    r = client.get(f"/appeals/{uuid4()}", headers={**REGISTRAR, "Accept-Language": "kk-KZ"})
    assert r.status_code == 404 and r.json()["title"] == "Табылмады"
    r = client.get("/appeals", headers={"Accept-Language": "kk"})
    assert r.status_code == 401 and r.json()["title"] == "Жүйеге кірілмеген"
    assert r.headers["www-authenticate"] == "Bearer"


def test_a_rule_of_the_domain_is_explained_in_the_language_asked_for(
    client: TestClient,
) -> None:
    future = {**VALID, "received_on": "2999-01-01"}
    r = client.post("/appeals", json=future, headers={**REGISTRAR, "Accept-Language": "ru"})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["title"] == "Нарушено правило" and body["rule"] == "date-in-future"
    assert r.headers["content-language"] == "ru"
    assert body["detail"] == "received_on: дата не может быть в будущем."
    english = client.post("/appeals", json=future, headers=REGISTRAR)
    assert english.json()["detail"] == "received_on cannot be in the future."
