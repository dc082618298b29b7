"""Messages in Kazakh, Russian and English, from gettext catalogs managed with Babel.

Message ids are symbolic (``"nav.overview"``, ``"status.refused"``): the same English
word may need different Russian or Kazakh words in different places, and an id says
which place it is. Every language has its catalog under ``api/locales/<lang>``,
English included, and every id has a text in each (a test refuses an empty one).

The catalogs are ``.po`` files; the build compiles them to ``.mo`` (``make catalogs``
extracts new ids and merges them in, ``make`` targets compile). Without a compiled
catalog the ``.po`` is read instead, with a warning, so a checkout run without the
build still speaks every language.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

import structlog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

log = structlog.get_logger(__name__)

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("kk", "ru", "en")
"""In the order the language switch shows them."""
DEFAULT_LANGUAGE = "kk"
"""For a user who states no preference: Kazakh, the state language (Constitution of the
Republic of Kazakhstan, art. 7(1)); Russian is used officially on a par with it
(art. 7(2)) and is one click away."""
API_DEFAULT_LANGUAGE = "en"
"""The API's problem details for a client that sends no ``Accept-Language``: programs
read ``type``, ``rule`` and ``field``; people's clients say which language they read."""
ALIASES = {"kz": "kk"}  # a common mistake for Kazakh's code

request_language: ContextVar[str] = ContextVar("request_language", default=API_DEFAULT_LANGUAGE)
"""The language of the request being served (api/middleware.py sets it)."""
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


@cache
def catalog(lang: str) -> Translations:
    """The compiled catalog of ``lang``, or its ``.po`` read now if not compiled."""
    folder = LOCALES / lang / "LC_MESSAGES"
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime:
        with compiled.open("rb") as fp:
            return Translations(fp, domain=DOMAIN)
    log.warning("i18n.catalog_not_compiled", language=lang, hint="run make catalogs-compile")
    with source.open("rb") as fp:
        messages = read_po(fp, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The message ``key`` in ``lang`` (English when that catalog lacks it), with
    ``{placeholders}`` filled from ``values``."""
    text = catalog(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).gettext(key)
    if text == key and lang != "en":
        text = catalog("en").gettext(key)
    return text.format(**values) if values else text


def has(key: str, lang: str = "en") -> bool:
    return catalog(lang).gettext(key) != key


def label(kind: str, code: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The words for a code (``label("status", "in_progress")``), or the code itself
    when no catalog has them, so that a new code still shows."""
    if code is None:
        return ""
    key = f"{kind}.{code}"
    return t(key, lang) if has(key) else code


def pick_language(
    chosen: str | None, accept_language: str | None, default: str = DEFAULT_LANGUAGE
) -> str:
    """The user's own choice if it is one of ours, else the first language of the
    ``Accept-Language`` header, by its weights, that we have, else ``default``."""
    if chosen in LANGUAGES:
        return chosen
    for tag in _preferred(accept_language or ""):
        primary = tag.split("-")[0]
        primary = ALIASES.get(primary, primary)
        if primary in LANGUAGES:
            return primary
    return default


def _preferred(header: str) -> Iterable[str]:
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag and weight > 0:
            weighted.append((-weight, position, tag.lower()))
    return [tag for _, _, tag in sorted(weighted)]
