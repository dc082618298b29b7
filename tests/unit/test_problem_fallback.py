"""A problem detail the request's language cannot tell (its message names a field the
refusal does not) is sent in English, and Content-Language says which part is which."""

from __future__ import annotations

import json

from api import i18n
from api.problems import problem


def test_a_detail_that_cannot_be_told_stays_english_and_says_so() -> None:
    token = i18n.request_language.set("ru")
    try:
        named = problem(
            422,
            "Rule broken",
            "summary must not be blank.",
            rule="text-required",
            field="summary",
            kind="rule-broken",
        )
        unnamed = problem(
            422,
            "Rule broken",
            "A text must not be blank.",
            rule="text-required",
            kind="rule-broken",
        )
    finally:
        i18n.request_language.reset(token)
    told = json.loads(named.body)
    assert told["title"] == "Нарушено правило"
    assert told["detail"] == "summary: поле не может быть пустым."
    assert named.headers["content-language"] == "ru"
    fallback = json.loads(unnamed.body)
    assert fallback["title"] == "Нарушено правило"
    assert fallback["detail"] == "A text must not be blank."
    assert unnamed.headers["content-language"] == "ru, en"


def test_english_is_sent_as_written() -> None:
    response = problem(404, "Not found", "No such appeal.", rule="appeal-not-found")
    body = json.loads(response.body)
    assert (body["title"], body["detail"]) == ("Not found", "No such appeal.")
    assert response.headers["content-language"] == "en"
