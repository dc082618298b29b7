"""The FastAPI application, given an already built container."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import Depends, FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.api_docs import install_docs
from api.consistency import install_consistency_handler
from api.dashboard import router as dashboard_router
from api.hardening import HardeningMiddleware
from api.hostile_text import plain_text_only
from api.metrics import install_metrics
from api.metrics import router as metrics_router
from api.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from api.parameters import declared_only
from api.problems import document_problems, install_problem_handlers
from api.rate_limit import Limits, RateLimiter, RateLimitMiddleware
from api.routes import (
    appeal_steps,
    appeals,
    applicants,
    appointments,
    complaints,
    health,
    instructions,
    offices,
    oversight,
    register,
    staff,
    term,
)
from infra.bootstrap import Container


def _limiter(container: Container) -> RateLimiter:
    s = container.settings
    limits = Limits(s.rate_limit_per_caller, s.rate_limit_per_address, s.auth_failures_per_address)
    return RateLimiter(container.rate_counters, container.tokens, container.service.clock, limits)


def create_app(container: Container, *, owns_container: bool = False) -> FastAPI:
    """The API over ``container``; with ``owns_container`` the app closes it when the
    server stops (a worker process's own container, api/worker.py)."""
    container.settings.check_servable()
    threads = container.settings.api_threads

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The request handlers run in this many threads: enough to keep the database
        # pool busy, few enough that they do not starve the event loop of the GIL.
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        try:
            yield
        finally:
            if owns_container:
                container.close()

    app = FastAPI(
        title="Appeals",
        version="0.1.0",
        description=(
            "Event-sourced tracking of citizens' appeals to a prosecution service. "
            "Commands record events; queries read projections fed from Kafka or, "
            "embedded, from the event store."
        ),
        # Swagger UI from installed assets, not a CDN (api/api_docs.py); no ReDoc.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    install_docs(app)
    app.state.container = container
    install_problem_handlers(app)
    install_consistency_handler(app)
    install_metrics(app)
    # The API's endpoints refuse query parameters they do not take (the dashboard's
    # pages are for browsers, whose links may carry anything).
    # Hostile text first: a refused parameter's name is never echoed with its controls.
    strict = [Depends(plain_text_only), Depends(declared_only)]
    for api_router in (
        register.router,
        appeals.router,
        appeal_steps.router,
        complaints.router,
        term.router,
        applicants.router,
        instructions.router,
        oversight.router,
        health.router,
        offices.router,
        appointments.router,
        staff.router,
    ):
        app.include_router(api_router, dependencies=strict)
    app.include_router(metrics_router)
    app.include_router(dashboard_router)
    # Added last, so outermost: the size limit refuses before the app reads anything;
    # hardening sees the scheme a trusted proxy forwarded; the request id wraps
    # everything, its 413s and 403s included.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=container.settings.max_request_bytes)
    app.add_middleware(RateLimitMiddleware, limiter=_limiter(container))
    app.add_middleware(HardeningMiddleware)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=container.settings.trusted_proxies)
    app.add_middleware(RequestIdMiddleware)
    document_problems(app)
    return app
