"""Fixtures and helpers shared by the appeal API tests (test_appeal_*_api.py): an embedded
container fed on real PostgreSQL and the AppealApi client over it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from infra.bootstrap import Container
from tests.integration.appeal_api_helpers import AppealApi
from tests.support import as_user


@pytest.fixture(name="container")
def container_fixture(make_container: Callable[..., Container]) -> Container:
    return make_container(feed=True)


@pytest.fixture(name="api")
def api_fixture(container: Container) -> Iterator[AppealApi]:
    with TestClient(create_app(container), headers=as_user()) as client:
        yield AppealApi(client, container)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def _extension(new_due_on: date, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "new_due_on": new_due_on.isoformat(),
        "reasons": "Expert opinion needed",
        "approver_role": "head",
        "approver": "head.1",
    }
    body.update(overrides)
    return body
