"""Every error as application/problem+json (RFC 9457), naming the field and the rule."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from api import i18n
from api.text_schema import document_plain_text
from domain.errors import (
    ConflictError,
    DomainError,
    NoLongerAvailable,
    NotFound,
    NotPermitted,
)
from infra.adapters.outages import DATABASE_UNREACHABLE, database_unavailable

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger(__name__)

RETRY_AFTER_SECONDS = 2
"""What a client is told to wait while the database cannot be reached: about one
pool reconnection attempt (infra/adapters/database.py)."""


def unavailable_problem(request_id: str | None = None) -> JSONResponse:
    # The connection may drop during a commit, so "nothing was recorded" cannot be
    # promised: the client retries, and Idempotency-Key / If-Match make that safe.
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request_id is not None:
        headers["X-Request-ID"] = request_id
    return problem(
        503,
        "Service unavailable",
        "The database cannot be reached, so the request was not completed. Retry after "
        f"{RETRY_AFTER_SECONDS} seconds (a command with the same Idempotency-Key or "
        "If-Match, so that it cannot be recorded twice).",
        rule="database-unavailable",
        headers=headers,
        values={"retry": RETRY_AFTER_SECONDS},
        request_id=request_id,
    )


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    rule: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    kind: str | None = None,
    values: dict[str, Any] | None = None,
    detail_language: str | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem in the request's language (``Accept-Language``; English without one).

    ``title`` and ``detail`` are the English; the catalogs' ``problem.title.<kind>``
    (else ``problem.status.<status>``) and ``problem.detail.<rule>``, filled from
    ``field`` and ``values``, replace them where the request's language has them. A
    detail no catalog has yet stays in English, and ``Content-Language`` says which
    language each part is in."""
    lang = i18n.request_language.get()
    title, title_lang = _localized(
        [f"problem.title.{kind}" if kind else None, f"problem.status.{status}"], lang, title
    )
    if detail_language is not None:  # told in that language already
        detail_lang = detail_language
    else:
        named = {"field": field} if field else {}  # a message naming it needs one
        detail, detail_lang = _localized(
            [f"problem.detail.{rule}"], lang, detail, **named, **(values or {})
        )
    body: dict[str, Any] = {
        "type": f"urn:appeals:problem:{rule}",
        "title": title,
        "status": status,
        "detail": detail,
        "rule": rule,
    }
    headers = {
        **(headers or {}),
        "Content-Language": title_lang
        if title_lang == detail_lang
        else f"{title_lang}, {detail_lang}",
    }
    if field is not None:
        body["field"] = field
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id is not None:
        body["request_id"] = request_id
    body.update({k: v for k, v in extra.items() if not (k == "request_id" and v is None)})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _localized(ids: list[str | None], lang: str, english: str, **values: Any) -> tuple[str, str]:
    """The first of ``ids`` the request's language has, filled in; else ``english``."""
    if lang != "en":
        for message_id in ids:
            if message_id and i18n.has(message_id, lang):
                try:
                    # Formatted even without values: "{field}" left unfilled is a KeyError
                    # (the English then), and "{{" in a text must become "{".
                    return i18n.t(message_id, lang).format(**values), lang
                except (KeyError, IndexError, ValueError):
                    break  # a value the message needs is missing: the English has it
    return english, "en"


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def status_of(exc: DomainError) -> tuple[int, str]:
    """The one place a kind of refusal becomes an HTTP status and a title."""
    from api.auth import NotAuthenticated  # api.auth needs this module's problem types

    kinds: list[tuple[type[DomainError], int, str]] = [
        (NotAuthenticated, 401, "Not signed in"),
        (NotPermitted, 403, "Forbidden"),
        (NotFound, 404, "Not found"),
        (NoLongerAvailable, 410, "Gone"),
        (ConflictError, 409, "Conflict"),
    ]
    for kind, status, title in kinds:
        if isinstance(exc, kind):
            return status, title
    return 422, "Rule broken"


