"""The port every projection implements."""

from __future__ import annotations

from typing import Protocol

from psycopg import Connection

from projections.records import EventRecord


class Projection(Protocol):
    """A read model fed one event at a time inside the caller's transaction.

    ``apply`` must be idempotent: the same event applied twice changes nothing.
    It must not commit; the feeder commits the change together with its position.
    """

    name: str

    def create_tables(self, conn: Connection) -> None: ...

    def apply(self, conn: Connection, record: EventRecord) -> None: ...
