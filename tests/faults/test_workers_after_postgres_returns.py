"""PostgreSQL crashes under the workers and comes back: within seconds the relay and
the projection consumer apply new appeals again, the regional consumer receives new
instructions, and the deadline watcher beats ``running``; nothing acknowledged before,
during or after the outage is lost or received twice.

The workers run as threads on the worker loop, as ``appeals relay``, ``consume``,
``regional`` and ``deadlines --watch`` run them; PostgreSQL is this module's own and is
crashed (``immediate``, recovered from the WAL on start); the broker stays up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from uuid import UUID

import pytest

from infra.bootstrap import Container, build, build_consumer, build_regional_consumer, build_relay
from tests.faults.postgres import StoppablePostgres, postgres_of_its_own
from tests.pipeline import applied_up_to, heartbeat, issue, receipts, record_appeal
from tests.support import settings_for, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.kafka]

OUTAGE_SECONDS = 6.0
RECOVERY_BOUND_SECONDS = 5.0
REGION = "REG-ALA"
ADDRESSEE = "DIS-ALA-MEDEU"  # a district office of the region: its instructions go there

T = TypeVar("T")


@dataclass
class Acknowledged:
    """What the writer was told was stored, with when (monotonic) it was told."""

    appeals: list[tuple[float, int]] = field(default_factory=list)
    instructions: list[tuple[float, UUID]] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def first_after(self, moment: float) -> tuple[tuple[float, int], tuple[float, UUID]] | None:
        with self.lock:
            appeal = next((a for a in self.appeals if a[0] > moment), None)
            instruction = next((i for i in self.instructions if i[0] > moment), None)
        return (appeal, instruction) if appeal and instruction else None


def write(container: Container, acknowledged: Acknowledged, stop: threading.Event) -> None:
    """Records an appeal and issues an instruction by turns, retrying through the outage
    as a client told 503 would."""
    turn = 0
    while not stop.is_set():
        turn += 1
        try:
            if turn % 2:
                position = record_appeal(container)
                with acknowledged.lock:
                    acknowledged.appeals.append((time.monotonic(), position))
            else:
                instruction = issue(container, ADDRESSEE)
                with acknowledged.lock:
                    acknowledged.instructions.append((time.monotonic(), instruction))
        except Exception:
            with acknowledged.lock:
                acknowledged.errors += 1
        stop.wait(0.1)


def answered(probe: Callable[[], T]) -> Callable[[], T | None]:
    """The probe, with an unreachable database read as "not yet"."""

    def safely() -> T | None:
        try:
            return probe()
        except Exception:
            return None

    return safely


@pytest.fixture
def server(scratch_root: Path) -> Iterator[StoppablePostgres]:
    with postgres_of_its_own(scratch_root, "workers-outage") as pg:
        yield pg


def test_every_worker_works_again_within_seconds_of_postgres_returning(
    server: StoppablePostgres, kafka_bootstrap: str
) -> None:
    container = build(settings_for(server.url, kafka_bootstrap))
    stop, writing = threading.Event(), threading.Event()
    relay = build_relay(container)
    consumer = build_consumer(container)
    regional = build_regional_consumer(container, REGION)
    watcher = container.deadline_watcher()
    threads = [
        threading.Thread(target=relay.run, args=(stop, 0.05), daemon=True),
        threading.Thread(target=consumer.run, args=(stop,), daemon=True),
        threading.Thread(target=regional.run, args=(stop,), daemon=True),
        threading.Thread(target=watcher.run, args=(stop, 1.0), daemon=True),
    ]
    acknowledged = Acknowledged()
    writer = threading.Thread(target=write, args=(container, acknowledged, writing), daemon=True)
    for thread in threads:
        thread.start()
    writer.start()
    try:
        wait_until(
            lambda: (
                acknowledged.first_after(0.0)
                and applied_up_to(container, acknowledged.appeals[0][1])
                and receipts(container, acknowledged.instructions[0][1])
            ),
            timeout=90,
            what="the pipeline to apply an appeal and deliver an instruction",
        )

        down = time.monotonic()
        server.stop("immediate")
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down)))
        server.start()
        back = time.monotonic()  # accepting connections again from here

        def watcher_running_again() -> bool:
            beat = heartbeat(container.pool, "deadlines")
            return (
                beat is not None
                and beat.state == "running"
                and beat.age_seconds < time.monotonic() - back
            )

        wait_until(answered(watcher_running_again), timeout=30, interval=0.05, what="watcher")
        watcher_back = time.monotonic() - back

        firsts = wait_until(
            lambda: acknowledged.first_after(back), timeout=30, what="commands after the outage"
        )
        (appeal_at, position), (issued_at, instruction) = firsts
        wait_until(
            answered(lambda: applied_up_to(container, position)),
            timeout=30,
            interval=0.05,
            what="the first appeal recorded after the outage to be applied",
        )
        applied = time.monotonic()
        wait_until(
            answered(lambda: receipts(container, instruction)),
            timeout=30,
            interval=0.05,
            what="the first instruction issued after the outage to be received",
        )
        received = time.monotonic()
    finally:
        writing.set()
        writer.join(30)

    try:
        print(
            f"\nPostgreSQL crashed for {back - down:.1f} s (restart included); after it "
            f"accepted connections again: the deadline watcher beat running in "
            f"{watcher_back:.2f} s; the first appeal recorded after it "
            f"({appeal_at - back:.2f} s) was applied by the relay and the consumer "
            f"{applied - appeal_at:.2f} s later ({applied - back:.2f} s after the return); "
            f"the first instruction issued after it ({issued_at - back:.2f} s) was received "
            f"by {REGION} {received - issued_at:.2f} s later ({received - back:.2f} s); "
            f"{acknowledged.errors} commands refused during the outage"
        )
        assert acknowledged.errors > 0, "the outage was not noticed"
        assert watcher_back < RECOVERY_BOUND_SECONDS
        assert applied - back < RECOVERY_BOUND_SECONDS
        assert received - back < RECOVERY_BOUND_SECONDS

        # Nothing acknowledged is lost, nothing received twice.
        newest = max(p for _, p in acknowledged.appeals)
        wait_until(lambda: applied_up_to(container, newest), timeout=60, what="every appeal")
        every_instruction = [i for _, i in acknowledged.instructions]
        wait_until(
            lambda: all(receipts(container, i) for i in every_instruction),
            timeout=60,
            what="every instruction received",
        )
        assert [receipts(container, i) for i in every_instruction] == [1] * len(every_instruction)
        group = container.settings.consumer_group
        for worker in ("relay:kafka", f"regional:{REGION}", f"consumer:{group}", "deadlines"):
            beat = heartbeat(container.pool, worker)
            assert beat is not None and beat.state == "running", (worker, beat)
    finally:
        stop.set()
        for thread in threads:
            thread.join(15)
        relay.producer.close(timeout=5)
        container.close()
