"""The neutral form in which projections receive events, whatever fed them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class EventRecord:
    """One published event of an aggregate, as the public contract describes it.

    ``position`` is the event's place in the event store's application sequence;
    ``version`` its place in the aggregate's own sequence. ``time`` is when it was
    recorded; ``effective_on`` the day it takes legal effect (appeal events; None for
    events without a legal date of their own).
    """

    event_id: str
    type: str
    aggregate_id: UUID
    version: int
    position: int
    time: datetime
    actor: str
    office: str
    data: dict[str, Any] = field(default_factory=dict)
    effective_on: date | None = None
