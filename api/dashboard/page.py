"""What every dashboard page shares: the signed-in user, the language, the query
parameters, rendering with security headers, and how a page is served or refused."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from api import i18n, l10n
from api.auth import SESSION_COOKIE, NotAuthenticated, principal_of
from api.deps import get_container
from domain.access import Action, Principal
from domain.offices import OfficeDirectory
from domain.text import hostile_character
from infra.bootstrap import Container

router = APIRouter(prefix="/ui", include_in_schema=False)

ContainerDep = Annotated[Container, Depends(get_container)]

_ENV = Environment(
    loader=PackageLoader("api.dashboard", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_CSS = Path(__file__).parent / "static" / "dashboard.css"

PAGE_SIZE = 25
RECENT = 10
PERIOD_DAYS = 30
APPEAL_STATUSES = (
    "received",
    "in_progress",
    "not_considered",
    "redirected",
    "decided",
    "refusal_pending_explanation",
    "refused",
    "deemed_refused",
    "closed",
)
CHANNELS = (
    "call_centre_115",
    "electronic_portal",
    "written",
    "personal_reception",
    "law_enforcement_center",
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Event data not worth showing on a timeline (pseudonyms, internal ids).
HIDDEN_FIELDS = frozenset({"applicant_ref", "request_id"})
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class PageError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Nav:
    key: str
    href: str
    action: Action


NAV = (
    Nav("overview", "/ui/", Action.OVERSEE),
    Nav("register", "/ui/appeals", Action.READ_APPEAL),
    Nav("instructions", "/ui/instructions", Action.READ_INSTRUCTIONS),
)


@dataclass(frozen=True)
class Page:
    """One request to a page: who asks, in which language, with what."""

    request: Request
    container: Container
    user: Principal
    lang: str

    @property
    def offices(self) -> OfficeDirectory:
        return self.container.service.offices

    @property
    def today(self) -> date:
        return self.container.service.today()

    def t(self, key: str, **values: Any) -> str:
        return i18n.t(key, self.lang, **values)

    def scope(self, root: str | None = None) -> list[str]:
        """Office codes at ``root`` (default: the user's office) and below it."""
        return [o.code for o in self.offices.subtree(root or self.user.office)]

    def office_in_scope(self, code: str) -> str:
        if code not in self.offices or not self.user.sees(code, self.offices):
            raise PageError(404, self.t("error.not_found"))
        return code


# --- helpers ------------------------------------------------------------------------


def _secure(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


def _render(
    request: Request,
    template: str,
    *,
    lang: str,
    user: Principal | None,
    active: str = "",
    status: int = 200,
    **context: Any,
) -> Response:
    nav = [n for n in NAV if user is not None and user.may(n.action)]
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    html = _ENV.get_template(template).render(
        t=lambda key, **values: i18n.t(key, lang, **values),
        label=lambda kind, code: i18n.label(kind, code, lang),
        office_name=lambda code: i18n.label("office", code, lang),
        day=l10n.day,
        moment=l10n.moment,
        num=lambda value: l10n.number(value, lang),
        pct=lambda value: l10n.share(value, lang),
        day_pattern=l10n.DAY_PATTERN,
        lang=lang,
        languages=[
            (code, i18n.LANGUAGE_NAMES[code], _href(f"/ui/language/{code}", {"next": here}))
            for code in i18n.LANGUAGES
        ],
        user=user,
        nav=nav,
        active=active,
        **context,
    )
    return _secure(HTMLResponse(html, status_code=status))


LANGUAGE_COOKIE = "appeals_lang"
"""The language the user chose with the switch; kept a year."""


def _language(request: Request) -> str:
    return i18n.pick_language(
        request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
    )


def _href(path: str, params: Mapping[str, Any]) -> str:
    query = urlencode({k: str(v) for k, v in params.items() if v not in (None, "", False)})
    return f"{path}?{query}" if query else path


def _safe_next(value: str | None) -> str | None:
    if value and value.startswith("/ui/") and "\\" not in value and "//" not in value:
        return value
    return None


def _home(user: Principal) -> str | None:
    return next((n.href for n in NAV if user.may(n.action)), None)


class Params:
    """Query parameters of a page, read leniently: a bad one is a 400 page that names it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.values = page.request.query_params

    def text(self, name: str, max_length: int = 64) -> str | None:
        value = (self.values.get(name) or "").strip()
        if not value:
            return None
        if len(value) > max_length or hostile_character(value, multiline=False):
            shown = value.encode("unicode_escape").decode("ascii")[:64]
            raise PageError(400, self.page.t("error.bad_choice", field=name, value=shown))
        return value

    def choice(self, name: str, allowed: Any) -> str | None:
        value = self.text(name)
        if value is not None and value not in allowed:
            raise PageError(400, self.page.t("error.bad_choice", field=name, value=value))
        return value

    def day(self, name: str) -> date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return l10n.parse_day(value)
        except ValueError:
            raise PageError(400, self.page.t("error.bad_date", field=name, value=value)) from None

    def flag(self, name: str) -> bool:
        return self.text(name) in ("1", "on", "true", "yes")

    def number(self, name: str, default: int, low: int, high: int) -> int:
        value = self.text(name)
        if value is None:
            return default
        if not value.isdigit():
            raise PageError(400, self.page.t("error.bad_choice", field=name, value=value))
        return min(max(int(value), low), high)


def _signed_in(request: Request, container: Container) -> Principal | None:
    try:
        return principal_of(request, container)
    except NotAuthenticated:
        return None


def _to_sign_in(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    params: dict[str, Any] = {"next": target}
    if request.cookies.get(SESSION_COOKIE):
        params["expired"] = "1"
    response = RedirectResponse(_href("/ui/sign-in", params), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return _secure(response)


def _serve(
    request: Request, container: Container, action: Action, build: Callable[[Page], Response]
) -> Response:
    user = _signed_in(request, container)
    if user is None:
        return _to_sign_in(request)
    lang = _language(request)
    page = Page(request, container, user, lang)
    try:
        if not user.may(action):
            raise PageError(
                403, page.t("error.forbidden", role=i18n.label("role", user.role.value, lang))
            )
        return build(page)
    except PageError as exc:
        return _render(
            request, "error.html", lang=lang, user=user, status=exc.status, message=exc.message
        )


# --- sign in and out ------------------------------------------------------------------


def _row(row: Mapping[str, Any], today: date) -> dict[str, Any]:
    out = dict(row)
    out["overdue"] = row["status"] in ("received", "in_progress") and row["due_on"] < today
    return out


def _local(moment: datetime) -> str:
    return l10n.moment(moment)


def _details(data: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """The event's data as (label, value) pairs, codes in words."""
    out = []
    for key, value in data.items():
        if key in HIDDEN_FIELDS or value is None or value == [] or value == "":
            continue
        if isinstance(value, bool):
            text = i18n.t("yes", lang) if value else i18n.t("no", lang)
        elif isinstance(value, str) and _ISO_DAY.fullmatch(value):
            text = l10n.day(date.fromisoformat(value))
        elif isinstance(value, list):
            text = ", ".join(i18n.label(key, str(v), lang) for v in value)
        else:
            text = i18n.label(key, str(value), lang)
        out.append((i18n.label("field", key, lang), text))
    return out
