"""Issue 12's targets, each printed with what was measured and whether it is met, so a
run of `make bench` answers "are we there" without reading docs/benchmarks.md."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table


@dataclass(frozen=True)
class Target:
    goal: str
    measured: str
    met: bool


def targets_table(title: str, targets: list[Target]) -> Table:
    table = Table(title=title)
    table.add_column("target")
    table.add_column("measured", justify="right")
    table.add_column("met", justify="center")
    for target in targets:
        table.add_row(
            target.goal,
            target.measured,
            "[green]yes[/green]" if target.met else "[red]no[/red]",
        )
    return table


def at_least(goal: str, ratio: float, floor: float) -> Target:
    """A ratio to a yardstick that should be ``floor`` or more."""
    return Target(goal, f"{ratio:.2f}x", ratio >= floor)


def under_ms(goal: str, seconds: float, ceiling_ms: float) -> Target:
    return Target(goal, f"{seconds * 1000:,.0f} ms", seconds * 1000 < ceiling_ms)
