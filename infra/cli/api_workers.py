"""Serving the API with several worker processes on one port (`--workers N`)."""

from __future__ import annotations

import socket
from contextlib import suppress
from typing import Any

from uvicorn import Config
from uvicorn.supervisors import Multiprocess


def listening_socket(config: Config) -> socket.socket:
    """The port's socket, bound as uvicorn binds it for its workers, with TCP_NODELAY,
    which Linux passes on to every connection it accepts.

    uvicorn makes this socket with ``socket.socket(family)``, so its ``proto`` is 0 and
    asyncio, which sets TCP_NODELAY only on sockets whose ``proto`` is TCP, leaves
    Nagle's algorithm on for the workers' connections: each response then waited for
    the client's delayed ACK, 44 ms a request against 5 with one process (measured,
    docs/benchmarks.md)."""
    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def serve_workers(app: str, workers: int, **options: Any) -> None:
    """uvicorn's own multiprocess supervisor over ``listening_socket``."""
    config = Config(app, factory=True, workers=workers, **options)
    # Ctrl-C: the supervisor has stopped its workers by the time it reaches here.
    with listening_socket(config) as sock, suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[sock]).run()
