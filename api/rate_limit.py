"""Rate limits per caller and per source address, shared by every API process through
PostgreSQL (``infra/adapters/rate_limits.py``), and a progressive delay for failed
authentication (docs/security.md, "Rate limits").

A request over a limit is refused with 429 ``rate-limited`` and ``Retry-After`` before
the application sees it. Failed authentications (401) from one address are counted in a
15-minute window; past ``APPEALS_AUTH_FAILURES_PER_ADDRESS`` every further attempt there
without a valid token is refused, and counted, so that ``Retry-After`` doubles with each
one (2, 4, 8… seconds, up to the window's end). Probes (``/health``, ``/metrics``) and the
documentation's files are not limited. Should the counters' database fail, requests go
through: the application answers for that dependency itself (503).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
import structlog
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import trail
from api.auth import NotAuthenticated, bearer_token
from api.problems import problem
from domain.clock import Clock, aware
from infra.adapters.rate_limits import PostgresCounters
from infra.adapters.tokens import InvalidToken, TokenService

log = structlog.get_logger(__name__)

MINUTE = timedelta(minutes=1)
AUTH_WINDOW = timedelta(minutes=15)
_EXEMPT = ("/health", "/metrics", "/docs/assets/", "/ui/static/")


@dataclass(frozen=True)
class Limits:
    per_caller: int  # requests a minute; 0: no limit
    per_address: int
    auth_failures: int  # failed authentications per address in AUTH_WINDOW


@dataclass(frozen=True)
class Refusal:
    why: str
    retry_after: int


def _window(now: datetime, size: timedelta) -> datetime:
    seconds = size.total_seconds()
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=now.tzinfo)


def _left(now: datetime, start: datetime, size: timedelta) -> int:
    return max(1, math.ceil((start + size - now).total_seconds()))


class RateLimiter:
    def __init__(
        self, counters: PostgresCounters, tokens: TokenService, clock: Clock, limits: Limits
    ) -> None:
        self.counters = counters
        self.tokens = tokens
        self.clock = clock
        self.limits = limits

    def check(self, address: str, request: Request) -> Refusal | None:
        now = aware(self.clock())
        minute = _window(now, MINUTE)
        caller: str | None = None
        try:
            token = bearer_token(request)  # the same header or cookie the API reads
        except NotAuthenticated:
            token = None
        if token is not None:
            try:
                caller = self.tokens.verify(token).sub
            except InvalidToken:
                caller = None
        windows: dict[str, datetime] = {}
        if self.limits.per_address:
            windows[f"addr:{address}"] = minute
        if caller is not None and self.limits.per_caller:
            windows[f"caller:{caller}"] = minute
        if caller is None and self.limits.auth_failures:
            auth = _window(now, AUTH_WINDOW)
            failures = self.counters.peek(f"authfail:{address}", auth)
            if failures >= self.limits.auth_failures:
                # Refused attempts count too: each doubles the wait.
                failures = self.counters.hit({f"authfail:{address}": auth})[f"authfail:{address}"]
                wait = 2 ** min(failures - self.limits.auth_failures, 20)
                return Refusal(
                    f"too many failed sign-ins from your address ({failures} in 15 minutes)",
                    min(wait, _left(now, auth, AUTH_WINDOW)),
                )
        counts = self.counters.hit(windows)
        if caller is not None and counts.get(f"caller:{caller}", 0) > self.limits.per_caller:
            return Refusal(
                f"more than {self.limits.per_caller} requests a minute from {caller}",
                _left(now, minute, MINUTE),
            )
        if counts.get(f"addr:{address}", 0) > self.limits.per_address:
            return Refusal(
                f"more than {self.limits.per_address} requests a minute from your address",
                _left(now, minute, MINUTE),
            )
        return None

    def failed_authentication(self, address: str) -> None:
        if self.limits.auth_failures:
            now = aware(self.clock())
            self.counters.hit({f"authfail:{address}": _window(now, AUTH_WINDOW)})


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limits = self.limiter.limits
        off = not (limits.per_caller or limits.per_address or limits.auth_failures)
        if off or scope["type"] != "http" or scope["path"].startswith(_EXEMPT):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        try:
            refusal = await anyio.to_thread.run_sync(self.limiter.check, address, Request(scope))
        except Exception as exc:  # the counters' database: fail open, the app answers 503
            log.warning("rate_limit.unavailable", error=type(exc).__name__)
            refusal = None
        if refusal is not None:
            trail.event("rate_limited", method=scope["method"], route=scope["path"], status=429)
            response = problem(
                429,
                "Too many requests",
                f"Refused: {refusal.why}. Retry after {refusal.retry_after} seconds.",
                rule="rate-limited",
                headers={"Retry-After": str(refusal.retry_after)},
                values={"retry": refusal.retry_after},
            )
            await response(scope, receive, send)
            return
        status: dict[str, Any] = {}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        if status.get("code") == 401:
            try:
                await anyio.to_thread.run_sync(self.limiter.failed_authentication, address)
            except Exception as exc:
                log.warning("rate_limit.unavailable", error=type(exc).__name__)
