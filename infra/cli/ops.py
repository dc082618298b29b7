"""`appeals token`, `dlq` and `rebuild`: operating a running installation."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from infra.cli.app import app, load_settings, require_kafka


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
    hours: Annotated[
        float,
        typer.Option(
            min=0.01, help="Lifetime, at most APPEALS_JWT_MAX_LIFETIME_HOURS (default 24)."
        ),
    ] = 8.0,
) -> None:
    """Mint a signed bearer token for local use and tests, with the configured key.
    Use it as `Authorization: Bearer <token>`, or paste it on the dashboard's sign-in page."""
    from datetime import timedelta

    from domain.access import Role
    from domain.offices import OfficeDirectory
    from infra.adapters.tokens import TokenService

    settings = load_settings()
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
    if hours > settings.jwt_max_lifetime_hours:
        typer.echo(
            f"--hours {hours} is longer than tokens may live here "
            f"(APPEALS_JWT_MAX_LIFETIME_HOURS={settings.jwt_max_lifetime_hours:g}).",
            err=True,
        )
        raise typer.Exit(2)
    tokens = TokenService.from_settings(settings)
    typer.echo(
        tokens.mint(
            sub=sub or f"{parsed.value}.{office.lower()}",
            role=parsed,
            office=office,
            ttl=timedelta(hours=hours),
        )
    )


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

    container = build(load_settings())
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

    container = build(load_settings())
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

    container = build(load_settings())
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
    settings = load_settings()
    if source is RebuildSource.kafka:
        require_kafka(settings)
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


keys_app = typer.Typer(
    help="The key-encryption keys that wrap each person's data key (docs/security.md).",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Rewrap every person's data key with APPEALS_ACTIVE_KEY_ENCRYPTION_KEY (keys stored
    before wrapping included). Keep the old key-encryption keys configured until this has
    run; then remove them. Safe to run again, and while the service runs."""
    from infra.adapters.applicants import PostgresApplicants
    from infra.bootstrap import build

    settings = load_settings()
    container = build(settings)
    try:
        registry = container.service.applicants
        assert isinstance(registry, PostgresApplicants)
        done = registry.rotate()
    finally:
        container.close()
    typer.echo(
        f"rewrapped {done} data key(s) with {settings.active_key_encryption_key!r}; every "
        "key is now wrapped by it, and the other key-encryption keys may be removed"
    )
