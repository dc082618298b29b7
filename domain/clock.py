"""Time as an input. The domain never reads the wall clock: every service is given a
``Clock`` (a callable returning an aware datetime) by the composition root, and
``infra.adapters.clock`` is the one module that reads the real time."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from eventsourcing.domain import CanCreateTimestamp

Clock = Callable[[], datetime]
"""Returns the current moment, timezone-aware (the port every service is given)."""

# Kazakhstan has kept one time zone, UTC+5, since 1 March 2024 (Government decree of
# 29 December 2023); "today" for deadlines is the calendar day there, not on the server.
KAZAKHSTAN = timezone(timedelta(hours=5), "Asia/Almaty")


def aware(moment: datetime) -> datetime:
    """``moment`` itself, refusing a naive datetime (a clock must say its zone)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the clock must return timezone-aware datetimes")
    return moment


def kazakhstan_date(moment: datetime) -> date:
    """The calendar day in Kazakhstan at ``moment``."""
    return aware(moment).astimezone(KAZAKHSTAN).date()


# The clock of the command being handled, so that the events it records carry that
# clock's time (and not the wall clock the event-sourcing library would read).
_command_clock: ContextVar[Clock | None] = ContextVar("command_clock", default=None)

P = ParamSpec("P")
R = TypeVar("R")


class HasClock(Protocol):
    clock: Clock


S = TypeVar("S", bound=HasClock)


def on_the_clock(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run a service command with its service's clock as the time of the events it
    records (see ``event_time``)."""

    @functools.wraps(method)
    def command(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with events_on(self.clock):
            return method(self, *args, **kwargs)

    return command


@contextmanager
def events_on(clock: Clock) -> Iterator[None]:
    """Within this block, events are dated by ``clock`` (what ``on_the_clock`` does
    for a command; for code that acts on an aggregate directly)."""
    token = _command_clock.set(clock)
    try:
        yield
    finally:
        _command_clock.reset(token)


class EventOutsideCommand(RuntimeError):
    """An event was created outside a service command, so nothing says what time it is."""


def event_time() -> datetime:
    """The time an event is recorded at: the clock of the command recording it."""
    clock = _command_clock.get()
    if clock is None:
        raise EventOutsideCommand(
            "events are recorded by a service command (decorated with @on_the_clock), "
            "whose clock dates them"
        )
    return aware(clock())


def events_dated_by_the_clock(aggregate: type[Any]) -> None:
    """Make every event class of ``aggregate`` take its timestamp from ``event_time``."""
    for member in vars(aggregate).values():
        if isinstance(member, type) and issubclass(member, CanCreateTimestamp):
            member.create_timestamp = staticmethod(event_time)  # type: ignore[method-assign]
