"""HTTP hardening on every response and request (docs/security.md, "HTTP"):

- ``Cache-Control: no-store`` (nothing here is for a shared cache: appeals, names,
  reasons) and ``X-Content-Type-Options: nosniff`` on every response; the dashboard's
  stylesheet alone may be cached;
- ``Strict-Transport-Security`` when the request came over https, directly or through a
  trusted proxy (``APPEALS_TRUSTED_PROXIES``, applied by uvicorn's proxy-headers
  middleware before this one);
- the ``Origin`` (or, failing it, the ``Referer``) of a state-changing request that a
  browser could send on its own must be this service's: a sign-in, a sign-out, and every
  write authenticated by the session cookie rather than an ``Authorization`` header.
  Otherwise 403 ``origin-mismatch``, and nothing runs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import trail
from api.auth import SESSION_COOKIE
from api.problems import problem

HSTS = "max-age=31536000; includeSubDomains"
_CACHEABLE = ("/ui/static/",)
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_BROWSER_FORMS = frozenset({"/ui/sign-in", "/ui/sign-out"})


def _own_origin(scope: Scope, headers: Headers) -> str:
    return f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()


def _origin_of(value: str) -> str | None:
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def _needs_origin(scope: Scope, headers: Headers) -> bool:
    if scope["method"] not in _UNSAFE:
        return False
    if scope["path"] in _BROWSER_FORMS:
        return True
    cookie_only = "authorization" not in headers and f"{SESSION_COOKIE}=" in headers.get(
        "cookie", ""
    )
    return cookie_only


class HardeningMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        https = scope.get("scheme") == "https"
        cacheable = scope["path"].startswith(_CACHEABLE)

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["X-Content-Type-Options"] = "nosniff"
                if not cacheable:
                    out["Cache-Control"] = "no-store"
                if https:
                    out["Strict-Transport-Security"] = HSTS
                if "server" in out:
                    del out["server"]
            await send(message)

        if _needs_origin(scope, headers):
            given = headers.get("origin") or headers.get("referer") or ""
            if _origin_of(given) != _own_origin(scope, headers):
                trail.event(
                    "forbidden",
                    method=scope["method"],
                    route=scope["path"] if scope["path"] in _BROWSER_FORMS else "cookie-write",
                    status=403,
                    rule="origin-mismatch",
                )
                response = problem(
                    403,
                    "Forbidden",
                    "A state-changing request a browser can send on its own must come from "
                    f"this service's own pages (Origin {given or 'missing'}); send the token "
                    "as `Authorization: Bearer <token>` from other clients.",
                    rule="origin-mismatch",
                    field="Origin",
                )
                await response(scope, receive, send_hardened)
                return
        await self.app(scope, receive, send_hardened)
