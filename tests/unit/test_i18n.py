"""The gettext catalogs: every message in Kazakh, Russian and English, none left
untranslated or copied from English, the template current with the code, every code
the domain can show with its words; and the choice of language."""

from __future__ import annotations

import ast
import enum
import re
import typing
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from api import i18n
from api.dashboard.page import APPEAL_STATUSES, CHANNELS, HIDDEN_FIELDS
from domain.access import Role
from domain.offices import OfficeDirectory
from infra.adapters.settings import PROJECT_ROOT
from infra.contract.events import CONTRACT
from infra.contract.models import DATA_MODELS
from projections.instructions import STATUSES as INSTRUCTION_STATUSES

LOCALES = PROJECT_ROOT / "api" / "locales"
LANGUAGE_NEUTRAL = {"nav.signed_in_as"}  # "{sub} — {role}, {office}": only placeholders


def po(lang: str) -> Catalog:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        return read_po(fp, locale=lang)


def template_ids() -> set[str]:
    with (LOCALES / "messages.pot").open("rb") as fp:
        return {m.id for m in read_po(fp) if m.id}


def test_the_template_holds_every_id_the_code_asks_for() -> None:
    with (PROJECT_ROOT / "babel.cfg").open() as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            PROJECT_ROOT,
            method_map,
            options_map,
            keywords={"t": None, "N_": None},
        )
        if isinstance(message, str)
    }
    assert found, "nothing extracted"
    assert found == template_ids(), "run `make catalogs` and translate the new ids"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_id_has_a_text_in_every_language(lang: str) -> None:
    catalog = po(lang)
    ids = {m.id for m in catalog if m.id}
    assert ids == template_ids()
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"{lang}: untranslated {untranslated}"
    # A symbolic id ("nav.overview") shown as text is a message nobody wrote.
    placeholders = [m.id for m in catalog if m.id and "." in m.id and m.string == m.id]
    assert not placeholders, f"{lang}: the id itself as text: {placeholders}"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_kazakh_and_russian_are_not_english_copied(lang: str) -> None:
    english = {m.id: m.string for m in po("en") if m.id}
    copied = [
        m.id
        for m in po(lang)
        if m.id and m.id not in LANGUAGE_NEUTRAL and m.string == english[m.id]
    ]
    assert not copied, f"{lang}: English text left in {copied}"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_keep_the_placeholders_of_the_english(lang: str) -> None:
    english = {m.id: m.string for m in po("en") if m.id}
    for message in po(lang):
        if message.id:
            theirs = set(re.findall(r"{(\w+)}", str(message.string)))
            assert theirs == set(re.findall(r"{(\w+)}", english[message.id])), message.id


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_code_the_domain_shows_has_words(lang: str) -> None:
    codes = {
        "status": APPEAL_STATUSES,
        "channel": CHANNELS,
        "role": [r.value for r in Role],
        "instruction_status": (*INSTRUCTION_STATUSES, "overdue"),
        "office": [o.code for o in OfficeDirectory.default()],
        "event": [p.type for p in CONTRACT.values() if p.type.startswith("appeals.appeal.")],
    }
    for kind, values in codes.items():
        for code in values:
            assert i18n.has(f"{kind}.{code}", lang), f"{lang}: no words for {kind} {code}"
            if lang != "en":
                assert i18n.label(kind, code, lang) != code


def data_codes() -> dict[str, set[str]]:
    """Every field of every published appeal event's data, and the codes a field may
    hold (its Literal or enum values): what a timeline shows in words."""
    codes: dict[str, set[str]] = {"field": set()}
    for (name, _), model in DATA_MODELS.items():
        if not name.startswith("appeal."):
            continue
        for field, info in model.model_fields.items():
            if field in HIDDEN_FIELDS:
                continue
            codes["field"].add(field)
            for kind in (info.annotation, *typing.get_args(info.annotation)):
                if typing.get_origin(kind) is typing.Literal:
                    codes.setdefault(field, set()).update(map(str, typing.get_args(kind)))
                elif isinstance(kind, type) and issubclass(kind, enum.Enum):
                    codes.setdefault(field, set()).update(str(m.value) for m in kind)
    return codes


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_field_and_code_of_an_events_data_has_words(lang: str) -> None:
    codes = data_codes()
    assert len(codes["field"]) > 30
    missing = [
        f"{kind}.{code}"
        for kind, values in codes.items()
        for code in values
        if not i18n.has(f"{kind}.{code}", lang)
    ]
    assert not missing, f"{lang}: no words for {missing}"


def test_a_message_is_in_the_language_asked_for() -> None:
    assert i18n.t("status.refused", "ru") == "Отказано"
    assert i18n.t("status.refused", "kk") == "Бас тартылды"
    assert i18n.t("status.refused", "en") == "Refused"
    assert i18n.t("register.page", "ru", page=2, pages=5) == "Страница 2 из 5"


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, None, "kk"),  # no preference: the state language
        (None, "ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "de-DE,en;q=0.5,ru;q=0.7", "ru"),  # by weight, not by order
        (None, "kz", "kk"),
        (None, "fr, de", "kk"),
        (None, "ru;q=0", "kk"),  # q=0 means "not this one"
        ("ru", "en-US", "ru"),  # the user's own choice wins
        ("xx", "en", "en"),  # a stale or forged cookie is ignored
    ],
)
def test_the_language_is_the_users_choice_then_their_browsers(
    cookie: str | None, header: str | None, expected: str
) -> None:
    assert i18n.pick_language(cookie, header) == expected


def test_the_catalogs_are_compiled_by_the_build() -> None:
    makefile = Path(PROJECT_ROOT / "Makefile").read_text()
    assert "pybabel compile" in makefile
    for target in ("run:", "test:", "install:"):
        line = next(line for line in makefile.splitlines() if line.startswith(target))
        assert "$(CATALOGS)" in line, target


def rules_declared() -> set[str]:
    """Every rule a refusal can name: the ``rule`` of each error class and each
    ``rule="..."`` given where a problem is made, in the domain and the API."""
    found: set[str] = set()
    for folder in ("domain", "api"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                    if any(getattr(t, "id", None) == "rule" for t in node.targets):
                        found.add(str(node.value.value))
                elif isinstance(node, ast.Call):
                    for keyword in node.keywords:
                        if keyword.arg == "rule" and isinstance(keyword.value, ast.Constant):
                            found.add(str(keyword.value.value))
    return found


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_rule_a_refusal_can_name_is_explained_in_the_language(lang: str) -> None:
    rules = rules_declared()
    assert len(rules) > 100
    missing = sorted(r for r in rules if not i18n.has(f"problem.detail.{r}", lang))
    assert not missing, f"{lang}: no detail for {missing}"
