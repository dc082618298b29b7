"""The `appeals` command: run the service, its workers and local infrastructure."""

from __future__ import annotations

import os
import signal
import threading
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from infra.adapters.settings import Settings
from infra.cli.instructions import app as instructions_app
from infra.cli.migrate import migrate
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
app.add_typer(instructions_app, name="instructions")
app.command()(migrate)


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
            container.start_deadline_watcher()
        bound = f"http://{host or settings.api_host}:{port or settings.api_port}"
        mode = "distributed" if settings.distributed else "embedded"
        typer.echo(f"appeals ({mode}) on {bound}  - API docs {bound}/docs, Ctrl-C stops", err=True)
        if hint:
            typer.echo(
                "sign in: `.venv/bin/appeals token --role supervisor --office GPO` prints a "
                f"token; send it as `Authorization: Bearer <token>` or paste it at {bound}/ui",
                err=True,
            )
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

    settings = _settings()
    _require_kafka(settings)
    if what == Feed.instructions and not region:
        typer.echo(
            "`appeals consume instructions` needs --region, e.g. --region REG-ALA.", err=True
        )
        raise typer.Exit(2)
    stop = _stop_on_signals()
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

    settings = _settings()
    stop = _stop_on_signals()
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


@app.command()
def postgres(
    data_dir: Annotated[Path | None, typer.Option(help="Where the data lives.")] = None,
) -> None:
    """Run the embedded PostgreSQL in the foreground and print its DATABASE_URL."""
    from infra.adapters.embedded_postgres import EmbeddedPostgres

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
    from infra.local.kafka_broker import KafkaBroker

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
    from infra.local.stack import Stack

    settings = _settings()
    Stack(settings.data_dir).up(api_port=port or settings.api_port, kafka_port=kafka_port)


@app.command()
def down() -> None:
    """Stop what `appeals up` started."""
    from infra.local.stack import Stack

    settings = _settings()
    Stack(settings.data_dir).down()


@app.command()
def token(
    role: Annotated[
        str,
        typer.Option(
            help="registrar, prosecutor, supervisor, regional_office, auditor or administrator."
        ),
    ],
    office: Annotated[str, typer.Option(help="The user's office code, e.g. GPO or REG-ALA.")],
    sub: Annotated[str | None, typer.Option(help="The user id (default: <role>.<office>).")] = None,
    hours: Annotated[float, typer.Option(min=0.01, max=24 * 30, help="Lifetime.")] = 8.0,
) -> None:
    """Mint a signed bearer token for local use and tests, with the configured key.
    Use it as `Authorization: Bearer <token>`, or paste it on the dashboard's sign-in page."""
    from datetime import timedelta

    from domain.access import Role
    from domain.offices import OfficeDirectory
    from infra.adapters.tokens import TokenService

    settings = _settings()
    try:
        parsed = Role(role)
    except ValueError:
        typer.echo(
            f"Unknown role {role!r}; use one of: {', '.join(r.value for r in Role)}.", err=True
        )
        raise typer.Exit(2) from None
    if office not in OfficeDirectory.default():
        typer.echo(f"Unknown office {office!r}; GET /offices lists them.", err=True)
        raise typer.Exit(2)
    tokens = TokenService(settings.jwt_keys, settings.jwt_active_kid, settings.jwt_issuer)
    typer.echo(
        tokens.mint(
            sub=sub or f"{parsed.value}.{office.lower()}",
            role=parsed,
            office=office,
            ttl=timedelta(hours=hours),
        )
    )


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
    console.print(run_bench(appeals, console))


dlq_app = typer.Typer(
    help="Dead letters: events a projection could not apply, and the appeals waiting behind them.",
    no_args_is_help=True,
)
app.add_typer(dlq_app, name="dlq")
ConsumerOpt = Annotated[
    str | None,
    typer.Option(
        "--consumer",
        help="Feeder whose dead letters to use: a Kafka consumer group, `eventstore` "
        "for the embedded feed, or `regional-<REGION>` (e.g. regional-REG-ALA) for a "
        "regional instruction consumer. Default: the one the settings describe.",
    ),
]


