"""Request ids and the request size limit, on the real application and PostgreSQL."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator

import anyio.to_thread
import pytest
import structlog
from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from structlog.testing import capture_logs

from api.app import create_app
from infra.bootstrap import Container, build
from tests.support import as_user, settings_for

pytestmark = pytest.mark.postgres

LIMIT = 4096
VALID = {
    "channel": "written",
    "office": "REG-AKM",
    "summary": "Complaint about an inquiry",
    "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
}
log = structlog.get_logger("tests.request_ids")


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    container = build(settings_for(database_url, max_request_bytes=LIMIT))
    app = create_app(container)

    @app.get("/_test/log", include_in_schema=False)
    def logs_a_line() -> dict[str, str]:
        log.warning("test.inside_request")  # a sync endpoint: runs in the thread pool
        return {}

    @app.get("/_test/boom", include_in_schema=False)
    def fails() -> None:
        raise RuntimeError("boom")

    yield app
    container.close()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, headers=as_user(), raise_server_exceptions=False) as c:
        yield c


def events_stored(client: TestClient) -> int:
    # From the store itself: /health's figure is a background sample, seconds old.
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    return container.service.recorder.max_notification_id() or 0


def test_every_response_has_a_request_id(client: TestClient) -> None:
    ids = set()
    for response in (
        client.get("/health"),
        client.get("/appeals/not-a-uuid"),  # 422 problem
        client.get("/appeals", headers={"Authorization": "Bearer nonsense"}),  # 401
        client.get("/no-such-route"),  # 404 from the router
        client.get("/_test/boom"),  # 500, answered outside every middleware
    ):
        request_id = response.headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id), response.status_code
        if response.headers["content-type"] == "application/problem+json":
            assert response.json()["request_id"] == request_id
        ids.add(request_id)
    assert len(ids) == 5


def test_a_valid_request_id_is_echoed_and_an_invalid_one_replaced(client: TestClient) -> None:
    given = "trace-7.A_b" + "x" * 117  # 128 characters
    assert client.get("/health", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given
    for bad in (b"x" * 129, b"spaces are not allowed", b"semi;colon", "ünïcode".encode(), b""):
        replaced = client.get("/health", headers={"X-Request-ID": bad})
        assert replaced.headers["X-Request-ID"].encode() != bad
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"])


def test_log_lines_of_a_request_carry_its_id_and_the_context_is_cleared(
    client: TestClient,
) -> None:
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as lines:
        client.get("/_test/log", headers={"X-Request-ID": "req-1"})
        client.get("/_test/boom", headers={"X-Request-ID": "req-2"})
        log.warning("test.outside_request")
    by_event = {line["event"]: line for line in lines}
    assert by_event["test.inside_request"]["request_id"] == "req-1"
    assert by_event["api.unexpected_error"]["request_id"] == "req-2"
    assert "request_id" not in by_event["test.outside_request"]
    assert structlog.contextvars.get_contextvars() == {}


def test_a_body_over_the_limit_is_413_by_content_length_and_nothing_is_recorded(
    client: TestClient,
) -> None:
    big = {**VALID, "summary": "x" * (LIMIT + 1)}
    response = client.post("/appeals", json=big)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["rule"]) == (413, "request-too-large")
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert events_stored(client) == 0


def test_a_streamed_body_without_content_length_is_counted(client: TestClient) -> None:
    def chunks(payload: bytes) -> Iterator[bytes]:
        for i in range(0, len(payload), 1000):
            yield payload[i : i + 1000]

    headers = {"Content-Type": "application/json"}
    big = json.dumps({**VALID, "summary": "x" * (LIMIT + 1)}).encode()
    refused = client.post("/appeals", content=chunks(big), headers=headers)
    assert refused.status_code == 413, refused.text
    assert refused.json()["rule"] == "request-too-large"
    assert events_stored(client) == 0

    small = json.dumps(VALID).encode()
    accepted = client.post("/appeals", content=chunks(small), headers=headers)
    assert accepted.status_code == 201, accepted.text
    assert events_stored(client) == 1


def test_the_limit_defaults_to_256_kib() -> None:
    from infra.adapters.settings import Settings

    assert Settings().max_request_bytes == 256 * 1024


def test_the_openapi_document_names_every_problem_and_the_bearer_scheme(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    receive = document["paths"]["/appeals"]["post"]
    assert {"400", "401", "403", "413", "422"} <= set(receive["responses"])
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    assert receive["responses"]["413"]["content"] == {"application/problem+json": problem}
    assert receive["responses"]["422"]["content"] == {"application/problem+json": problem}
    assert receive["security"] == [{"bearerAuth": []}]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "security" not in document["paths"]["/health"]["get"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


# A plain `def` dependency runs in the thread pool: a hand-off to a thread and back on
# every request (five or six per read before they were made async, 2.7 ms of the
# process's CPU per read against 1.5 after; docs/benchmarks.md, "A crowd of clients").
# Only a dependency that waits on I/O belongs there.
WAITS_ON_IO = {"wait_for_position"}


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for sub in dependant.dependencies:
        yield sub
        yield from _dependencies(sub)


def test_only_dependencies_that_wait_on_io_run_in_the_thread_pool(app: FastAPI) -> None:
    dependants = [
        context.dependant
        for context in routing.iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]
    threaded = {
        sub.call.__name__
        for dependant in dependants
        for sub in _dependencies(dependant)
        if sub.call is not None and not inspect.iscoroutinefunction(sub.call)
    }
    assert len(dependants) > 50
    assert threaded <= WAITS_ON_IO, sorted(threaded - WAITS_ON_IO)


def test_the_handlers_run_at_most_api_threads_at_a_time(database_url: str) -> None:
    # docs/security.md, "Under a crowd": the rest wait their turn for a handler thread.
    container = build(settings_for(database_url, api_threads=3))
    try:
        app = create_app(container)

        @app.get("/_test/limit", include_in_schema=False)
        async def limit() -> dict[str, float]:
            return {"tokens": anyio.to_thread.current_default_thread_limiter().total_tokens}

        with TestClient(app, headers=as_user()) as client:
            assert client.get("/_test/limit").json() == {"tokens": 3}
    finally:
        container.close()
