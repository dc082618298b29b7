"""When the rate limits' counters cannot be reached, requests go through: the
application answers for its database itself (503), the limiter never turns an outage
into 429s or 500s (docs/security.md, "Rate limits")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from api.rate_limit import Limits, RateLimiter, RateLimitMiddleware
from infra.adapters.tokens import TokenService


class Unreachable:
    def hit(self, windows: dict[str, datetime]) -> dict[str, int]:
        raise OSError("connection refused")

    def peek(self, key: str, window_start: datetime) -> int:
        raise OSError("connection refused")


def test_requests_go_through_when_the_counters_are_down() -> None:
    async def hello(_: Any) -> PlainTextResponse:
        return PlainTextResponse("served")

    limiter = RateLimiter(
        Unreachable(),  # type: ignore[arg-type]
        TokenService({"k": "k" * 40}, "k", "appeals"),
        lambda: datetime(2026, 12, 5, 10, 0, tzinfo=UTC),
        Limits(per_caller=1, per_address=1, auth_failures=1),
    )
    app = Starlette(routes=[Route("/x", hello)])
    client = TestClient(RateLimitMiddleware(app, limiter))
    for _ in range(3):
        r = client.get("/x", headers={"Authorization": "Bearer forged"})
        assert (r.status_code, r.text) == (200, "served")
