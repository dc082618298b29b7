"""The ports every projection implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from psycopg import Connection

from projections.records import EventRecord


class Projection(Protocol):
    """A read model fed one event at a time inside the caller's transaction.

    ``apply`` must be idempotent: the same event applied twice changes nothing.
    It must not commit; the feeder commits the change together with its position.
    Raising marks the event as poison: the feeder rolls back just that event (a
    savepoint) and parks it in the dead-letter table.
    """

    name: str

    def apply(self, conn: Connection, record: EventRecord) -> None: ...


@runtime_checkable
class Rebuildable(Protocol):
    """A projection whose table can be rebuilt into a new version and swapped in.

    ``name`` is the key in ``read_model_versions`` and the name of version 1;
    ``table`` is where ``apply`` writes; ``at_table`` returns the same projection
    writing elsewhere. Live feeders set ``table`` to the live version at the start
    of each batch.
    """

    name: str
    table: str

    def apply(self, conn: Connection, record: EventRecord) -> None: ...

    def at_table(self, table: str) -> Rebuildable: ...
