"""The worker loop on a real PostgreSQL: retries with back-off, heartbeats, prompt stop."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg_pool import ConnectionPool

from infra.adapters.heartbeats import Heartbeat
from infra.workers.loop import BACKOFF_MAX_SECONDS, Worker
from tests.e2e.processes import appeals_process
from tests.pipeline import heartbeat, in_state
from tests.support import wait_until

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def pool(database_url: str) -> Iterator[ConnectionPool]:
    p = ConnectionPool(database_url, min_size=1, max_size=3, open=True)
    yield p
    p.close()


def test_a_failing_step_is_retried_and_recovers_with_heartbeats(pool: ConnectionPool) -> None:
    stop = threading.Event()
    calls = 0
    seen_while_failing: list[Heartbeat | None] = []

    def step() -> int:
        nonlocal calls
        calls += 1
        if calls <= 2:
            raise RuntimeError(f"broker away ({calls})")
        if calls == 3:
            seen_while_failing.append(heartbeat(pool, "test:flaky"))
        return 0

    worker = Worker(step, stop, pool, name="test:flaky", kind="test", idle_wait=0.05, lag=lambda: 7)
    thread = threading.Thread(target=worker.run, daemon=True)
    started = time.monotonic()
    thread.start()
    wait_until(lambda: calls >= 4, timeout=20, what="the step to run after two failures")
    recovered_after = time.monotonic() - started
    running = wait_until(
        lambda: in_state(pool, "test:flaky", "running"),
        timeout=10,
        what="the running heartbeat after recovery",
    )
    stop.set()
    stopped_at = time.monotonic()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert time.monotonic() - stopped_at < 2.0, "stop must end the loop promptly"

    [failing] = seen_while_failing
    assert failing is not None and failing.state == "failing"
    assert failing.error is not None and "broker away (2)" in failing.error
    assert failing.kind == "test"
    assert running.error is None and running.lag == 7
    # Two back-offs (about 0.2 s then 0.4 s, plus jitter), not a tight loop nor a long wait.
    assert 0.2 < recovered_after < 5.0
    final = heartbeat(pool, "test:flaky")
    assert final is not None and final.state == "stopped" and final.down


def test_stop_interrupts_a_long_back_off(pool: ConnectionPool) -> None:
    stop = threading.Event()

    def step() -> int:
        raise RuntimeError("always")

    worker = Worker(
        step, stop, pool, name="test:always", kind="test", idle_wait=1.0, backoff_initial=30.0
    )
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    wait_until(
        lambda: in_state(pool, "test:always", "failing"),
        timeout=10,
        what="the failing heartbeat",
    )
    stopped_at = time.monotonic()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert time.monotonic() - stopped_at < 2.0
    assert max(worker.retry_delay(n) for n in range(1, 40)) <= BACKOFF_MAX_SECONDS, "capped"
    assert len({worker.retry_delay(30) for _ in range(5)}) > 1, "jittered at the cap too"


def test_a_long_idle_wait_still_beats(pool: ConnectionPool) -> None:
    stop = threading.Event()
    worker = Worker(
        lambda: 0, stop, pool, name="test:idle", kind="test", idle_wait=60.0, beat_every=0.2
    )
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: in_state(pool, "test:idle", "running"), timeout=10, what="a beat")
        time.sleep(1.5)
        fresh = heartbeat(pool, "test:idle")
        assert fresh is not None and fresh.age_seconds < 1.0, "beats while idle"
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_a_heartbeat_that_cannot_be_written_does_not_end_the_loop(pool: ConnectionPool) -> None:
    stop = threading.Event()
    calls = 0

    def step() -> int:
        nonlocal calls
        calls += 1
        return 0

    with pool.connection() as conn:
        # The table in a shape the upsert cannot write to: every beat fails.
        conn.execute("DROP TABLE worker_heartbeats")
        conn.execute("CREATE TABLE worker_heartbeats (worker text)")
    worker = Worker(step, stop, pool, name="test:nobeat", kind="test", idle_wait=0.01)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    wait_until(lambda: calls >= 20, timeout=10, what="steps despite failing heartbeats")
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_sigterm_stops_a_worker_process_gracefully(
    pool: ConnectionPool, database_url: str, scratch_dir: Path
) -> None:
    log = scratch_dir / "deadlines.log"
    env = {"DATABASE_URL": database_url, "APPEALS_LOG_FORMAT": "json"}
    with appeals_process(["deadlines", "--watch"], env, log) as proc:

        def running_heartbeat() -> Heartbeat | None:
            assert proc.poll() is None, "the watcher exited"
            return in_state(pool, "deadlines", "running")

        running = wait_until(
            running_heartbeat,
            timeout=90,
            what="the deadline watcher's running heartbeat",
        )
        assert running.kind == "deadlines" and running.pid == proc.pid
        stopped_at = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0, log.read_text(errors="replace")[-3000:]
        took = time.monotonic() - stopped_at
    final = heartbeat(pool, "deadlines")
    assert final is not None and final.state == "stopped"
    # The watcher waits a minute between checks by default: the signal cuts the wait short.
    assert took < 10.0
