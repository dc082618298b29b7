"""`appeals postgres`, `kafka`, `up` and `down`: local services for development."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from infra.cli.app import PortOpt, app, load_settings, stop_on_signals


@app.command()
def postgres(
    data_dir: Annotated[Path | None, typer.Option(help="Where the data lives.")] = None,
) -> None:
    """Run the embedded PostgreSQL in the foreground and print its DATABASE_URL."""
    from infra.adapters.embedded_postgres import EmbeddedPostgres

    settings = load_settings()
    stop = stop_on_signals()
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
    from infra.local.kafka_broker import KafkaBroker

    settings = load_settings()
    stop = stop_on_signals()
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
    from infra.local.stack import Stack

    settings = load_settings()
    Stack(settings.data_dir).up(api_port=port or settings.api_port, kafka_port=kafka_port)


@app.command()
def down() -> None:
    """Stop what `appeals up` started."""
    from infra.local.stack import Stack

    settings = load_settings()
    Stack(settings.data_dir).down()
