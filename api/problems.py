"""Every error as application/problem+json (RFC 9457), naming the field and the rule."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import DomainError

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger(__name__)


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    rule: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:appeals:problem:{rule}",
        "title": title,
        "status": status,
        "detail": detail,
        "rule": rule,
    }
    if field is not None:
        body["field"] = field
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id is not None:
        body["request_id"] = request_id
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        titles = {401: "Not signed in", 403: "Forbidden", 404: "Not found", 410: "Gone"}
        title = titles.get(exc.status, "Rule broken")
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem(
            exc.status, title, exc.detail, rule=exc.rule, field=exc.field, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field_name(tuple(e["loc"])), "rule": e["type"], "message": e["msg"]}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "body", "rule": "invalid", "message": ""}
        return problem(
            422,
            "Invalid request",
            f"{first['field']}: {first['message']}",
            rule=str(first["rule"]),
            field=str(first["field"]),
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(
            exc.status_code,
            str(exc.detail),
            str(exc.detail),
            rule=f"http-{exc.status_code}",
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette runs this outside every middleware: the request id comes from the
        # request's state, not from the (already reset) logging context.
        request_id: str | None = getattr(request.state, "request_id", None)
        ids = {"request_id": request_id} if request_id else {}
        log.exception("api.unexpected_error", **ids)
        return problem(
            500,
            "Internal error",
            "The server failed; the error was logged.",
            rule="internal-error",
            headers={"X-Request-ID": request_id} if request_id else None,
            **ids,
        )
