"""`appeals instructions ...`: maintenance commands for instructions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

app = typer.Typer(help="Instructions from higher offices to lower ones.", no_args_is_help=True)


@app.command("mark-overdue")
def mark_overdue(
    today: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="The day to judge by (default: today in Kazakhstan)."
        ),
    ] = None,
) -> None:
    """Mark overdue every instruction past its due date and not executed, once each.
    Candidates come from the instruction_status read model; each is checked against
    its own events. Safe to run from several places at once (run it daily from cron)."""
    from infra.adapters.settings import Settings
    from infra.bootstrap import build
    from infra.observability.logging import configure_logging
    from projections.instructions import InstructionQueries

    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    container = build(settings)
    try:
        day: date = today.date() if today else container.instructions.today()
        candidates = InstructionQueries(container.pool).overdue_candidates(day)
        marked = container.instructions.mark_overdue(day, candidates)
        typer.echo(f"{marked} of {len(candidates)} candidates marked overdue as of {day}.")
    finally:
        container.close()
