"""Hostile text refused at the edge: no control character in any query parameter, path
parameter or string of a JSON body, and no bidirectional override anywhere (docs/
security.md, "Hostile input"). What is refused here never reaches a command, so it can
never become an event a read model cannot apply."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from domain.text import HostileCharacter, hostile_character


def _strings(value: Any, path: str) -> Any:
    """Every (path, string) in a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, str(key)
            yield from _strings(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def _refuse(field: str, value: str, *, multiline: bool) -> None:
    found = hostile_character(value, multiline=multiline)
    if found is not None:
        raise HostileCharacter(
            f"{field} holds {found}; remove it and send the request again.", field=field
        )


async def plain_text_only(request: Request) -> None:
    """Refuse, with 422 ``control-character`` naming the field, a request that carries a
    control character (line breaks and tabs allowed in body text only) or a
    bidirectional override."""
    for name, value in request.path_params.items():
        _refuse(name, str(value), multiline=False)
    for name, value in request.query_params.multi_items():
        _refuse(name, name, multiline=False)
        _refuse(name, value, multiline=False)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        raw = await request.body()
        if not raw:
            return
        try:
            body = json.loads(raw)
        except ValueError:
            return  # not JSON: the body's own validation answers it
        for field, text in _strings(body, ""):
            _refuse(field or "body", text, multiline=True)
