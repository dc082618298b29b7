"""Which errors mean "the database is away" (503 with Retry-After), and which are bugs;
and that each place an error can be raised in the app answers so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import eventsourcing.persistence
import psycopg
import psycopg_pool
import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from api.middleware import RequestIdMiddleware
from api.problems import (
    PROBLEM_JSON,
    RETRY_AFTER_SECONDS,
    install_problem_handlers,
)
from infra.adapters.database import open_pool
from infra.adapters.outages import database_unavailable, is_outage


class Wrapped(Exception):
    pass


@pytest.mark.parametrize(
    "error",
    [
        psycopg.OperationalError("connection refused"),
        psycopg.InterfaceError("the connection is closed"),
        psycopg_pool.PoolTimeout("couldn't get a connection after 3.00 sec"),
        psycopg_pool.TooManyRequests("too many waiting"),
        eventsourcing.persistence.OperationalError("server closed the connection"),
        eventsourcing.persistence.InterfaceError("connection already closed"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_unreachable_database_errors_are_unavailable(error: Exception) -> None:
    assert database_unavailable(error)


def test_an_unavailable_database_is_found_behind_a_wrapper() -> None:
    try:
        try:
            raise psycopg.OperationalError("the server is shutting down")
        except psycopg.OperationalError as inner:
            raise Wrapped("while saving") from inner
    except Wrapped as outer:
        assert database_unavailable(outer)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("a bug"),
        psycopg.errors.UndefinedTable("relation does not exist"),
        eventsourcing.persistence.IntegrityError("duplicate key"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_other_errors_are_not(error: Exception) -> None:
    assert not database_unavailable(error)


def test_an_error_raised_from_none_is_not() -> None:
    try:
        try:
            raise psycopg.OperationalError("the server is shutting down")
        except psycopg.OperationalError:
            raise Wrapped("a bug in the handler") from None
    except Wrapped as outer:
        assert not database_unavailable(outer)


def test_an_error_raised_while_handling_one_is() -> None:
    try:
        try:
            raise eventsourcing.persistence.OperationalError("connection refused")
        except eventsourcing.persistence.OperationalError:
            raise Wrapped("while saving")  # noqa: B904 - the implicit chain is the case
    except Wrapped as outer:
        assert database_unavailable(outer)


def test_consumers_also_wait_out_the_broker_but_the_api_does_not_blame_it() -> None:
    """A consumer retries a broker outage instead of parking the message; the API's 503
    is about the database alone (commands never wait on Kafka)."""
    from kafka.errors import KafkaTimeoutError

    from infra.adapters.kafka_reach import BrokerUnreachable

    for error in (KafkaTimeoutError("no answer"), BrokerUnreachable("no broker")):
        assert is_outage(error)
        assert not database_unavailable(error)
    assert is_outage(psycopg.OperationalError("connection refused"))
    assert not is_outage(ValueError("a bug in a projection"))
    assert not is_outage(eventsourcing.persistence.IntegrityError("duplicate key"))


class FailingMiddleware:
    """A middleware that needs the database (as a session or audit one would)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/middleware":
            raise psycopg.InterfaceError("the connection is closed")
        await self.app(scope, receive, send)


# Starlette routes an error by where it is raised: the handlers by class run inside the
# middleware, a catch-all for Exception outside it (in ServerErrorMiddleware). Each way
# in must come out as the same 503, and a bug as a 500.


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    def unreachable_dependency() -> None:
        raise psycopg_pool.PoolTimeout("couldn't get a connection after 3.00 sec")

    @app.get("/sync")
    def sync_route() -> None:
        raise psycopg.OperationalError("connection refused")

    @app.get("/async")
    async def async_route() -> None:
        raise eventsourcing.persistence.OperationalError("server closed the connection")

    @app.get("/dependency", dependencies=[Depends(unreachable_dependency)])
    def guarded() -> None:
        pass

    @app.get("/wrapped")
    def wrapped() -> None:
        try:
            raise psycopg.OperationalError("terminating connection")
        except psycopg.OperationalError as exc:
            raise Wrapped("while reading the register") from exc

    @app.get("/bug")
    def bug() -> None:
        raise ValueError("a bug")

    app.add_middleware(FailingMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(_app(), raise_server_exceptions=False) as http:
        yield http


@pytest.mark.parametrize("path", ["/sync", "/async", "/dependency", "/wrapped", "/middleware"])
def test_every_way_in_answers_503_with_retry_after(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"X-Request-ID": "req-1"})
    assert r.status_code == 503
    assert r.headers["content-type"].startswith(PROBLEM_JSON)
    assert r.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert r.headers["x-request-id"] == "req-1"
    body = r.json()
    assert (body["status"], body["rule"], body["request_id"]) == (
        503,
        "database-unavailable",
        "req-1",
    )


def test_a_bug_stays_a_500(client: TestClient) -> None:
    r = client.get("/bug")
    assert r.status_code == 500
    assert r.json()["rule"] == "internal-error"
    assert "retry-after" not in r.headers


def test_a_process_started_without_its_database_fails_saying_so(tmp_path: Path) -> None:
    url = f"postgresql://postgres:secret@/appeals?host={tmp_path}&port=5999"
    with pytest.raises(RuntimeError, match="could not be reached within 1 s") as raised:
        open_pool(url, start_seconds=1)
    assert "secret" not in str(raised.value)
    assert f"{tmp_path}:5999/appeals" in str(raised.value)
