"""Which errors mean "a dependency is away now" rather than "this is wrong".

The API answers those with 503 and Retry-After instead of 500; consumers abort the
batch and let the worker loop retry it instead of parking the event as a dead letter.
One list, so the two never disagree about what an outage is.
"""

from __future__ import annotations

import eventsourcing.persistence
import psycopg
import psycopg_pool
from kafka.errors import KafkaError

DATABASE_UNREACHABLE: tuple[type[Exception], ...] = (
    # psycopg's own, and the pool's (both OperationalErrors, named for the reader).
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg_pool.PoolTimeout,
    psycopg_pool.TooManyRequests,
    # The event-sourcing library wraps psycopg's errors in its own (not subclasses).
    eventsourcing.persistence.OperationalError,
    eventsourcing.persistence.InterfaceError,
)

BROKER_UNREACHABLE: tuple[type[Exception], ...] = (KafkaError, ConnectionError)


def raised_from(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether ``exc``, or an error it was raised from, is one of ``kinds``.

    Follows the chain Python would print (``raise ... from`` and errors raised while
    handling one), but not past ``from None``: whoever wrote that judged the earlier
    error irrelevant, and a bug must stay a bug.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kinds):
            return True
        seen.add(id(current))
        if current.__cause__ is not None:
            current = current.__cause__
        elif current.__suppress_context__:
            current = None
        else:
            current = current.__context__
    return False


def database_unavailable(exc: BaseException) -> bool:
    """The database cannot be reached now (the API's 503)."""
    return raised_from(exc, DATABASE_UNREACHABLE)


def is_outage(exc: BaseException) -> bool:
    """The database or the broker is away: retry later, never park the message."""
    return raised_from(exc, DATABASE_UNREACHABLE + BROKER_UNREACHABLE)
