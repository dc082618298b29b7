"""Which errors mean "the database is away" (503 with Retry-After), and which are bugs."""

from __future__ import annotations

import eventsourcing.persistence
import psycopg
import psycopg_pool
import pytest

from api.problems import database_unavailable


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
