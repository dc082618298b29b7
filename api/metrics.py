"""GET /metrics and the middleware that times requests and counts commands."""

from __future__ import annotations

import time

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import trail
from infra.observability.health.collector import HealthCollector
from infra.observability.metrics import COMMANDS, REQUEST_LATENCY, command_outcome, make_registry

router = APIRouter(tags=["operations"])

COMMAND_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@router.get("/metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Prometheus metrics: request latency, commands, relay and consumer lag, workers,
    dead letters. The figures come from the health samplers, so a scrape never waits
    on a dependency and needs no thread of the pool commands use."""
    registry: CollectorRegistry = request.app.state.metrics_registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def install_metrics(app: FastAPI) -> None:
    health = app.state.container.health
    # The API is the one process that reports health: its samplers start with it.
    health.start()
    registry = make_registry(health)
    registry.register(HealthCollector(health))
    app.state.metrics_registry = registry

    app.add_middleware(MeasureMiddleware)


class MeasureMiddleware:
    """Times every request, counts commands and writes the trail (pure ASGI: no extra
    task or stream per request, as Starlette's ``BaseHTTPMiddleware`` would add)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            method = scope["method"]
            seconds = time.perf_counter() - started
            code = status["code"]
            REQUEST_LATENCY.labels(template, method, str(code)).observe(seconds)
            if method in COMMAND_METHODS and route is not None:
                COMMANDS.labels(getattr(route, "name", template), command_outcome(code)).inc()
            trail.record(Request(scope), template, code, seconds)
