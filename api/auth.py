"""Who is calling: the bearer token (or the dashboard's session cookie) verified into a
Principal, and the permission each route needs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from api.deps import get_container
from domain.access import Action, Principal
from domain.access import require as allowed
from domain.commands import Command, ReceiveAppeal
from domain.errors import DomainError
from infra.adapters.tokens import InvalidToken
from infra.bootstrap import Container

SESSION_COOKIE = "appeals_token"


class NotAuthenticated(DomainError):
    """No valid token came with the request (401)."""

    rule = "not-authenticated"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Use `Authorization: Bearer <token>`.", field="Authorization")
        return token.strip()
    return request.cookies.get(SESSION_COOKIE)


async def get_principal(
    request: Request, container: Annotated[Container, Depends(get_container)]
) -> Principal:
    return principal_of(request, container)


def principal_of(request: Request, container: Container) -> Principal:
    """The verified caller of ``request``; NotAuthenticated without a valid token."""
    token = bearer_token(request)
    if token is None:
        raise NotAuthenticated(
            "Sign in: send `Authorization: Bearer <token>` (`appeals token` mints one).",
            field="Authorization",
        )
    try:
        principal = container.tokens.verify(token)
    except InvalidToken as exc:
        raise NotAuthenticated(f"The token was refused: {exc}.", field="Authorization") from None
    if principal.office not in container.service.offices:
        raise NotAuthenticated("The token names an unknown office.", field="Authorization")
    request.state.principal = principal
    return principal


def require(*actions: Action) -> Callable[..., Awaitable[Principal]]:
    """A dependency that lets the request through only if the role allows every one of
    ``actions``."""

    async def dependency(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        allowed(principal, *actions)  # the same rule the command bus applies
        return principal

    return dependency


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def may_send(command: type[Command]) -> Callable[..., Awaitable[Principal]]:
    """A dependency that refuses, before the body is looked at, a caller whose role may
    not send ``command`` (the permission the command declares; the bus checks it too,
    for callers other than the API)."""
    return require(*command.needs)


Receiver = Annotated[Principal, Depends(may_send(ReceiveAppeal))]
Overseer = Annotated[Principal, Depends(require(Action.OVERSEE))]
Reader = Annotated[Principal, Depends(require(Action.READ_APPEAL))]
PersonalDataReader = Annotated[Principal, Depends(require(Action.READ_PERSONAL_DATA))]
ReasonsReader = Annotated[Principal, Depends(require(Action.READ_REASONS))]
AuditReader = Annotated[Principal, Depends(require(Action.READ_AUDIT))]
InstructionReader = Annotated[Principal, Depends(require(Action.READ_INSTRUCTIONS))]
Eraser = Annotated[Principal, Depends(require(Action.ERASE_PERSON))]
ReferenceReader = Annotated[Principal, Depends(require(Action.READ_REFERENCE))]
