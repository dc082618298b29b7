"""The FastAPI application, given an already built container."""

from __future__ import annotations

from fastapi import FastAPI

from api.consistency import install_consistency_handler
from api.dashboard import router as dashboard_router
from api.metrics import install_metrics
from api.metrics import router as metrics_router
from api.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from api.problems import document_problems, install_problem_handlers
from api.routes import (
    appeal_steps,
    appeals,
    applicants,
    appointments,
    health,
    instructions,
    offices,
    oversight,
    register,
)
from infra.bootstrap import Container


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="Appeals",
        version="0.1.0",
        description=(
            "Event-sourced tracking of citizens' appeals to a prosecution service. "
            "Commands record events; queries read projections fed from Kafka or, "
            "embedded, from the event store."
        ),
    )
    app.state.container = container
    install_problem_handlers(app)
    app.include_router(register.router)
    install_consistency_handler(app)
    install_metrics(app)
    app.include_router(appeals.router)
    app.include_router(appeal_steps.router)
    app.include_router(applicants.router)
    app.include_router(instructions.router)
    app.include_router(oversight.router)
    app.include_router(health.router)
    app.include_router(offices.router)
    app.include_router(appointments.router)
    app.include_router(metrics_router)
    app.include_router(dashboard_router)
    # Added last, so outermost: the size limit refuses before the app reads anything,
    # and the request id wraps everything, its 413s included.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=container.settings.max_request_bytes)
    app.add_middleware(RequestIdMiddleware)
    document_problems(app)
    return app
