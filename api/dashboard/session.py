"""Signing in and out of the dashboard, and its stylesheet: the pages that need no
signed-in user."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from api import i18n
from api.auth import SESSION_COOKIE
from api.dashboard.page import (
    _CSS,
    LANGUAGE_COOKIE,
    ContainerDep,
    _home,
    _language,
    _render,
    _safe_next,
    _secure,
    router,
)
from domain.access import Principal


@router.get("/static/dashboard.css")
def stylesheet() -> Response:
    return FileResponse(_CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/language/{lang}")
def choose_language(lang: str, request: Request) -> Response:
    """The language switch: remembers the choice and goes back to the page it was on."""
    target = _safe_next(request.query_params.get("next")) or "/ui/"
    response = RedirectResponse(target, status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
    return _secure(response)


@router.get("/sign-in")
def sign_in_form(request: Request) -> Response:
    lang = _language(request)
    notice = None
    if request.query_params.get("expired"):
        notice = i18n.t("sign_in.expired", lang)
    elif request.query_params.get("signed_out"):
        notice = i18n.t("sign_in.signed_out", lang)
    return _render(
        request,
        "sign_in.html",
        lang=lang,
        user=None,
        notice=notice,
        error=None,
        next=_safe_next(request.query_params.get("next")) or "",
    )


@router.post("/sign-in")
async def sign_in(request: Request, container: ContainerDep) -> Response:
    lang = _language(request)
    body = (await request.body())[:16_384].decode("utf-8", errors="replace")
    form = {k: v[0] for k, v in parse_qs(body).items()}
    token = "".join(form.get("token", "").split())  # pasted tokens may carry line breaks
    target = _safe_next(form.get("next"))
    error: str | None = None
    user: Principal | None = None
    if not token:
        error = i18n.t("sign_in.empty", lang)
    else:
        try:
            user = container.tokens.verify(token)
        except Exception as exc:  # InvalidToken, or anything a forged token provokes
            error = i18n.t("sign_in.refused", lang, reason=str(exc) or type(exc).__name__)
        else:
            if user.office not in container.service.offices:
                error, user = i18n.t("sign_in.unknown_office", lang), None
    if user is None:
        return _render(
            request,
            "sign_in.html",
            lang=lang,
            user=None,
            notice=None,
            error=error,
            next=target or "",
            status=401,
        )
    home = _home(user) or "/ui/"
    response = RedirectResponse(target or home, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return _secure(response)


@router.post("/sign-out")
def sign_out() -> Response:
    response = RedirectResponse("/ui/sign-in?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return _secure(response)