TITLE_KINDS = {
    "Not signed in": "not-signed-in",
    "Forbidden": "forbidden",
    "Not found": "not-found",
    "Gone": "gone",
    "Conflict": "conflict",
    "Rule broken": "rule-broken",
}


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app serves at this request's path."""
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        if context.path is None or not context.methods:
            continue
        pattern, _, _ = compile_path(context.path)
        if pattern.match(request.url.path):
            methods |= set(context.methods)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        status, title = status_of(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return problem(
            status,
            title,
            exc.detail,
            rule=exc.rule,
            field=exc.field,
            headers=headers,
            kind=TITLE_KINDS[title],
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        lang = i18n.request_language.get()
        errors: list[dict[str, str]] = []
        languages = []
        for e in exc.errors():
            message, told_in = _localized(
                [f"problem.input.{e['type']}"], lang, str(e["msg"]), **dict(e.get("ctx", {}))
            )
            errors.append(
                {"field": _field_name(tuple(e["loc"])), "rule": e["type"], "message": message}
            )
            languages.append(told_in)
        first = errors[0] if errors else {"field": "body", "rule": "invalid", "message": ""}
        return problem(
            422,
            "Invalid request",
            f"{first['field']}: {first['message']}",
            rule=first["rule"],
            field=first["field"],
            errors=errors,
            kind="invalid-request",
            detail_language=languages[0] if languages else "en",
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first matching route's methods; a path served by
            # several routes (GET and POST apart) allows them all.
            headers["Allow"] = ", ".join(allowed_methods(request))
        return problem(
            exc.status_code,
            str(exc.detail),
            str(exc.detail),
            rule=f"http-{exc.status_code}",
            headers=headers,
        )

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("api.database_unavailable", error=str(exc), path=request.url.path)
        return unavailable_problem()

    # Handlers by class run inside the middleware (request id bound, header added);
    # the catch-all below runs outside it, for errors that wrap one of these.

    for kind in DATABASE_UNREACHABLE:
        app.add_exception_handler(kind, unavailable)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette runs this outside every middleware: the request id comes from the
        # request's state, not from the (already reset) logging context.
        request_id: str | None = getattr(request.state, "request_id", None)
        if database_unavailable(exc):  # wrapped in another error on its way out
            log.warning(
                "api.database_unavailable",
                error=str(exc),
                path=request.url.path,
                **({"request_id": request_id} if request_id else {}),
            )
            return unavailable_problem(request_id)
        ids: dict[str, Any] = {"request_id": request_id} if request_id else {}
        log.exception("api.unexpected_error", **ids)
        return problem(
            500,
            "Internal error",
            "The server failed; the error was logged.",
            rule="internal-error",
            headers={"X-Request-ID": request_id} if request_id else None,
            **ids,
        )


# Problems that follow from what an operation takes, added to the OpenAPI document for
# every operation they apply to; the rest (401, 403, 404, 409, 410, 503) are declared
# with the routes (`responses=`).
DERIVED_PROBLEMS: dict[int, str] = {
    400: "The body could not be read (not UTF-8 JSON); nothing was recorded.",
    413: "The body is over the size limit (`APPEALS_MAX_REQUEST_BYTES`); nothing was recorded.",
    422: "The input breaks a rule; nothing was recorded.",
}
BEARER_SCHEME = "bearerAuth"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _document_operation(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    derived = [413]
    if "requestBody" in operation:
        derived += [400, 422]
    if operation.get("parameters"):
        derived.append(422)
    for code in derived:
        responses.setdefault(str(code), {"description": DERIVED_PROBLEMS[code]})
    if "401" in responses:  # every signed-in operation reads or writes the database
        unreachable = (
            "The database cannot be reached (`database-unavailable`); retry after "
            "`Retry-After` seconds (a command with the same `Idempotency-Key` or `If-Match`)."
        )
        declared = responses.setdefault(
            "503",
            {"description": unreachable, "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}},
        )
        if unreachable not in declared.get("description", ""):  # a 503 of the route's own
            declared["description"] = f"{declared.get('description', '')} Or: {unreachable}"
    for status, response in responses.items():
        if (
            not status.isdigit()
            or int(status) < 400
            or (status == "503" and "content" not in response)
        ):
            continue  # /health's 503 is its report, not a problem
        if "content" not in response or status == "422":  # not FastAPI's HTTPValidationError
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
        content = response["content"]
        if content.get("application/json") == {"schema": PROBLEM_REF}:
            content[PROBLEM_JSON] = content.pop("application/json")
    if "401" in responses:
        operation["security"] = [{BEARER_SCHEME: []}]


def document_problems(app: FastAPI) -> None:
    """Complete the OpenAPI document: every problem response as application/problem+json,
    the problems that follow from what each operation takes, the bearer token scheme."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = original()
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                _document_operation(operation)
        components = document.setdefault("components", {})
        components.get("schemas", {}).pop("HTTPValidationError", None)
        components.get("schemas", {}).pop("ValidationError", None)
        document_plain_text(document)
        components.setdefault("securitySchemes", {})[BEARER_SCHEME] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Minted by `appeals token`; names the user, the role and the office.",
        }
        return document

    app.openapi = openapi  # type: ignore[method-assign]
