"""One API worker process of `appeals api --workers N` (uvicorn's factory): its own
container on the database the parent process resolved and migrated, serving requests
only. The embedded feed and the deadline watcher run in the parent, off the request
path (infra/cli/serve.py)."""

from __future__ import annotations

from fastapi import FastAPI

from api.app import create_app
from infra.adapters.settings import Settings
from infra.bootstrap import build
from infra.observability.logging import configure_logging


def create() -> FastAPI:
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    return create_app(build(settings), owns_container=True)
