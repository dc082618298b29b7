"""GET /metrics and the middleware that times requests and counts commands."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

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

    @app.middleware("http")
    async def measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = request.scope.get("route")
            template = getattr(route, "path", "unmatched")
            seconds = time.perf_counter() - started
            REQUEST_LATENCY.labels(template, request.method, str(status)).observe(seconds)
            trail.record(request, template, status, seconds)
            if request.method in COMMAND_METHODS and route is not None:
                COMMANDS.labels(getattr(route, "name", template), command_outcome(status)).inc()
