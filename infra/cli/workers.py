"""`appeals relay`, `consume` and `deadlines`: the workers, each its own process."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from infra.cli.app import app, load_settings, require_kafka, stop_on_signals


@app.command()
def relay() -> None:
    """Publish committed events from the event store to Kafka, in order, at least once.
    Needs DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS. Resumes where it stopped."""
    from infra.bootstrap import build, build_relay

    settings = load_settings()
    require_kafka(settings)
    stop = stop_on_signals()
    container = build(settings)
    try:
        relay = build_relay(container)
        try:
            relay.run(stop, settings.poll_interval_seconds)
        finally:
            relay.producer.close(timeout=5)
    finally:
        container.close()


class Feed(StrEnum):
    projections = "projections"
    instructions = "instructions"


@app.command()
def consume(
    what: Annotated[
        Feed,
        typer.Argument(
            help="projections: feed the read models. instructions: a regional office "
            "receives the instructions addressed to its region (needs --region)."
        ),
    ] = Feed.projections,
    group: Annotated[
        str | None, typer.Option(help="Kafka consumer group [APPEALS_CONSUMER_GROUP].")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Regional office code, e.g. REG-ALA (instructions).")
    ] = None,
) -> None:
    """Consume from Kafka.

    `appeals consume` feeds the read models; start several with one group to share
    partitions; each stores its offsets with the read model, so a restart loses and
    repeats nothing. `appeals consume instructions --region REG-ALA` reads only that
    region's instruction topic and records each instruction's receipt, once.
    """
    from infra.bootstrap import build, build_consumer, build_regional_consumer

    settings = load_settings()
    require_kafka(settings)
    if what == Feed.instructions and not region:
        typer.echo(
            "`appeals consume instructions` needs --region, e.g. --region REG-ALA.", err=True
        )
        raise typer.Exit(2)
    stop = stop_on_signals()
    container = build(settings)
    try:
        if what == Feed.projections:
            build_consumer(container, group).run(stop)
        else:
            assert region is not None
            if container.service.offices.region_of(region) != region:
                typer.echo(f"{region} is not a regional office; use its region's code.", err=True)
                raise typer.Exit(2)
            build_regional_consumer(container, region).run(stop)
    finally:
        container.close()


@app.command()
def deadlines(
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep running, every APPEALS_DEADLINE_CHECK_SECONDS.")
    ] = False,
) -> None:
    """Record deemed refusals of appeals undecided past their due date (APPC art. 91(2))
    and mark overdue instructions. Safe to run from several processes at once; run it
    once a day from cron, or with --watch as a service (embedded mode runs it itself)."""
    from infra.bootstrap import build

    settings = load_settings()
    stop = stop_on_signals()
    container = build(settings)
    try:
        watcher = container.deadline_watcher()
        if watch:
            watcher.run(stop, settings.deadline_check_seconds)
        else:
            result = watcher.run_once()
            typer.echo(
                f"{result.appeals_deemed_refused} appeals deemed refused, "
                f"{result.instructions_marked_overdue} instructions marked overdue."
            )
    finally:
        container.close()
