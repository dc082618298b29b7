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
