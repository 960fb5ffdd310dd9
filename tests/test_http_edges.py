"""The HTTP routes refuse bad input once, at the edge: odd tokens, NUL, huge bodies, docs."""

from __future__ import annotations

import asyncio
import contextlib
import time

import httpx
import pytest
from fastapi.routing import iter_route_contexts

from bots.server import create_app
from core.learning.tables import LearningItem
from tests.console.helpers import client, filled, post_form, root, signed_in
from tests.support.servers import serve


@pytest.fixture
async def base(app):
    async with serve(create_app(app, run_workers=False)) as url:
        yield url


@pytest.mark.parametrize("path", ["/pay/%00", "/pay/a%00b", "/invoices/%00.pdf",
                                  "/invoices/..%2F..%2Fetc.pdf", f"/pay/{'x' * 500}",
                                  "/pay/%F0%9F%94%A5", "/invoices/%ED%A0%80.pdf"])
async def test_a_token_that_is_not_one_of_ours_is_not_found(base, path, caplog):
    async with httpx.AsyncClient() as http:
        got = await http.get(base + path)
        posted = await http.post(base + path.replace("/invoices/", "/pay/"),
                                 content=b"card_number=4242", headers={
                                     "content-type": "application/x-www-form-urlencoded"})
    refused = 400 if "%00" in path else 404  # a NUL is refused before any route
    assert got.status_code == refused and posted.status_code in (refused, 405)
    assert "Traceback" not in caplog.text


@pytest.mark.one_database  # the HTTP layer's, before any route asks the database
async def test_a_huge_form_is_refused_at_once_and_other_requests_are_not_held_up(base):
    """20 MB declared: 413 before any of it is read, the connection closed (nothing of the
    body is taken in), and the server answers others meanwhile."""
    host, port = base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    started = time.monotonic()
    writer.write(b"POST /pay/x HTTP/1.1\r\nHost: agora\r\nContent-Length: 20971532\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\n\r\ncard_number=4444")
    try:
        answer = await asyncio.wait_for(reader.read(), 5)  # to the end: the server closes
    finally:
        writer.close()
    async with httpx.AsyncClient(timeout=10) as http:
        ok = await http.get(base + "/healthz")
    assert answer.startswith(b"HTTP/1.1 413 ") and b"connection: close" in answer.lower()
    assert ok.status_code == 200 and time.monotonic() - started < 5


@pytest.mark.one_database  # the HTTP layer's, before any route asks the database
async def test_a_body_over_its_limit_as_it_arrives_is_refused_without_reading_the_rest(base):
    """No length declared (chunked): past the route's limit the answer is 413 and the
    connection closes, however much more the client would send."""
    async def endless():
        for _ in range(10_000):  # 80 MB if it were all read
            yield b"4" * 8192

    async with httpx.AsyncClient(timeout=10) as http:
        started = time.monotonic()
        try:
            refused = await http.post(base + "/pay/x", content=endless(), headers={
                "content-type": "application/x-www-form-urlencoded"})
            assert refused.status_code == 413
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
            pass  # the server closed while the client still wrote: refused all the same
        ok = await http.get(base + "/healthz")
    assert ok.status_code == 200 and time.monotonic() - started < 5


