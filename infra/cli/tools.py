"""`appeals demo`, `bench` and `bench-register`: data and measurements."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from infra.adapters.settings import Settings
from infra.cli.app import app
from infra.observability.logging import configure_logging


@app.command()
def bench(
    appeals: Annotated[int, typer.Option(min=1, help="How many appeals to push through.")] = 2000,
) -> None:
    """Measure each pipeline stage side by side in one run: commands, embedded feed,
    relay to Kafka and Kafka consumer, on real PostgreSQL and Kafka (started locally
    unless DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS are set)."""
    from rich.console import Console

    from infra.bench.pipeline import run_bench

    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    console = Console()
    stages, targets = run_bench(appeals, console)
    console.print(stages)
    console.print(targets)


@app.command()
def demo(
    scale: Annotated[
        float,
        typer.Option(min=0.01, help="Multiplies every volume; 1.0 is the Center's two months."),
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="Same seed, same data set.")] = 7,
    today: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="The day the data set ends on (YYYY-MM-DD; default: today in Kazakhstan, "
            "or APPEALS_CLOCK_START's day). Same seed, scale and day, same data set.",
        ),
    ] = None,
) -> None:
    """Fill the store with a realistic data set through the application services:
    appeals in every state, the Center's two months, reception schedules and
    appointments, instructions. Embedded PostgreSQL under ./.data unless DATABASE_URL
    is set (it joins the one `appeals run` started)."""
    from rich.console import Console

    from infra.demo.generate import run_command
    from infra.demo.support import DemoDataPresent, DemoInTheFuture

    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    try:
        run_command(
            settings,
            today=today.date() if today else None,
            scale=scale,
            seed=seed,
            console=Console(),
        )
    except (DemoDataPresent, DemoInTheFuture) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


@app.command("bench-register")
def bench_register(
    rows: Annotated[int, typer.Option(min=1000, help="How many appeals the register holds.")] = (
        1_000_000
    ),
    repeats: Annotated[int, typer.Option(min=1, help="Runs of each query.")] = 5,
) -> None:
    """Time the register's queries (filters, sorting, paging, office scope) and the
    oversight queries (activity, cohort decisions, redirects, reception centres) at a
    large size, on a scratch database filled with synthetic rows and their facts."""
    from rich.console import Console

    from infra.bench.register import run_register_bench

    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    console = Console()
    for table in run_register_bench(rows, repeats, console):
        console.print(table)


@app.command("bench-crowd")
def bench_crowd(
    clients: Annotated[int, typer.Option(min=1, help="Concurrent clients.")] = 200,
    seconds: Annotated[float, typer.Option(min=1, help="How long each setup runs.")] = 15.0,
    setups: Annotated[
        str,
        typer.Option(
            help="API setups to compare, as PROCESSESxPOOL[xTHREADS], comma-separated: "
            "2x10x16 is two API processes, each with a database pool of 10 and 16 "
            "handler threads (default 40)."
        ),
    ] = "1x10,2x10,2x10x12",
    client_processes: Annotated[
        int, typer.Option(min=1, help="Processes the clients are spread over.")
    ] = 4,
) -> None:
    """Many clients at once (90% single-appeal reads, 10% new appeals) against real API
    processes on a scratch database: failures and read latency per setup, side by side."""
    from rich.console import Console

    from infra.bench.crowd import Setup, run_crowd_bench

    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    try:
        parsed = [Setup(*(int(n) for n in s.lower().split("x"))) for s in setups.split(",")]
    except (TypeError, ValueError):
        typer.echo(
            f"--setups {setups!r}: write PROCESSESxPOOL[xTHREADS], e.g. 1x5,2x10x12", err=True
        )
        raise typer.Exit(2) from None
    console = Console()
    console.print(run_crowd_bench(clients, seconds, parsed, console, client_processes))


@app.command("bench-rebuild")
def bench_rebuild(
    sizes: Annotated[
        str,
        typer.Option(
            help="Events in the history at each measurement, comma-separated; the history "
            "grows from one to the next. The full sizes: 500000,1000000,2000000,5000000."
        ),
    ] = "20000,50000",
) -> None:
    """Rebuild each read model from the event store at growing history sizes, on a
    scratch database filled straight through the domain (not the API): events per
    second at each size."""
    from rich.console import Console

    from infra.bench.rebuild import run_rebuild_bench

    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    try:
        parsed = [int(s.replace("_", "")) for s in sizes.split(",")]
    except ValueError:
        typer.echo(f"--sizes {sizes!r}: write event counts, e.g. 20000,50000", err=True)
        raise typer.Exit(2) from None
    console = Console()
    for table in run_rebuild_bench(parsed, console):
        console.print(table)


@app.command("bench-freshness")
def bench_freshness(
    rates: Annotated[
        str, typer.Option(help="Commands per second to offer, one run each, comma-separated.")
    ] = "100,250,500",
    seconds: Annotated[float, typer.Option(min=1, help="How long each rate is offered.")] = 10.0,
    senders: Annotated[
        int, typer.Option(min=1, max=64, help="Threads sending the commands, each its share.")
    ] = 4,
) -> None:
    """How long a command takes to reach the read models through the relay, Kafka and
    the consumer, at each offered rate: offered against achieved, and p50/p99."""
    from rich.console import Console

    from infra.bench.freshness import run_freshness_bench

    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    try:
        parsed = [int(r) for r in rates.split(",")]
    except ValueError:
        typer.echo(f"--rates {rates!r}: write commands per second, e.g. 100,250,500", err=True)
        raise typer.Exit(2) from None
    console = Console()
    for table in run_freshness_bench(parsed, seconds, console, senders):
        console.print(table)
