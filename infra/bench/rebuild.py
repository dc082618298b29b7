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


def run_rebuild_bench(sizes: list[int], console: Console) -> Table:
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
                table.add_row(f"{stored:,}", *rates)
    return table
