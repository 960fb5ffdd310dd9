"""The HTTP routes refuse bad input once, at the edge: odd tokens, NUL, huge bodies, docs."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from bots.server import create_app
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
    assert got.status_code == 404 and posted.status_code in (404, 405)
    assert "Traceback" not in caplog.text


async def test_a_huge_form_is_refused_at_once_and_other_requests_are_not_held_up(base):
    async with httpx.AsyncClient(timeout=10) as http:
        big = http.post(base + "/pay/x", content=b"card_number=" + b"4" * (20 * 1024 * 1024),
                        headers={"content-type": "application/x-www-form-urlencoded"})
        started = time.monotonic()
        health = http.get(base + "/healthz")
        refused, ok = await asyncio.gather(big, health)
    assert refused.status_code == 413 and ok.status_code == 200
    assert time.monotonic() - started < 5


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
