"""The security trail: one structured line per request, and a dedicated event (log line
and counter) for what a security officer looks for: failed authentication, forbidden
attempts, refusals for too many requests, reads of personal data, erasures. Never a
query string, a body or a name: route templates, statuses and who asked."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import Request

from infra.observability.metrics import SECURITY_EVENTS

log = structlog.get_logger("appeals.access")

# Successful requests that are security events by what they do.
_BY_ROUTE = {
    ("GET", "/appeals/{appeal_id}/applicant"): "personal_data_read",
    ("GET", "/appeals/{appeal_id}/reasons"): "personal_data_read",
    ("POST", "/applicants/{applicant_ref}/erasure-requests"): "erasure_requested",
    ("POST", "/erasure-requests/{erasure_id}/approval"): "erasure_approved",
}
_BY_STATUS = {401: "authentication_failed", 403: "forbidden", 429: "rate_limited"}


def security_kind(method: str, route: str, status: int) -> str | None:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if 200 <= status < 300:
        return _BY_ROUTE.get((method, route))
    return None


def record(request: Request, route: str, status: int, seconds: float) -> None:
    """Log the request, and its security event if it is one."""
    principal = getattr(request.state, "principal", None)
    who: dict[str, Any] = (
        {"sub": principal.sub, "role": principal.role.value, "office": principal.office}
        if principal is not None
        else {}
    )
    log.info(
        "http.request",
        method=request.method,
        route=route,
        status=status,
        duration_ms=round(seconds * 1000, 1),
        **who,
    )
    kind = security_kind(request.method, route, status)
    if kind is not None:
        event(kind, method=request.method, route=route, status=status, **who)


def event(kind: str, **fields: Any) -> None:
    """Count and log one security event."""
    SECURITY_EVENTS.labels(kind).inc()
    log.warning(f"security.{kind}", **fields)
