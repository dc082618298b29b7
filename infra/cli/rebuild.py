"""`appeals rebuild`: the rebuild of consumers/rebuild.py with a progress bar."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from consumers.rebuild import RebuildResult, rebuild_from_event_store, rebuild_from_kafka
from infra.bootstrap import Container, all_projections
from projections.base import Rebuildable


def rebuildable() -> dict[str, Rebuildable]:
    """Rebuildable projections by name, and by their name without ``appeal_``."""
    out: dict[str, Rebuildable] = {}
    for projection in all_projections():
        if isinstance(projection, Rebuildable):
            out[projection.name] = projection
            out[projection.name.removeprefix("appeal_")] = projection
    return out


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(
            f"{speed:,.0f} events/s" if speed else "- events/s", style="progress.data.speed"
        )


class RichProgress:
    """A progress bar with the count, the rate and the time left."""

    def __init__(self, description: str, console: Console | None = None) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
        )
        self.task = self.progress.add_task(description, total=None)

    def __enter__(self) -> RichProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def start(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def advance(self, count: int) -> None:
        self.progress.advance(self.task, count)


def run_rebuild(
    container: Container,
    name: str,
    source: str,
    *,
    drop_old: bool = False,
    console: Console | None = None,
) -> RebuildResult:
    projection = rebuildable()[name]
    settings = container.settings
    with RichProgress(f"rebuild {projection.name} from {source}", console) as bar:
        if source == "kafka":
            if not settings.kafka_bootstrap_servers:
                raise ValueError("--from kafka needs KAFKA_BOOTSTRAP_SERVERS")
            return rebuild_from_kafka(
                container.pool,
                settings.kafka_bootstrap_servers,
                settings.topic,
                projection,
                batch_size=settings.consumer_batch_size,
                progress=bar,
                drop_old=drop_old,
            )
        return rebuild_from_event_store(
            container.pool,
            container.service,
            projection,
            batch_size=settings.consumer_batch_size,
            progress=bar,
            drop_old=drop_old,
        )
