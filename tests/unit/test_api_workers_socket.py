"""The socket `--workers N` serves on: connections accepted from it go out without
Nagle's delay (infra/cli/api_workers.py)."""

from __future__ import annotations

import socket

from uvicorn import Config

from infra.cli.api_workers import listening_socket


def test_the_workers_socket_and_what_it_accepts_have_tcp_nodelay() -> None:
    config = Config("api.worker:create", factory=True, host="127.0.0.1", port=0, workers=2)
    with listening_socket(config) as sock:
        sock.listen()
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        with socket.create_connection(sock.getsockname()):
            accepted, _ = sock.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
