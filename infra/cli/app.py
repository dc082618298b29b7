"""The `appeals` command itself, and what its commands share."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from infra.adapters.settings import Settings
from infra.observability.logging import configure_logging

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
    rich_markup_mode="markdown",
)


def load_settings() -> Settings:
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    return settings


def stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handler(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


HostOpt = Annotated[str | None, typer.Option(help="Interface to listen on [APPEALS_API_HOST].")]
PortOpt = Annotated[int | None, typer.Option(help="Port to listen on [APPEALS_API_PORT].")]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=64,
        help="API worker processes on the port [APPEALS_API_WORKERS, default 1]. More use "
        "more cores (docs/benchmarks.md); the feed then runs in this process, not a worker.",
    ),
]


def require_kafka(settings: Settings) -> None:
    if not settings.kafka_bootstrap_servers:
        typer.echo(
            "KAFKA_BOOTSTRAP_SERVERS is not set. Point it at a broker, e.g. "
            "`appeals kafka` runs one locally on 127.0.0.1:9092.",
            err=True,
        )
        raise typer.Exit(2)