@dlq_app.command("list")
def dlq_list(
    consumer: ConsumerOpt = None,
    all_consumers: Annotated[bool, typer.Option("--all", help="Every consumer.")] = False,
    resolved: Annotated[bool, typer.Option(help="Include resolved ones.")] = False,
) -> None:
    """Show unresolved dead letters, in the order they will be retried."""
    from rich.console import Console

    from infra.bootstrap import build
    from infra.cli import dlq

    container = build(_settings())
    try:
        name = None if all_consumers else consumer or dlq.default_consumer(container)
        Console(width=max(Console().width, 220)).print(
            dlq.table(dlq.list_letters(container, name, resolved))
        )
        if name is not None:
            others = {c: n for c, n in dlq.counts_by_consumer(container).items() if c != name}
            for other, count in others.items():
                typer.echo(
                    f"also {count} unresolved dead letter(s) of {other}: "
                    f"`appeals dlq list --consumer {other}` (or --all)"
                )
    finally:
        container.close()


@dlq_app.command("retry")
def dlq_retry(consumer: ConsumerOpt = None) -> None:
    """Apply the dead letters again after a fix: per appeal, in their original order,
    stopping at the first that still fails. Exit status 1 if any still fail."""
    from infra.bootstrap import build
    from infra.cli import dlq

    container = build(_settings())
    try:
        report = dlq.retry(container, consumer or dlq.default_consumer(container))
    finally:
        container.close()
    typer.echo(
        f"applied {len(report.applied)}, still failing {len(report.failed)}, "
        f"still waiting behind them {report.waiting}"
    )
    for letter_id, error in report.failed:
        typer.echo(f"  #{letter_id}: {error}", err=True)
    if report.failed:
        raise typer.Exit(1)


@dlq_app.command("resolve")
def dlq_resolve(
    ids: Annotated[list[int], typer.Argument(help="Dead-letter ids (see `dlq list`).")],
) -> None:
    """Discard dead letters: mark them resolved without applying them, so the appeals
    waiting behind them can be retried."""
    from infra.bootstrap import build
    from infra.cli import dlq

    container = build(_settings())
    try:
        typer.echo(f"resolved {dlq.resolve(container, ids)}")
    finally:
        container.close()


class RebuildSource(StrEnum):
    eventstore = "eventstore"
    kafka = "kafka"


@app.command()
def rebuild(
    projection: Annotated[
        str,
        typer.Argument(
            help="The read model: history, register, oversight_facts or instruction_status."
        ),
    ],
    source: Annotated[
        RebuildSource,
        typer.Option("--from", help="Replay the event store, or the topic from its start."),
    ] = RebuildSource.eventstore,
    drop_old: Annotated[
        bool, typer.Option("--drop-old", help="Drop the previous table version after the swap.")
    ] = False,
) -> None:
    """Rebuild a read model into a new table version while the current one keeps
    serving, then swap it in atomically. Live feeders pause only for the swap."""
    from infra.bootstrap import build
    from infra.cli.rebuild import rebuildable, run_rebuild

    if projection not in rebuildable():
        typer.echo(f"unknown projection {projection!r}; one of {sorted(rebuildable())}", err=True)
        raise typer.Exit(2)
    settings = _settings()
    if source is RebuildSource.kafka:
        _require_kafka(settings)
    container = build(settings)
    try:
        result = run_rebuild(container, projection, source.value, drop_old=drop_old)
    finally:
        container.close()
    typer.echo(
        f"{result.projection}: {result.table} (version {result.version}) is live, "
        f"{result.applied} events applied, {result.skipped} skipped; "
        f"{result.old_table} {'dropped' if result.dropped_old else 'kept'}"
    )


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

    from infra.demo.generate import DemoDataPresent, DemoInTheFuture, run_command

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
    """Time the register's queries (filters, sorting, paging, office scope) at a large
    size, on a scratch database filled with synthetic rows."""
    from rich.console import Console

    from infra.bench.register import run_register_bench

    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    console = Console()
    console.print(run_register_bench(rows, repeats, console))


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
