"""Liveness, readiness and the health summary.

The handlers are ``async`` and read only the health samplers' last figures: they run
on the event loop, never in the thread pool that commands and queries need, and
answer at once however long a dependency takes to answer its probe.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from infra.observability.health import HealthCheck

router = APIRouter(tags=["operations"])


class HealthDependency(BaseModel):
    ok: bool
    age_seconds: float | None = None
    """Since the dependency last answered its probe."""
    error: str | None = None


class HealthProblem(BaseModel):
    component: str
    """`database`, `kafka`, `worker:<name>` or `dead_letters:<consumer>`."""
    detail: str


class HealthPosition(BaseModel):
    position: int


class HealthFeeder(BaseModel):
    position: int
    behind_event_store: int


class HealthWorker(BaseModel):
    worker: str
    kind: str
    state: Literal["running", "failing", "stopped"]
    down: bool
    last_beat_at: str | None
    age_seconds: float | None
    lag: int | None
    error: str | None
    host: str
    pid: int


class HealthDeadLetters(BaseModel):
    unresolved: int
    by_consumer: dict[str, int]


class HealthGroupLag(BaseModel):
    total: int
    partitions: dict[str, int]


class HealthKafka(HealthDependency):
    topic: str
    consumer_lag: dict[str, HealthGroupLag]
    consumer_lag_unknown: str | None = None


class HealthReport(BaseModel):
    status: Literal["ok", "degraded", "unavailable"]
    mode: Literal["embedded", "distributed"]
    problems: list[HealthProblem]
    database: HealthDependency
    event_store: HealthPosition | None = None
    projections: dict[str, HealthFeeder] | None = None
    relays: dict[str, HealthFeeder] | None = None
    workers: dict[str, HealthWorker] | None = None
    dead_letters: HealthDeadLetters | None = None
    kafka: HealthKafka | None = None


class Liveness(BaseModel):
    status: Literal["live"]


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    database: HealthDependency


FIRST_SAMPLE_WAIT_SECONDS = 1.0
"""How long a probe right after start-up waits for the database's first sample,
polling on the event loop (no thread is held), before it reports what it has."""


def _health(request: Request) -> HealthCheck:
    health: HealthCheck = request.app.state.container.health
    return health


async def _report(request: Request) -> dict[str, Any]:
    health = _health(request)
    deadline = time.monotonic() + FIRST_SAMPLE_WAIT_SECONDS
    while not health.database.attempted() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return health.report()


@router.get(
    "/health",
    response_model=None,
    responses={
        200: {
            "model": HealthReport,
            "description": "`ok`, or `degraded` with the `problems` that need an operator.",
        },
        503: {
            "model": HealthReport,
            "description": "`unavailable`: the database is down; the body says why.",
        },
    },
)
async def health(request: Request) -> JSONResponse:
    """Database, event store, feeders, relays, workers' heartbeats, dead letters, and
    in distributed mode Kafka and consumer lag per partition; each figure from the
    last background sample (its age is given), never measured on the request."""
    report = await _report(request)
    return JSONResponse(report, status_code=503 if report["status"] == "unavailable" else 200)


@router.get("/health/live", response_model=Liveness)
async def live() -> Liveness:
    """The process serves requests (restart it when this does not answer)."""
    return Liveness(status="live")


@router.get(
    "/health/ready",
    response_model=None,
    responses={
        200: {"model": Readiness, "description": "The database answers: send traffic."},
        503: {"model": Readiness, "description": "The database is down: send none."},
    },
)
async def ready(request: Request) -> JSONResponse:
    """Whether this process can serve: the database answers. Kafka being away does not
    make it unready, since commands and queries do not need Kafka."""
    report = await _report(request)
    up = report["database"]["ok"]
    body = {"status": "ready" if up else "not_ready", "database": report["database"]}
    return JSONResponse(body, status_code=200 if up else 503)