@pytest.mark.one_database  # the HTTP layer's, before any route asks the database
async def test_too_many_form_fields_are_a_bad_request(base):
    async with httpx.AsyncClient() as http:
        answer = await http.post(base + "/pay/abc", content="&".join(f"f{i}=1" for i in range(50)),
                                 headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400


async def test_api_docs_are_served_in_development_only(app):
    async with serve(create_app(app, run_workers=False)) as url, httpx.AsyncClient() as http:
        hidden = [(await http.get(url + p)).status_code for p in ("/docs", "/redoc", "/openapi.json")]
    app.settings = app.settings.model_copy(update={"environment": "development"})
    async with serve(create_app(app, run_workers=False)) as url, httpx.AsyncClient() as http:
        shown = (await http.get(url + "/openapi.json")).status_code
    assert hidden == [404, 404, 404] and shown == 200


def every_get_path(web) -> list[str]:
    """Every GET route of the app with each of its parameters set to a NUL."""
    found = []
    for route in iter_route_contexts(web.routes):
        path = getattr(route, "path", "") or ""
        if "GET" in (getattr(route, "methods", None) or ()):
            found.append(filled(path, "%00"))
    return found


async def test_a_nul_in_any_address_or_query_is_a_bad_request_on_every_route(app, caplog):
    web = create_app(app, run_workers=False)
    paths = every_get_path(web)
    assert "/boards/%00" in paths and len(paths) > 20
    async with serve(web) as url, httpx.AsyncClient() as http:
        answers = {p: (await http.get(url + p)).status_code for p in paths if "%00" in p}
        answers |= {f"{p}?q=%00": (await http.get(url + p, params={"q": "\x00", "page": "2"})
                                   ).status_code for p in paths}
        answers["/boards/a?page=1%00"] = (await http.get(url + "/boards/a?page=1%00")).status_code
        posted = await http.post(url + "/pay/%00", data={"card_number": "4242"})
    assert {p: s for p, s in answers.items() if s != 400} == {}
    assert posted.status_code == 400
    assert "Traceback" not in caplog.text


async def test_a_nul_typed_into_a_console_form_is_dropped_before_the_database(app, caplog):
    admin = await root(app)
    async with client(app) as http:
        await signed_in(app, http, admin)
        sent = await post_form(http, "/admin/learning", "/admin/learning/link",
                               topic="Markets and prices", title="Baltic\x00 prices",
                               url="https://example.org/q3", summary="By\x00 port")
    assert sent.status_code == 303, sent.text
    async with app.uow() as uow:
        item = await uow.session.get(LearningItem, 1)
        assert (item.title, item.summary) == ("Baltic prices", "By port")
    assert "Traceback" not in caplog.text


# Routes that read the body (408 once it is too slow) and routes that answer before reading
# it: a webhook of a channel this server does not run, a page that is not there, a body
# declared too large. Whatever the answer, the connection ends: nobody is left holding it.
TRICKLED = [("/pay/abc", 100, b"408"), ("/telegram/webhook", 100, None),
            ("/slack/events", 100, None), ("/no/such/page", 100, b"404"),
            ("/pay/abc", 10 ** 9, b"413")]


@pytest.mark.one_database  # the HTTP layer's, before any route asks the database
@pytest.mark.parametrize(("path", "length", "status"), TRICKLED)
async def test_a_body_trickled_a_byte_at_a_time_is_answered_and_its_connection_closed(
        app, path, length, status):
    app.settings = app.settings.model_copy(update={"body_read_seconds": 0.5})
    async with serve(create_app(app, run_workers=False)) as url:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        started = time.monotonic()
        writer.write(f"POST {path} HTTP/1.1\r\nHost: agora\r\nContent-Length: {length}\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode())

        async def trickle() -> None:
            for byte in b"card_number=4242" * 6:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.1)

        trickling = asyncio.create_task(trickle())
        try:
            answer = await asyncio.wait_for(reader.readline(), 5)
            ended = time.monotonic()
            # The server closes the connection: its end, or a reset when a trickled byte
            # reaches the closed socket before the end is read.
            with contextlib.suppress(ConnectionResetError):
                await asyncio.wait_for(reader.read(), 5)
            closed = time.monotonic()
        finally:
            trickling.cancel()
            writer.close()
    assert answer.startswith(b"HTTP/1.1 " + (status or b""))
    assert ended - started < 3 and closed - started < 3


@pytest.mark.one_database  # the HTTP layer's, before any route asks the database
async def test_a_body_slower_than_the_limit_goes_through_on_the_time_its_bytes_earn(app):
    app.settings = app.settings.model_copy(update={"body_read_seconds": 1.0})

    async def slowly():  # 16 KB in two parts 0.6 s apart: 1.2 s, the second half-second earned
        for _ in range(2):
            await asyncio.sleep(0.6)
            yield b"x" * (8 * 1024)

    async with serve(create_app(app, run_workers=False)) as url, httpx.AsyncClient() as http:
        answer = await http.post(url + "/pay/abc", content=slowly(), headers={
            "content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 402  # read in full, then refused: no payment of ours


@pytest.mark.one_database  # the HTTP layer's, before any route asks the database
async def test_a_request_without_a_body_keeps_its_connection_for_the_next(app):
    async with serve(create_app(app, run_workers=False)) as url:
        async with httpx.AsyncClient() as http:
            first = await http.get(url + "/healthz")
            second = await http.get(url + "/no/such/page")
            third = await http.get(url + "/healthz")
    assert "close" not in first.headers.get("connection", "")
    assert second.status_code == 404 and "close" not in second.headers.get("connection", "")
    assert third.status_code == 200
