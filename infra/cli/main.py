"""The `appeals` command: run the service, its workers and local infrastructure.

Each group of commands lives in its own module and registers itself on ``app`` when
imported; they are imported here in the order `appeals --help` lists them.
"""

from __future__ import annotations

import os
from importlib import import_module

from infra.cli.app import app
from infra.cli.instructions import app as instructions_app
from infra.cli.migrate import migrate

import_module("infra.cli.serve")  # run, api
app.command()(migrate)
import_module("infra.cli.workers")  # relay, consume, deadlines
app.add_typer(instructions_app, name="instructions")
import_module("infra.cli.ops")  # token, dlq, rebuild
import_module("infra.cli.tools")  # demo, bench, bench-register
import_module("infra.cli.local")  # postgres, kafka, up, down

__all__ = ["app", "main"]


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()
