"""Request dependencies: the container, the acting user, the expected version.

Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency
in its thread pool, a hand-off to a thread and back for each one on every request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from domain.errors import InvalidCommand
from domain.service import AppealsService
from infra.bootstrap import Container

IF_MATCH_PATTERN = '^[ \\t]*(W/)?"?0*[1-9][0-9]*"?[ \\t]*$'
"""What ``expected_version`` takes, for the OpenAPI document."""


async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def get_service(container: Annotated[Container, Depends(get_container)]) -> AppealsService:
    return container.service


async def get_expected_version(
    if_match: Annotated[
        str | None,
        Header(
            description='The version the caller last saw, as an ETag: "3".',
            json_schema_extra={"pattern": IF_MATCH_PATTERN},
        ),
    ] = None,
) -> int | None:
    return expected_version(if_match)


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header names (None without one)."""
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit()):  # "²".isdigit() is True, int("²") fails
        raise InvalidCommand(
            'If-Match must be a version ETag such as "3".',
            field="If-Match",
            rule="if-match-invalid",
        )
    return int(value)


ContainerDep = Annotated[Container, Depends(get_container)]
ServiceDep = Annotated[AppealsService, Depends(get_service)]
ExpectedVersionDep = Annotated[int | None, Depends(get_expected_version)]
