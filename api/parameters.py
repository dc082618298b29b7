"""An endpoint refuses a query parameter it does not take, rather than ignore it: a
caller who sends ``as_of`` to an endpoint that cannot honour it must not be shown an
answer that silently disregards it."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, BeforeValidator
from pydantic_core import PydanticCustomError

from domain.errors import InvalidCommand

_TAKEN: dict[int, frozenset[str]] = {}


class UnknownParameter(InvalidCommand):
    rule = "unknown-parameter"


def taken_by(route: APIRoute) -> frozenset[str]:
    """The query parameters ``route`` declares, its dependencies' included."""
    known = _TAKEN.get(id(route))
    if known is None:
        known = _TAKEN[id(route)] = frozenset(_query_names(route.dependant))
    return known


def _query_names(dependant: Any) -> set[str]:
    names: set[str] = set()
    for param in dependant.query_params:
        shape = param.field_info.annotation
        if isinstance(shape, type) and issubclass(shape, BaseModel):
            # Parameters declared together as a model: each of its fields is one.
            names |= {f.alias or n for n, f in shape.model_fields.items()}
        else:
            names.add(param.alias)
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def declared_only(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    taken = taken_by(route)
    for name in request.query_params:
        if name not in taken:
            listed = ", ".join(sorted(taken)) or "none"
            raise UnknownParameter(
                f"{name} is not a parameter of this endpoint, so it cannot be honoured "
                f"(parameters taken: {listed}).",
                field=name,
            )


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _written_day(value: object) -> object:
    """Only a day written YYYY-MM-DD: pydantic alone would take 0 for 1 January 1970.
    Refused under pydantic's own rule for an unreadable date, as before."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise PydanticCustomError(
            "date_from_datetime_parsing", "Input should be a day written YYYY-MM-DD"
        )
    return value


def _written_moment(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _MOMENT.match(value):
        raise PydanticCustomError(
            "datetime_from_date_parsing",
            "Input should be a moment written as ISO 8601: 2026-12-05T10:00:00+05:00",
        )
    return value


Day = Annotated[date, BeforeValidator(_written_day)]
"""A calendar day, in a query or a body: YYYY-MM-DD and nothing else."""
Moment = Annotated[datetime, BeforeValidator(_written_moment)]
"""A moment, ISO 8601: never a bare number."""
