"""Run an ASGI app (a fake Bot API, a fake Slack API, Agora's own server, a company's webhook
receiver) on 127.0.0.1, over HTTPS when given a certificate."""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn


def _outgoing_ports() -> tuple[int, int]:
    """The range the kernel picks a client connection's own port from."""
    try:
        low, high = open("/proc/sys/net/ipv4/ip_local_port_range").read().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A port nothing listens on, for a server another process will bind (Radicale, localstripe,
    `agora serve`). Chosen below the range of ports the kernel gives outgoing connections: a port
    from that range, free a moment ago, can become the local end of a connection a test opens to
    PostgreSQL or Redis before the server binds it ("address already in use", seen in CI). Ports
    are drawn at random, so parallel test workers rarely draw the same one, and each is tried."""
    low = _outgoing_ports()[0]
    floor = 10_000 if low > 11_000 else 1_024
    for _ in range(200):
        port = random.randint(floor, low - 1)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the outgoing range")


def _listening_socket(port: int) -> socket.socket:
    """A socket bound here, for uvicorn to serve on: bound by us, so no other socket can take
    the port between choosing it and serving on it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart on the same port
    sock.bind(("127.0.0.1", port))
    return sock


class _Server(uvicorn.Server):
    """uvicorn's server, stopped as soon as its connections are done: uvicorn looks for the
    stop every 0.1 s and then sleeps 0.1 s more, which cost each of some 600 tests two
    tenths of a second, idle, at its end."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.stop = asyncio.Event()

    async def main_loop(self) -> None:
        await self.on_tick(0)  # (sets the response headers once)
        await self.stop.wait()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        for _ in range(2000):  # at most 10 s, as uvicorn's graceful timeout would allow
            if not (self.server_state.connections or self.server_state.tasks):
                break
            await asyncio.sleep(0.005)
        for server in self.servers:
            await server.wait_closed()


@asynccontextmanager
async def serve(app: Any, port: int | None = None, *,
                certfile: str | None = None) -> AsyncIterator[str]:
    """Serve `app` in this event loop; yields its base URL ("http://127.0.0.1:PORT", or
    "https://…" with `certfile`, a PEM file holding the server's key and certificate chain)."""
    sock = _listening_socket(port or 0)  # port 0: the kernel picks one, atomically
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off", loop="asyncio", ssl_certfile=certfile)
    server = _Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(500):
        if server.started:
            break
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"{'https' if certfile else 'http'}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        server.stop.set()
        await asyncio.wait_for(task, 10)
