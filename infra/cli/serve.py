"""`appeals run` and `appeals api`: serve the HTTP API."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from infra.adapters.settings import Settings
from infra.cli.api_workers import serve_workers
from infra.cli.app import HostOpt, PortOpt, WorkersOpt, app, load_settings


def _serve(
    settings: Settings,
    host: str | None,
    port: int | None,
    feed: bool,
    hint: bool = False,
    workers: int | None = None,
) -> None:
    import uvicorn

    from api.app import create_app
    from infra.bootstrap import build

    try:
        settings.check_servable()
    except RuntimeError as refused:
        typer.echo(f"appeals: {refused}", err=True)
        raise typer.Exit(2) from None
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
        served = dict(
            host=host or settings.api_host,
            port=port or settings.api_port,
            log_config=None,
            access_log=False,
            # The app applies the trusted proxies' headers itself (APPEALS_TRUSTED_PROXIES)
            # and names no server.
            proxy_headers=False,
            server_header=False,
        )
        processes = workers or settings.api_workers
        if processes == 1:
            uvicorn.run(create_app(container), **served)  # type: ignore[arg-type]
        else:
            _worker_environment(settings, container.database_url)
            typer.echo(f"{processes} API worker processes", err=True)
            serve_workers("api.worker:create", processes, **served)
    finally:
        container.close()


def _worker_environment(settings: Settings, database_url: str) -> None:
    """What the worker processes read their settings from: this process's own, with the
    database it resolved (an embedded one is started and migrated here, once) and no
    broker when it serves embedded."""
    os.environ["DATABASE_URL"] = database_url
    if not settings.kafka_bootstrap_servers:
        os.environ.pop("KAFKA_BOOTSTRAP_SERVERS", None)


@app.command()
def run(host: HostOpt = None, port: PortOpt = None, workers: WorkersOpt = None) -> None:
    """Embedded mode: API plus in-process projections, on an embedded PostgreSQL under
    ./.data unless DATABASE_URL is set. No Kafka. Ctrl-C stops; data is kept."""
    settings = load_settings()
    settings.kafka_bootstrap_servers = None
    _serve(settings, host, port, feed=True, hint=True, workers=workers)


@app.command()
def api(
    host: HostOpt = None,
    port: PortOpt = None,
    workers: WorkersOpt = None,
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
    settings = load_settings()
    _serve(
        settings,
        host,
        port,
        feed=(not settings.distributed) if feed is None else feed,
        workers=workers,
    )
