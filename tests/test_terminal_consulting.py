"""The consultant journey on the terminal channel, by subprocess: a seeker finds an online
consultant, asks to talk now, authorises the payment with the test card; the consultant
accepts; both join; they talk; the seeker ends within the free minutes and nothing is charged."""

from __future__ import annotations

import asyncio
import subprocess

from config.container import build
from config.settings import Settings
from core.consulting.profiles import service as profiles
from tests.consulting.helpers import consultant
from tests.support.accounts import registered
from tests.support.terminal import AGORA, agora_env, chat


async def _world(tmp_path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/agora.db",  # type: ignore[call-arg]
                        environment="development", data_dir=str(tmp_path / "agora-data"))
    app = build(settings)
    try:
        cora = await consultant(app, "cora")
        async with app.uow() as uow:
            await profiles.set_online(uow, cora.id, True)
            await uow.commit()
        await registered(app, "sid", roles=("seeker",), display_name="Sid")
    finally:
        await app.close()


def test_a_talk_now_session_between_two_terminal_users_ends_free(tmp_path):
    subprocess.run([*AGORA, "db", "upgrade"], cwd=tmp_path, env=agora_env(), check=True,
                   capture_output=True, timeout=60)
    asyncio.run(_world(tmp_path))
    out = chat(tmp_path, "sid", ["/consultants", "Online now", "View", "Talk now"])
    assert "Cora" in out and "🟢 online" in out and "Asked" in out
    out = chat(tmp_path, "cora", ["Accept"])
    assert "talk now" in out.lower() and "Confirmed" in out
    out = chat(tmp_path, "sid", ["Authorise", "4242 4242 4242 4242", "Join",
                                 "Hello, a quick question on pellet moisture."])
    assert "Authorised €80.00" in out and "Waiting for the other party to join" in out, out
    out = chat(tmp_path, "cora", ["Join", "Keep it under 10 %."])
    assert "pellet moisture" in out and "In session — ⏱ 00:00 · free" in out, out
    out = chat(tmp_path, "sid", ["End now — free"])
    assert "Keep it under 10 %." in out and "Nothing is charged" in out
    out = chat(tmp_path, "cora", ["/wallet"])
    assert "Paid out: —" in out
