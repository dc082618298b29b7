"""Pooled connections are checked when taken only after sitting idle (a restart leaves
dead ones behind, idle by the time the server is back); a busy pool saves the round trip."""

from __future__ import annotations

from typing import Any

import pytest
from psycopg_pool import ConnectionPool

from infra.adapters import database
from infra.adapters.database import CheckWhenIdle


def test_only_connections_idle_for_a_while_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[object] = []
    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(checked.append))
    now = [100.0]
    monkeypatch.setattr(database.time, "monotonic", lambda: now[0])
    idle = CheckWhenIdle(idle_seconds=2.0)
    conn: Any = object()
    idle.check(conn)  # never returned yet: a new connection is checked
    idle.reset(conn)
    now[0] += 1.5
    idle.check(conn)  # back in the pool 1.5 s ago: taken unchecked
    now[0] += 1.0
    idle.check(conn)  # 2.5 s idle: checked
    assert checked == [conn, conn]


def test_the_event_stores_pool_checks_only_idle_connections_too() -> None:
    pool: Any = ConnectionPool("dbname=none", open=False, check=ConnectionPool.check_connection)
    database.bound_event_store_pool(pool)
    # psycopg_pool calls these two attributes when a connection is taken and returned;
    # a version that renamed them would fail here, not silently check every connection.
    assert isinstance(pool._check.__self__, CheckWhenIdle)
    assert pool._reset.__self__ is pool._check.__self__
