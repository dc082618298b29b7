"""The `appeals` command: run the service, its workers and local infrastructure."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from infra.instructions_cli import app as instructions_app
from infra.logging import configure_logging
from infra.settings import Settings

app = typer.Typer(
    help=(
        "Appeals: event-sourced case tracking for citizens' appeals.\n\n"
        "Embedded (one machine, nothing to install): `appeals run`.\n"
        "Distributed: set DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS, then run `appeals api`, "
        "`appeals relay` and `appeals consume` as separate processes (`appeals up` does it "
        "locally). Every setting is an environment variable; see README.md."
    ),
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(instructions_app, name="instructions")


def _settings() -> Settings:
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    return settings


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handler(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


def _serve(
    settings: Settings, host: str | None, port: int | None, feed: bool, hint: bool = False
) -> None:
    import uvicorn

    from api.app import create_app
    from infra.bootstrap import build

    container = build(settings)
    try:
        if feed:
            container.start_feed()
        bound = f"http://{host or settings.api_host}:{port or settings.api_port}"
        mode = "distributed" if settings.distributed else "embedded"
        typer.echo(f"appeals ({mode}) on {bound}  - API docs {bound}/docs, Ctrl-C stops", err=True)
        if hint and not container.service.recorder.max_notification_id():
            typer.echo(
                "no data yet: run `make demo` in another terminal, or POST /appeals", err=True
            )
        uvicorn.run(
            create_app(container),
            host=host or settings.api_host,
            port=port or settings.api_port,
            log_config=None,
            access_log=False,
        )
    finally:
        container.close()


HostOpt = Annotated[str | None, typer.Option(help="Interface to listen on [APPEALS_API_HOST].")]
PortOpt = Annotated[int | None, typer.Option(help="Port to listen on [APPEALS_API_PORT].")]


@app.command()
def run(host: HostOpt = None, port: PortOpt = None) -> None:
    """Embedded mode: API plus in-process projections, on an embedded PostgreSQL under
    ./.data unless DATABASE_URL is set. No Kafka. Ctrl-C stops; data is kept."""
    settings = _settings()
    settings.kafka_bootstrap_servers = None
    _serve(settings, host, port, feed=True, hint=True)


@app.command()
def api(
    host: HostOpt = None,
    port: PortOpt = None,
    feed: Annotated[
        bool | None,
        typer.Option(
            "--feed/--no-feed",
            help="Feed projections in-process from the event store. "
            "Default: only when KAFKA_BOOTSTRAP_SERVERS is unset.",
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (distributed mode when KAFKA_BOOTSTRAP_SERVERS is set)."""
    settings = _settings()
    _serve(settings, host, port, feed=(not settings.distributed) if feed is None else feed)


@app.command()
def relay() -> None:
    """Publish committed events from the event store to Kafka, in order, at least once.
    Needs DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS. Resumes where it stopped."""
    from infra.bootstrap import build, build_relay

    settings = _settings()
    _require_kafka(settings)
    stop = _stop_on_signals()
    container = build(settings)
    try:
        build_relay(container).run(stop, settings.poll_interval_seconds)
    finally:
        container.close()


@app.command()
def consume(
    group: Annotated[
        str | None, typer.Option(help="Kafka consumer group [APPEALS_CONSUMER_GROUP].")
    ] = None,
) -> None:
    """Feed the read models from Kafka. Start several with one group to share partitions;
    each stores its offsets with the read model, so a restart loses and repeats nothing."""
    from infra.bootstrap import build, build_consumer

    settings = _settings()
    _require_kafka(settings)
    stop = _stop_on_signals()
    container = build(settings)
    try:
        build_consumer(container, group).run(stop)
    finally:
        container.close()


@app.command()
def postgres(
    data_dir: Annotated[Path | None, typer.Option(help="Where the data lives.")] = None,
) -> None:
    """Run the embedded PostgreSQL in the foreground and print its DATABASE_URL."""
    from infra.embedded_postgres import EmbeddedPostgres

    settings = _settings()
    stop = _stop_on_signals()
    server = EmbeddedPostgres(data_dir or settings.data_dir / "postgres")
    url = server.start()
    typer.echo(f"DATABASE_URL={url}", err=False)
    try:
        stop.wait()
    finally:
        server.stop()


@app.command()
def kafka(
    port: Annotated[int, typer.Option(help="Client port on 127.0.0.1.")] = 9092,
    work_dir: Annotated[Path | None, typer.Option(help="Broker data and logs.")] = None,
) -> None:
    """Run a local Apache Kafka broker (KRaft, one node) from Maven Central jars."""
    from infra.kafka_broker import KafkaBroker

    settings = _settings()
    stop = _stop_on_signals()
    broker = KafkaBroker(work_dir or settings.data_dir / "kafka", port=port)
    typer.echo(f"KAFKA_BOOTSTRAP_SERVERS={broker.start()}")
    try:
        stop.wait()
    finally:
        broker.stop()


@app.command()
def up(
    port: PortOpt = None,
    kafka_port: Annotated[int, typer.Option(help="Local broker port.")] = 9092,
) -> None:
    """Start the distributed stack locally in the background: PostgreSQL, Kafka, API,
    relay and a consumer, each its own process. `appeals down` stops it."""
    from infra.stack import Stack

    settings = _settings()
    Stack(settings.data_dir).up(api_port=port or settings.api_port, kafka_port=kafka_port)


@app.command()
def down() -> None:
    """Stop what `appeals up` started."""
    from infra.stack import Stack

    settings = _settings()
    Stack(settings.data_dir).down()


@app.command()
def bench(
    appeals: Annotated[int, typer.Option(min=1, help="How many appeals to push through.")] = 2000,
) -> None:
    """Measure each pipeline stage side by side in one run: commands, embedded feed,
    relay to Kafka and Kafka consumer, on real PostgreSQL and Kafka (started locally
    unless DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS are set)."""
    from rich.console import Console

    from infra.bench import run_bench

    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    console = Console()
    console.print(run_bench(appeals, console))


@app.command()
def demo(
    scale: Annotated[
        float,
        typer.Option(min=0.01, help="Multiplies every volume; 1.0 is the Center's two months."),
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="Same seed, same data set.")] = 7,
) -> None:
    """Fill the store with a realistic data set through the application services:
    appeals in every state, the Center's two months, reception schedules and
    appointments, instructions. Embedded PostgreSQL under ./.data unless DATABASE_URL
    is set (it joins the one `appeals run` started)."""
    from rich.console import Console

    from infra.demo import DemoDataPresent, run_command

    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    try:
        run_command(settings, scale=scale, seed=seed, console=Console())
    except DemoDataPresent as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def _require_kafka(settings: Settings) -> None:
    if not settings.kafka_bootstrap_servers:
        typer.echo(
            "KAFKA_BOOTSTRAP_SERVERS is not set. Point it at a broker, e.g. "
            "`appeals kafka` runs one locally on 127.0.0.1:9092.",
            err=True,
        )
        raise typer.Exit(2)


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()
