"""A session package on the terminal channel, by subprocess on a database the real migrations
built: the consultant offers one in /packages, the seeker buys it from her page and pays with
the test card, books a session that draws from it, and the consultant accepts."""

from __future__ import annotations

import asyncio
import subprocess

from tests.consulting.helpers import consultant
from tests.support.accounts import registered
from tests.support.terminal import AGORA, agora_env, chat, dev_container


async def _world(tmp_path) -> None:
    app = dev_container(tmp_path)
    try:
        await consultant(app, "cora", notice_minutes=2 * 24 * 60)
        await registered(app, "sid", roles=("seeker",), display_name="Sid")
    finally:
        await app.close()


def test_a_package_offered_bought_and_booked_from_in_the_terminal(tmp_path):
    subprocess.run([*AGORA, "db", "upgrade"], cwd=tmp_path, env=agora_env(), check=True,
                   capture_output=True, timeout=60)
    asyncio.run(_world(tmp_path))
    out = chat(tmp_path, "cora", ["/packages", "New package", "5", "10 %", "90 days",
                                  "unused sessions are refunded in full at expiry"])
    assert "Package #1 offered: 5 × 60 min for €360.00 (€72.00 a session)" in out, out
    out = chat(tmp_path, "sid", ["/consultants", "Everyone", "View", "Session packages",
                                 "Buy #1", "Pay", "4242 4242 4242 4242"])
    assert "you save €40.00" in out and "Package #1 is yours once paid" in out, out
    assert "Package #1 is active: 5 sessions of 60 minutes" in out, out
    out = chat(tmp_path, "sid", ["/consultants", "Everyone", "View", "Book a time", "a", "Skip"])
    assert "prepaid from your package" in out, out
    out = chat(tmp_path, "cora", ["Accept", "/packages"])
    assert "Confirmed" in out and "4 of 5 sessions left to book (1 booked, 0 used)" in out, out
