from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import ContainerDep

router = APIRouter(tags=["operations"])


@router.get(
    "/health",
    responses={503: {"description": "A dependency is down; the body says which."}},
)
def health(container: ContainerDep) -> JSONResponse:
    """Database, and in distributed mode Kafka and consumer lag per partition."""
    ok, report = container.health.check()
    body: dict[str, Any] = report
    return JSONResponse(body, status_code=200 if ok else 503)
