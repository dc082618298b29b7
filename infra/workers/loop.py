"""The one loop every background worker turns: the relay, the Kafka consumers, the
embedded feed and the deadline watcher.

A worker is a ``step`` (returns how much work it did, 0 when idle) called until its
stop event is set. A step that raises is logged and tried again after an exponential
back-off with jitter (tenacity's), capped at a few seconds, so a broker or database
outage delays work instead of ending the worker, and many workers do not all come
back at once. Every wait is ``stop.wait`` so SIGTERM ends a worker within a step.

Heartbeats (``infra.adapters.heartbeats``) let ``/health`` tell a killed or hung worker
from a failing one: one on start, one on each change between running and failing,
otherwise every ``BEAT_EVERY_SECONDS`` (idle waits included), and ``stopped`` on a
graceful exit.
Each beat borrows a pooled connection with a short checkout timeout, and a
beat that cannot be written is only logged: liveness reporting must never stop work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import structlog
import tenacity
from psycopg_pool import ConnectionPool

from infra.adapters.heartbeats import BEAT_EVERY_SECONDS, State, beat

log = structlog.get_logger(__name__)

Step = Callable[[], int]
Lag = Callable[[], int | None]

BACKOFF_INITIAL_SECONDS = 0.2
BACKOFF_MAX_SECONDS = 3.0
"""The longest wait between attempts: a worker starts again at most this long after
PostgreSQL or the broker is back (plus the attempt itself)."""
JITTER_SHARE = 0.2
"""This share of the cap is random, so workers that failed together spread out, at the
cap too."""
BEAT_CHECKOUT_SECONDS = 2.0


def backoff(initial: float, cap: float) -> tenacity.wait.wait_base:
    """Exponential from ``initial`` plus a random part; never more than ``cap``."""
    jitter = cap * JITTER_SHARE
    return tenacity.wait_exponential(multiplier=initial, max=cap - jitter) + tenacity.wait_random(
        0, jitter
    )


class Worker:
    def __init__(
        self,
        step: Step,
        stop: threading.Event,
        pool: ConnectionPool,
        *,
        name: str,
        kind: str,
        idle_wait: float,
        lag: Lag | None = None,
        wakeup: threading.Event | None = None,
        beat_every: float = BEAT_EVERY_SECONDS,
        backoff_initial: float = BACKOFF_INITIAL_SECONDS,
        backoff_max: float = BACKOFF_MAX_SECONDS,
    ) -> None:
        self.step = step
        self.stop = stop
        self.pool = pool
        self.name = name
        self.kind = kind
        self.idle_wait = idle_wait
        self.lag = lag
        # A feeder woken early by a write (the embedded feed) waits on this instead.
        self.wakeup = wakeup
        self.beat_every = beat_every
        self.backoff = backoff(min(backoff_initial, backoff_max), backoff_max)
        self.failures = 0
        self.last_error: str | None = None
        self._last_beat = 0.0
        self._beaten_error: str | None = None

    def run(self) -> None:
        log.info(f"{self.kind}.started", worker=self.name)
        self._beat("running", started=True)
        try:
            while not self.stop.is_set():
                self.turn()
        except Exception:
            # Only a stop while failing ends up here; the failure is logged already.
            if not self.stop.is_set():
                raise
        finally:
            self._beat("stopped")
            log.info(f"{self.kind}.stopped", worker=self.name)

    def turn(self) -> None:
        """One step, retried after failures until it succeeds (or the worker stops),
        then the idle wait if it found no work (none after work: there may be more)."""
        retrying = tenacity.Retrying(
            wait=self.backoff,
            stop=lambda _state: self.stop.is_set(),
            sleep=self._sleep,
            before_sleep=self._failed,
            reraise=True,
        )
        done = retrying(self._attempt)
        if self.failures:
            log.info(f"{self.kind}.recovered", worker=self.name, after_failures=self.failures)
            self.failures = 0
            self.last_error = None
            self._beat("running", force=True)
        else:
            self._beat("running")
        if done == 0 and not self.stop.is_set():
            self._idle()

    def _sleep(self, seconds: float) -> None:
        self.stop.wait(seconds)  # a stop ends the back-off at once

    def _attempt(self) -> int:
        # tenacity tries once more after an interrupted back-off; a stopping worker must not.
        return 0 if self.stop.is_set() else self.step()

    def _failed(self, state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        self.failures = state.attempt_number
        self.last_error = f"{type(exc).__name__}: {exc}"
        log.error(
            f"{self.kind}.failed",
            worker=self.name,
            error=self.last_error,
            failures=self.failures,
            retry_in=round(state.upcoming_sleep, 2),
            # The traceback once per streak: enough to find a bug, not a log flood.
            exc_info=exc if self.failures == 1 else None,
        )
        # A new error is news for /health; the same one again only every few seconds.
        self._beat("failing", error=self.last_error, force=self.last_error != self._beaten_error)

    def retry_delay(self, failures: int = 1) -> float:
        """The wait after ``failures`` failures in a row (for tests and docs)."""
        state = tenacity.RetryCallState(tenacity.Retrying(), None, (), {})
        state.attempt_number = failures
        return float(self.backoff(state))

    def _idle(self) -> None:
        # In slices with a beat between them: a watcher idle for a minute between
        # checks must not look dead meanwhile.
        deadline = time.monotonic() + self.idle_wait
        while not self.stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if self.wakeup is None:
                self.stop.wait(min(remaining, self.beat_every))
            elif self.wakeup.wait(min(remaining, self.beat_every)):
                self.wakeup.clear()
                return
            self._beat("running")

    def _beat(
        self, state: State, *, error: str | None = None, force: bool = False, started: bool = False
    ) -> None:
        now = time.monotonic()
        if not (force or started or state == "stopped") and now - self._last_beat < self.beat_every:
            return
        self._last_beat = now
        self._beaten_error = error
        lag = self._lag() if state != "stopped" else None
        try:
            with self.pool.connection(timeout=BEAT_CHECKOUT_SECONDS) as conn:
                beat(
                    conn,
                    worker=self.name,
                    kind=self.kind,
                    state=state,
                    lag=lag,
                    error=error,
                    detail={"failures": self.failures} if self.failures else None,
                    started=started,
                )
        except Exception as exc:
            log.warning("worker.heartbeat_failed", worker=self.name, error=str(exc))

    def _lag(self) -> int | None:
        if self.lag is None:
            return None
        try:
            return self.lag()
        except Exception as exc:
            log.warning("worker.lag_failed", worker=self.name, error=str(exc))
            return None


def run_worker(
    step: Step,
    stop: threading.Event,
    pool: ConnectionPool,
    *,
    name: str,
    kind: str,
    idle_wait: float,
    lag: Lag | None = None,
    wakeup: threading.Event | None = None,
) -> None:
    """Turn ``step`` until ``stop`` is set (see the module's docstring)."""
    Worker(
        step, stop, pool, name=name, kind=kind, idle_wait=idle_wait, lag=lag, wakeup=wakeup
    ).run()
