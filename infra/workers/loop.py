"""The one loop every background worker turns: the relay, the Kafka consumers, the
embedded feed and the deadline watcher.

A worker is a ``step`` (returns how much work it did, 0 when idle) called until its
stop event is set. A step that raises is logged and tried again after an exponential
back-off with jitter (tenacity's), capped at a few seconds, so a broker or database
outage delays work instead of ending the worker, and many workers do not all come
back at once. Every wait is ``stop.wait`` so SIGTERM ends a worker within a step.

Heartbeats (``infra.workers.heartbeats``) let ``/health`` tell a killed or hung worker
from a failing one: one on start, one on each change between running and failing,
otherwise at most every ``BEAT_EVERY_SECONDS``, and ``stopped`` on a graceful exit.
Each beat takes its own short-lived connection with a short checkout timeout, and a
beat that cannot be written is only logged: liveness reporting must never stop work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import structlog
import tenacity
from psycopg import Connection
from psycopg_pool import ConnectionPool

from infra.workers.heartbeats import BEAT_EVERY_SECONDS, State, beat, create_heartbeat_table

log = structlog.get_logger(__name__)

Step = Callable[[], int]
Lag = Callable[[], int | None]

BACKOFF_INITIAL_SECONDS = 0.2
BACKOFF_MAX_SECONDS = 5.0
BEAT_CHECKOUT_SECONDS = 2.0


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
        self.backoff = tenacity.wait_exponential_jitter(
            multiplier=backoff_initial, max=backoff_max, jitter=backoff_initial
        )
        self.backoff_max = backoff_max
        self.failures = 0
        self.last_error: str | None = None
        self._last_beat = 0.0
        self._beaten_error: str | None = None
        self._retrying = tenacity.Retrying()

    def run(self) -> None:
        log.info(f"{self.kind}.started", worker=self.name)
        self._beat("running", started=True)
        try:
            while not self.stop.is_set():
                self.turn()
        finally:
            self._beat("stopped")
            log.info(f"{self.kind}.stopped", worker=self.name)

    def turn(self) -> None:
        """One step, then the wait it calls for: back-off after an error, the idle
        wait after no work, none after work (there may be more)."""
        try:
            done = self.step()
        except Exception as exc:
            self.failures += 1
            self.last_error = f"{type(exc).__name__}: {exc}"
            delay = self.retry_delay()
            log.error(
                f"{self.kind}.failed",
                worker=self.name,
                error=self.last_error,
                failures=self.failures,
                retry_in=round(delay, 2),
            )
            # A new error is news for /health; the same one again only every few seconds.
            self._beat(
                "failing", error=self.last_error, force=self.last_error != self._beaten_error
            )
            self.stop.wait(delay)
            return
        if self.failures:
            log.info(f"{self.kind}.recovered", worker=self.name, after_failures=self.failures)
            self.failures = 0
            self.last_error = None
            self._beat("running", force=True)
        else:
            self._beat("running")
        if done == 0 and not self.stop.is_set():
            self._idle()

    def retry_delay(self) -> float:
        state = tenacity.RetryCallState(self._retrying, None, (), {})
        state.attempt_number = self.failures
        return min(float(self.backoff(state)), self.backoff_max)

    def _idle(self) -> None:
        if self.idle_wait <= 0:
            return
        if self.wakeup is None:
            self.stop.wait(self.idle_wait)
            return
        self.wakeup.wait(self.idle_wait)
        self.wakeup.clear()

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
                if started:
                    _ensure_heartbeat_table(conn)
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


def _ensure_heartbeat_table(conn: Connection[Any]) -> None:
    # Workers built without the composition root (tests, tools) still beat; checking
    # first keeps processes starting together from racing on CREATE TABLE.
    row = conn.execute("SELECT to_regclass('worker_heartbeats') IS NOT NULL").fetchone()
    if not row or not row[0]:
        create_heartbeat_table(conn)


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
