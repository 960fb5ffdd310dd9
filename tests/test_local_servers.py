"""The test suite's own servers get their ports without a race: an app served in a test's event
loop is on a socket bound before uvicorn starts (the kernel picks the port), and a port handed
to a server in another process lies below the range the kernel gives outgoing connections, so a
connection a test opens meanwhile cannot take it. Before, a port found free was closed and bound
again later, and a CI run lost a worker's Slack tests to "address already in use"."""

from __future__ import annotations

import socket

import httpx
import pytest

from tests.support import servers


async def _hello(scope, receive, send):  # a bare ASGI app
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


def test_a_port_for_another_process_is_free_and_outside_the_outgoing_range():
    low, __ = servers._outgoing_ports()
    ports = {servers.free_port() for _ in range(20)}
    assert all(port < low for port in ports)
    assert len(ports) > 1  # drawn at random: parallel workers rarely draw the same one
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # nothing holds it


async def test_a_served_app_holds_its_port_from_before_uvicorn_starts(monkeypatch):
    held = []
    real = servers._Server.startup

    async def startup(self, sockets=None):
        port = sockets[0].getsockname()[1]
        with socket.socket() as other, pytest.raises(OSError):
            other.bind(("127.0.0.1", port))  # already ours: nobody can take it meanwhile
        held.append(port)
        await real(self, sockets)

    monkeypatch.setattr(servers._Server, "startup", startup)
    async with servers.serve(_hello) as url, httpx.AsyncClient() as client:
        assert url == f"http://127.0.0.1:{held[0]}"
        assert (await client.get(url)).text == "hello"
