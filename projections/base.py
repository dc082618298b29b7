"""The ports every projection implements, and the base of the project's own."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

from psycopg import sql

from projections.records import EventRecord
from projections.writes import Writes


class Projection(Protocol):
    """A read model fed one event at a time inside the caller's transaction.

    ``apply`` must be idempotent: the same event applied twice changes nothing.
    It only issues statements (``Writes``), never reads their results, and for an
    event writes only rows of the event's own aggregate or rows keyed by the event
    itself: so a feeder may send a batch's statements in bulk (projections/writes.py).
    It must not commit; the feeder commits the change together with its position.
    Raising marks the event as poison: the feeder rolls the batch back (a savepoint),
    applies it again event by event and parks just that one in the dead-letter table.
    """

    name: str

    def apply(self, conn: Writes, record: EventRecord) -> None: ...


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

    def apply(self, conn: Writes, record: EventRecord) -> None: ...

    def at_table(self, table: str) -> Rebuildable: ...


Handler = Callable[[Any, Writes, EventRecord], None]


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    """Marks a ``ReadModel`` method as the one that applies these published event types
    (``"appeals.appeal.*"`` for every type under that prefix)."""

    def mark(method: Handler) -> Handler:
        method.__handles__ = (*getattr(method, "__handles__", ()), *event_types)  # type: ignore[attr-defined]
        return method

    return mark


class ReadModel:
    """The one base of the project's read models: ``apply`` hands each event to the
    method marked ``@handles`` for its type (or its prefix) and ignores the rest.

    ``table`` is where it writes: its ``name`` (version 1) unless a rebuild points it
    at another version (``at_table``).
    """

    name: str
    _handlers: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for attribute, value in vars(klass).items():
                for event_type in getattr(value, "__handles__", ()):
                    handlers[event_type] = attribute
        cls._handlers = handlers

    def __init__(self, table: str | None = None) -> None:
        self.table = table or self.name

    def at_table(self, table: str) -> Self:
        moved = copy.copy(self)
        moved.table = table
        return moved

    def statement(self, template: str) -> str:
        """``template`` with ``{}`` naming this model's table, built once per table."""
        return _on_table(template, self.table)

    def apply(self, conn: Writes, record: EventRecord) -> None:
        method = self._handlers.get(record.type)
        if method is None:
            prefix = record.type.rpartition(".")[0]
            method = self._handlers.get(f"{prefix}.*")
        if method is not None:
            getattr(self, method)(conn, record)

    @classmethod
    def handled_types(cls) -> frozenset[str]:
        return frozenset(cls._handlers)


@lru_cache(maxsize=256)
def _on_table(template: str, table: str) -> str:
    return sql.SQL(template).format(sql.Identifier(table)).as_string()
