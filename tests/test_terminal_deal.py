"""The deal journey on the terminal channel, by subprocess: two `agora chat` users on one
database take turns, each seeing the other's notices when they come back."""

from __future__ import annotations

import asyncio
import subprocess

from config.container import build
from config.settings import Settings
from tests.catalog.helpers import publish
from tests.support.accounts import registered
from tests.support.terminal import AGORA, agora_env, chat


async def _world(tmp_path) -> int:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/agora.db",  # type: ignore[call-arg]
                        environment="development", data_dir=str(tmp_path / "agora-data"))
    app = build(settings)
    try:
        sam = await registered(app, "sam", roles=("seller",), display_name="Sam", country="LV",
                               city="Riga")
        await registered(app, "bob", display_name="Bob", country="EE", city="Tallinn")
        return await publish(app, sam, negotiable="yes", min_order="20")
    finally:
        await app.close()


def test_a_whole_deal_between_two_terminal_users_by_subprocess(tmp_path):
    subprocess.run([*AGORA, "db", "upgrade"], cwd=tmp_path, env=agora_env(), check=True,
                   capture_output=True, timeout=60)
    listing_id = asyncio.run(_world(tmp_path))

    out = chat(tmp_path, "bob", [f"/view {listing_id}", "Make an offer", "100", "200", "Send"])
    assert "Sent (offer #1)" in out
    out = chat(tmp_path, "sam", ["Counter", "Keep", "225", "Send"])
    assert "Offer #1" in out and "= 20,000.00 EUR" in out and "Sent (offer #2)" in out
    out = chat(tmp_path, "bob", ["Counter", "Keep", "215", "Send"])
    assert "Changed since the last round: price" in out and "Sent (offer #3)" in out
    out = chat(tmp_path, "sam", ["Accept", "Read and accept the terms", "Keep",
                                 "Brīvības iela 1", "LV-1010", "Keep", "Keep", "LV40003521600",
                                 "Accept version 1"])
    assert "deal #1 is agreed" in out and "📎 agora-deal-1-terms-v1.pdf" in out
    assert "Waiting for the other party" in out
    out = chat(tmp_path, "bob", ["Read and accept the terms", "Keep", "Pärnu mnt 10", "10148",
                                 "Keep", "Keep", "Skip", "Accept version 1", "Pay",
                                 "4242 4242 4242 4242"])
    assert "Both parties have" in out and "TEST MODE" in out and "Paid €21,500.00" in out
    out = chat(tmp_path, "sam", ["Mark shipped", "DSV", "CMR-77", "Skip"])
    assert "Ship by" in out and "Marked shipped" in out
    out = chat(tmp_path, "bob", ["Confirm delivery and quality",
                                 "Yes the goods arrived as agreed this releases the payment",
                                 "Rate", "5", "Skip", "Skip", "Skip", "Skip"])
    assert "on the way" in out and "Deal completed" in out and "📎 agora-deal-1-carbon.pdf" in out
    assert "Your rating shows once" in out
    out = chat(tmp_path, "sam", ["Rate", "4", "Skip", "Skip", "Paid on time", "No", "/wallet"])
    assert "Paid out: €20,425.00" in out, out
    assert "Your rating shows once" in out
