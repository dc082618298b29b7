"""Read models dispatch by event type through one base: an exact type first, then its
prefix (``appeals.appeal.*``), nothing for other types."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from projections.base import ReadModel, handles
from projections.history import AppealHistory
from projections.instructions import InstructionStatus
from projections.oversight import FACT_KINDS, OversightFacts
from projections.records import EventRecord
from projections.register import AppealRegister


class Noting(ReadModel):
    name = "noting"

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str]] = []

    @handles("appeals.appeal.received")
    def received(self, conn: Any, record: EventRecord) -> None:
        self.seen.append(("received", record.type))

    @handles("appeals.appeal.*")
    def other(self, conn: Any, record: EventRecord) -> None:
        self.seen.append(("other", record.type))


def record(event_type: str) -> EventRecord:
    return EventRecord(
        event_id=str(uuid4()),
        type=event_type,
        aggregate_id=uuid4(),
        version=1,
        position=1,
        time=datetime(2026, 3, 2, tzinfo=UTC),
        actor="a",
        office="GPO",
        data={},
    )


def test_exact_type_then_prefix_then_nothing() -> None:
    model = Noting()
    for event_type in (
        "appeals.appeal.received",
        "appeals.appeal.closed",
        "appeals.instruction.issued",
        "appeals.appeal",
    ):
        model.apply(None, record(event_type))
    assert model.seen == [
        ("received", "appeals.appeal.received"),
        ("other", "appeals.appeal.closed"),
    ]


def test_a_moved_read_model_keeps_its_handlers_and_writes_elsewhere() -> None:
    moved = Noting().at_table("noting_v2")
    assert (moved.table, moved.name) == ("noting_v2", "noting")
    moved.apply(None, record("appeals.appeal.received"))
    assert moved.seen == [("received", "appeals.appeal.received")]


def test_the_read_models_handle_what_they_are_for() -> None:
    assert AppealHistory.handled_types() == {"appeals.appeal.*"}
    assert {"appeals.appeal.received", "appeals.appeal.*"} <= AppealRegister.handled_types()
    assert OversightFacts.handled_types() == set(FACT_KINDS)
    assert InstructionStatus.handled_types() == {
        f"appeals.instruction.{kind}"
        for kind in ("issued", "received", "acknowledged", "executed", "marked_overdue")
    }
