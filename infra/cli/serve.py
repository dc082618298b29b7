"""`appeals run` and `appeals api`: serve the HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer

from infra.adapters.settings import Settings
from infra.cli.app import HostOpt, PortOpt, app, load_settings


def _serve(
    settings: Settings, host: str | None, port: int | None, feed: bool, hint: bool = False
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
        uvicorn.run(
            create_app(container),
            host=host or settings.api_host,
            port=port or settings.api_port,
            log_config=None,
            access_log=False,
            # The app applies the trusted proxies' headers itself (APPEALS_TRUSTED_PROXIES)
            # and names no server.
            proxy_headers=False,
            server_header=False,
        )
    finally:
        container.close()


@app.command()
def run(host: HostOpt = None, port: PortOpt = None) -> None:
    """Embedded mode: API plus in-process projections, on an embedded PostgreSQL under
    ./.data unless DATABASE_URL is set. No Kafka. Ctrl-C stops; data is kept."""
    settings = load_settings()
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
    settings = load_settings()
    _serve(settings, host, port, feed=(not settings.distributed) if feed is None else feed)
