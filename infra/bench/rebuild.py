"""`appeals bench-rebuild`: how fast each rebuildable read model is rebuilt from the
event store, at several sizes, to see whether the rate holds as the history grows.

The history is generated straight into the event store (appeals built by the domain
code, saved many to a transaction), not through the API: what is measured is the
rebuild, and a million events arrive in a minute, not an hour.
"""

from __future__ import annotations

import time
from contextlib import ExitStack

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from consumers.rebuild import rebuild_from_event_store
from domain.clock import events_on
from infra.adapters.settings import Settings
from infra.bench.anchors import received
from infra.bench.scratch import scratch_database
from infra.bench.targets import Target, targets_table
from infra.bootstrap import Container, all_projections, build
from projections.base import Rebuildable

OFFICES = ("REG-ALA", "DIS-ALA-MEDEU", "REG-AST", "REG-KAR")
PER_SAVE = 250


def generate(container: Container, appeals: int, progress: Progress) -> int:
    """``appeals`` appeals of two events each (received, assigned); the events stored."""
    service = container.service
    task = progress.add_task("generating the history", total=appeals)
    made = 0
    while made < appeals:
        batch = []
        with events_on(service.clock):
            for n in range(min(PER_SAVE, appeals - made)):
                office = OFFICES[(made + n) % len(OFFICES)]
                appeal = received(service, office)
                appeal.assign(
                    assignee=f"p{n % 40}", office=office, actor="bench", offices=service.offices
                )
                batch.append(appeal)
        service.save(*batch)
        made += len(batch)
        progress.advance(task, len(batch))
    return appeals * 2


FULL_SIZE = 5_000_000
FULL_SECONDS = 120.0
STEADY = 0.85  # the rate at the largest size against the smallest: "the same events/s"


def run_rebuild_bench(sizes: list[int], console: Console) -> tuple[Table, Table]:
    """Rates per size and read model, and issue 12's rebuild targets: every read model
    rebuilt from 5M events in under 120 s (projected from the largest size measured when
    that is smaller), and the same rate at every size."""
    base = Settings()
    projections = {p.name: p for p in all_projections() if isinstance(p, Rebuildable)}
    names = sorted(projections)
    table = Table(title="rebuild from the event store, events per second")
    table.add_column("events", justify="right")
    for name in names:
        table.add_column(name, justify="right")
    with ExitStack() as stack:
        _, url = scratch_database(base, stack, "bench_rebuild")
        container = build(base.model_copy(update={"database_url": url}))
        stack.callback(container.close)
        stored = 0
        measured: dict[str, list[tuple[int, float]]] = {name: [] for name in names}
        with Progress(console=console, transient=True) as progress:
            for size in sorted(sizes):
                stored += generate(container, (size - stored) // 2, progress)
                rates = []
                for name in names:
                    task = progress.add_task(f"rebuilding {name} at {stored:,}", total=None)
                    started = time.perf_counter()
                    result = rebuild_from_event_store(
                        container.pool,
                        container.service,
                        projections[name],
                        batch_size=2000,
                        drop_old=True,
                    )
                    took = time.perf_counter() - started
                    progress.remove_task(task)
                    rates.append(f"{result.applied / took:,.0f} ({took:.1f} s)")
                    measured[name].append((stored, result.applied / took))
                table.add_row(f"{stored:,}", *rates)
    return table, targets_table("issue 12 targets: rebuilds", _targets(measured))


def _targets(measured: dict[str, list[tuple[int, float]]]) -> list[Target]:
    largest = max(size for runs in measured.values() for size, _ in runs)
    total = sum(FULL_SIZE / runs[-1][1] for runs in measured.values())
    how = "" if largest >= FULL_SIZE else f", projected from {largest:,} events"
    targets = [
        Target(
            f"every read model from {FULL_SIZE:,} events, one by one, < {FULL_SECONDS:.0f} s",
            f"{total:,.0f} s{how}",
            total < FULL_SECONDS,
        )
    ]
    for name, runs in measured.items():
        first, last = runs[0][1], runs[-1][1]
        targets.append(
            Target(
                f"{name}: the same events/s at every size (>= {STEADY:.0%} of the smallest's)",
                f"{last / first:.0%}",
                len(runs) > 1 and last >= STEADY * first,
            )
        )
    return targets
