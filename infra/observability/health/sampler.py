"""A dependency measured on its own daemon thread, so that whoever reports on it
(`/health`, `/metrics`) reads the last figure instead of calling the dependency.

Each figure carries its age (``time.monotonic()``). A sampler stuck on a hung
dependency stops producing figures; its last one grows old and is then reported as
down, so a hang is seen without anybody waiting on it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import structlog

log = structlog.get_logger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Reading(Generic[T]):
    """What a report may say about a dependency at one moment."""

    value: T | None
    """The last figure, only while it is fresh and the last attempt succeeded."""
    age_seconds: float | None
    """Since the last successful measurement (None: never measured)."""
    error: str | None
    """Why ``value`` is None."""

    @property
    def up(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class _Sample(Generic[T]):
    value: T | None = None
    measured_at: float | None = None
    error: str | None = None
    attempts: int = 0


class Sampler(Generic[T]):
    """Calls ``measure`` every ``every`` seconds on a daemon thread; ``reading()`` never
    blocks. ``close`` is called on the sampler's own thread once it stops, so that a
    client is never closed under a call that is still using it."""

    def __init__(
        self,
        name: str,
        measure: Callable[[], T],
        *,
        every: float,
        stale_after: float,
        close: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.measure = measure
        self.every = every
        self.stale_after = stale_after
        self._close = close
        self._clock = clock
        self._sample: _Sample[T] = _Sample()
        self._attempted = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"health-{self.name}", daemon=True
            )
            self._thread.start()

    def wait_first(self, timeout: float) -> bool:
        """Wait up to ``timeout`` for the first attempt, failed or not."""
        return self._attempted.wait(timeout)

    def attempted(self) -> bool:
        """Whether the first attempt is over, failed or not (never blocks)."""
        return self._attempted.is_set()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread is not None:
            # A thread hung in a dependency's call is a daemon: left behind, not waited for.
            self._thread.join(timeout)

    def reading(self) -> Reading[T]:
        sample = self._sample  # one reference read: the thread replaces it whole
        now = self._clock()
        age = None if sample.measured_at is None else max(now - sample.measured_at, 0.0)
        if sample.attempts == 0:
            return Reading(None, None, "not measured yet")
        if sample.error is not None:
            return Reading(None, age, sample.error)
        if age is None or age > self.stale_after:
            return Reading(
                None, age, f"no answer for {age or 0:.0f} s: the check is stuck on the dependency"
            )
        return Reading(sample.value, age, None)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._attempt()
                self._attempted.set()
                self._stop.wait(self.every)
        finally:
            if self._close is not None:
                try:
                    self._close()
                except Exception as exc:
                    log.warning("health.close_failed", dependency=self.name, error=str(exc))

    def _attempt(self) -> None:
        previous = self._sample
        try:
            value = self.measure()
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
            if previous.error != error:
                log.warning("health.sample_failed", dependency=self.name, error=error)
            self._sample = _Sample(
                previous.value, previous.measured_at, error, previous.attempts + 1
            )
            return
        if previous.error is not None:
            log.info("health.sample_recovered", dependency=self.name)
        self._sample = _Sample(value, self._clock(), None, previous.attempts + 1)
