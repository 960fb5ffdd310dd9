"""`agora serve --port N` without AGORA_PUBLIC_URL: every link people get points at port N —
the site's og:url and sitemap, a pay link and a console sign-in link made in an `agora chat`
joining that server, a receipt's link made by `agora payments test-card`. Outside development
the start is refused without AGORA_PUBLIC_URL."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import subprocess

import httpx

from core.accounts.tables import Account
from tests.catalog.helpers import publish
from tests.support.accounts import registered
from tests.support.servers import free_port
from tests.support.terminal import AGORA, agora_env, dev_container, serving


async def _world(tmp_path) -> int:
    app = dev_container(tmp_path)
    try:
        sam = await registered(app, "sam", roles=("seller",), display_name="Sam", country="LV",
                               city="Riga")
        bob = await registered(app, "bob", display_name="Bob", country="EE", city="Tallinn")
        await registered(app, "root", display_name="Rita", country="LV", city="Riga")
        async with app.uow() as uow:  # a checked address: receipts are emailed with their link
            (await uow.session.get(Account, bob.id)).email_verified_at = uow.clock.now()
            await uow.commit()
        return await publish(app, sam, negotiable="yes", min_order="20")
    finally:
        await app.close()


def _chat(tmp_path, name: str, lines: list[str]) -> str:
    """`agora chat` started in another folder, the way a second terminal joins the server."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    result = subprocess.run([*AGORA, "chat", "--as", name], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, cwd=elsewhere,
                            env=agora_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_links_point_at_the_port_agora_serve_listens_on(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serving(tmp_path, port, {**agora_env(), "AGORA_ADMINS": "terminal:root"}):
        listing_id = asyncio.run(_world(tmp_path))
        home = httpx.get(f"{base}/", timeout=10).text
        sitemap = httpx.get(f"{base}/sitemap.xml", timeout=10).text
        _chat(tmp_path, "bob", [f"/view {listing_id}", "Make an offer", "100", "200", "Send"])
        _chat(tmp_path, "sam", ["Accept", "Read and accept the terms", "Keep", "Brīvības iela 1",
                                "LV-1010", "Keep", "Keep", "LV40003521600", "Skip",
                                "Accept version 1"])
        _chat(tmp_path, "bob", ["Read and accept the terms", "Keep", "Pärnu mnt 10", "10148",
                                "Keep", "Keep", "Skip", "Accept version 1"])
        [(pay_url,)] = sqlite3.connect(tmp_path / "agora.db").execute(
            "select pay_url from escrows").fetchall()
        paid = subprocess.run([*AGORA, "payments", "test-card", pay_url], capture_output=True,
                              text=True, cwd=tmp_path / "elsewhere", env=agora_env(), timeout=60)
        console = _chat(tmp_path, "root", ["/console"])  # no AGORA_ADMINS: the server named root
    assert f'<meta property="og:url" content="{base}/">' in home
    assert re.findall(r"<loc>(https?://[^/]+)/", sitemap) and all(
        loc == base for loc in re.findall(r"<loc>(https?://[^/]+)/", sitemap))
    assert "I've sent you a sign-in link" in console
    assert pay_url.startswith(f"{base}/pay/")
    assert paid.returncode == 0, paid.stderr
    db = sqlite3.connect(tmp_path / "agora.db")
    texts = " ".join(row[0] for row in db.execute("select payload from outbox"))
    assert f"{base}/admin/login/" in texts and f"{base}/invoices/" in texts  # sign-in, receipt
    assert ":8000" not in texts


def test_a_production_start_without_a_public_url_is_refused_in_one_line(tmp_path):
    env = {**agora_env(), "AGORA_ENVIRONMENT": "production", "AGORA_SECRET_KEY": "k" * 40}
    result = subprocess.run([*AGORA, "serve", "--port", str(free_port())], capture_output=True,
                            text=True, cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: AGORA_PUBLIC_URL: required in production: the address people "
        "open (pay links, receipts, console sign-in), e.g. https://agora.example.com"]
