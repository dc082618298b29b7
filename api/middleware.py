"""Pure ASGI middleware: a request id on every request and response, and a limit on the
size of request bodies."""

from __future__ import annotations

import re
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import i18n
from api.problems import problem

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


def sane_request_id(value: str | None) -> str | None:
    """``value`` if it is a token safe to log and echo (≤128 of [A-Za-z0-9._-]), else None."""
    if value is not None and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return None


def request_id_of(scope: Scope) -> str | None:
    """The id RequestIdMiddleware gave this request (None outside it)."""
    state = scope.get("state") or {}
    value = state.get("request_id")
    return value if isinstance(value, str) else None


class RequestIdMiddleware:
    """Take a sane incoming ``X-Request-ID`` or make one; bind it into structlog's
    contextvars while the request runs (so every log line of the request carries
    ``request_id``) and send it back in the ``X-Request-ID`` response header. Also
    notes the language the request's problems are told in (``Accept-Language``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None
        )
        request_id = sane_request_id(given) or uuid.uuid4().hex
        # The state dict is shared with Request.state, also for the 500 handler that
        # Starlette runs outside every user middleware.
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
            await send(message)

        accept = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"accept-language"), None
        )
        language = i18n.request_language.set(
            i18n.pick_language(None, accept, default=i18n.API_DEFAULT_LANGUAGE)
        )
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            structlog.contextvars.reset_contextvars(**tokens)
            i18n.request_language.reset(language)


class BodySizeLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413 problem+json before the
    application sees them: by Content-Length up front, or, without it (chunked),
    by counting the bytes as they arrive. Nothing is recorded for a refused request."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if length is not None and length.strip().isdigit():
            if int(length) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            await self.app(scope, receive, send)  # the server holds the body to its length
            return
        # No (usable) Content-Length: read the body here, counting, then replay it.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk: bytes = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413,
            "Request too large",
            f"The request body exceeds the limit of {self.max_bytes} bytes; nothing was recorded.",
            rule="request-too-large",
            field="body",
            values={"max_bytes": self.max_bytes},
            max_bytes=self.max_bytes,
        )
        await response(scope, receive, send)
