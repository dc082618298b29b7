"""`appeals bench`: throughput of each stage of the pipeline, measured side by side in
one run on real PostgreSQL and a real Kafka broker (started locally unless
DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS are set)."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from consumers.eventstore_feed import EventStoreFeed
from domain.access import Principal, Role
from domain.applicants import Applicant
from domain.commands import AssignAppeal, ReceiveAppeal
from domain.service import AppealsService
from infra.adapters.settings import Settings
from infra.bench import anchors
from infra.bench.ingest import ingest
from infra.bench.scratch import scratch_pipeline
from infra.bench.targets import at_least, targets_table
from infra.bootstrap import all_projections, build, build_consumer, build_relay


def _staff(actor: str) -> Principal:
    # The office's registrar: who receives an appeal there and routes it (domain/authority.py).
    return Principal(sub=actor, role=Role.REGISTRAR, office="REG-ALA")


def _timed(label: str, total: int, step: Callable[[], int], progress: Progress) -> float:
    task = progress.add_task(label, total=total)
    done = 0
    started = time.perf_counter()
    while done < total:
        n = step()
        done += n
        progress.update(task, advance=n)
    return time.perf_counter() - started


def run_bench(appeals: int, console: Console) -> tuple[Table, Table]:
    """The stages' table, and issue 12's targets for them."""
    base = Settings()
    with ExitStack() as stack:
        settings = scratch_pipeline(base, stack, "bench")
        url = str(settings.database_url)
        container = build(settings)
        stack.callback(container.close)
        events = appeals * 2
        results: list[tuple[str, int, float]] = []
        with Progress(console=console, transient=True) as progress:
            ids = []

            def command() -> int:
                outcome = container.service.bus.send(
                    ReceiveAppeal(
                        channel="written",
                        office="REG-ALA",
                        summary="bench",
                        applicant=Applicant(iin="791028302728", name="Bench Applicant"),
                    ),
                    _staff("bench"),
                )
                ids.append(outcome.appeal_id)
                return 1

            results.append(
                (
                    "receive appeal (command)",
                    appeals,
                    _timed("commands", appeals, command, progress),
                )
            )
            it = iter(list(ids))

            def assign() -> int:
                container.service.bus.send(
                    AssignAppeal(appeal_id=next(it), assignee="p", office="REG-ALA"),
                    _staff("bench"),
                )
                return 1

            results.append(
                (
                    "assign appeal (load + command)",
                    appeals,
                    _timed("assignments", appeals, assign, progress),
                )
            )
            feed = EventStoreFeed(
                app=container.service,
                pool=container.pool,
                projections=all_projections(),
                name="bench-feed",
            )
            results.append(
                (
                    "embedded feed -> read models",
                    events,
                    _timed("embedded feed", events, feed.run_once, progress),
                )
            )
            # The consumer joins its group before the events arrive (the topic is empty
            # then): joining takes a broker's rebalance, which is not throughput.
            consumer = build_consumer(container)
            stack.callback(consumer.close)
            joined_by = time.monotonic() + 60
            while not consumer.consumer.assignment() and time.monotonic() < joined_by:
                consumer.poll_once(timeout_ms=100)
            relay = build_relay(container)
            stack.callback(relay.producer.close)
            results.append(
                (
                    "relay -> Kafka (acks=all)",
                    events,
                    _timed("relay", events, relay.run_once, progress),
                )
            )
            results.append(
                (
                    "Kafka consumer -> read models",
                    events,
                    _timed("consumer", events, consumer.poll_once, progress),
                )
            )
            for workers, clients in ((1, 1), (1, 8), (2, 8)):
                label = f"POST /appeals over HTTP, {clients} client(s), {workers} worker(s)"
                task = progress.add_task(label, total=appeals)
                took = ingest(
                    url,
                    settings.data_dir / "bench",
                    workers=workers,
                    clients=clients,
                    total=appeals,
                    tick=partial(progress.advance, task),
                )
                results.append((label, appeals, took))
            anchor_rows = _anchors(url, container.service, appeals, progress)

    table = Table(title=f"appeals bench: {appeals} appeals, {events} events")
    table.add_column("stage")
    table.add_column("items", justify="right")
    table.add_column("seconds", justify="right")
    table.add_column("per second", justify="right")
    table.add_column("against the library's own", justify="right")
    rates = {label: count / seconds for label, count, seconds in results + anchor_rows}
    for label, count, seconds in results + anchor_rows:
        anchor = SAVE if label.startswith("POST /appeals") else ANCHOR_OF.get(label)
        against = f"{rates[label] / rates[anchor]:.2f}x {anchor}" if anchor else ""
        table.add_row(label, str(count), f"{seconds:.2f}", f"{rates[label]:,.0f}", against)
    http = max(rate for label, rate in rates.items() if label.startswith(EIGHT_CLIENTS))
    targets = [
        at_least(
            "receive in-process >= 0.9x the save loop",
            rates["receive appeal (command)"] / rates[SAVE],
            0.9,
        ),
        at_least("POST /appeals, 8 clients >= 1.0x the save loop", http / rates[SAVE], 1.0),
        at_least(
            "Kafka consumer >= 10x ProjectionRunner",
            rates["Kafka consumer -> read models"] / rates[PROJECT],
            10.0,
        ),
    ]
    return table, targets_table("issue 12 targets: the pipeline", targets)


EIGHT_CLIENTS = "POST /appeals over HTTP, 8 client(s)"


SAVE = "library: Application.save loop"
PROJECT = "library: ProjectionRunner"
INSERT = "PostgreSQL: single-row inserts"
ANCHOR_OF = {
    "receive appeal (command)": SAVE,
    "embedded feed -> read models": PROJECT,
    "Kafka consumer -> read models": PROJECT,
}
"""Which yardstick each stage is read against (issue 12's targets are these ratios)."""


def _anchors(
    url: str, service: AppealsService, appeals: int, progress: Progress
) -> list[tuple[str, int, float]]:
    """The library's and the database's own rates for the same work, same run."""
    rows = []
    task = progress.add_task("library save", total=appeals)
    rows.append(
        (SAVE, appeals, anchors.save_loop(url, service, appeals, lambda: progress.advance(task)))
    )
    task = progress.add_task("library projection", total=appeals)
    applied, took = anchors.projection_run(url, appeals, lambda n: progress.advance(task, n))
    rows.append((PROJECT, applied, took))
    task = progress.add_task("single-row inserts", total=appeals)
    rows.append(
        (INSERT, appeals, anchors.insert_loop(url, appeals, lambda: progress.advance(task)))
    )
    return rows
