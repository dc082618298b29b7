"""The command log says who sent what on which aggregate and what came of it, and
never the command's fields (they hold applicants' words)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.access import OfficeOutOfScope, Principal, Role
from domain.commands import Decide
from domain.errors import VersionConflict
from domain.service import AppealsService
from infra.adapters.calendar import KazakhstanCalendar
from infra.adapters.command_log import StructlogCommandLog
from tests.support import new_appeal


class Lines:
    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, Any]]] = []

    def info(self, event: str, **fields: Any) -> None:
        self.lines.append((event, fields))


def test_handled_and_refused_commands_are_logged_without_their_words() -> None:
    lines = Lines()
    service = AppealsService(
        calendar=KazakhstanCalendar(),
        clock=lambda: datetime(2026, 3, 16, 6, tzinfo=UTC),
        command_log=StructlogCommandLog(lines),
    )
    head = Principal(sub="head.ala", role=Role.SUPERVISOR, office="REG-ALA")
    secret = "My neighbour Aigerim Nurlanovna threatened me"
    outcome = service.bus.send(new_appeal(summary=secret), head)
    with pytest.raises(OfficeOutOfScope):
        service.bus.send(new_appeal(office="REG-AST", summary=secret), head)
    decide = Decide(appeal_id=outcome.appeal_id, outcome="refused", reasons=secret)
    with pytest.raises(VersionConflict):
        service.bus.send(decide, head, expected_version=7)
    events = [(event, f.get("command"), f.get("rule")) for event, f in lines.lines]
    assert events == [
        ("command.handled", "ReceiveAppeal", None),
        ("command.refused", "ReceiveAppeal", "office-out-of-scope"),
        ("command.refused", "Decide", "version-conflict"),
    ]
    handled = lines.lines[0][1]
    assert (handled["actor"], handled["role"], handled["office"]) == (
        "head.ala",
        "supervisor",
        "REG-ALA",
    )
    assert handled["target"] == str(outcome.appeal_id) and handled["version"] == 1
    assert lines.lines[2][1]["target"] == str(outcome.appeal_id)
    assert not any(secret in repr(fields) for _event, fields in lines.lines)
