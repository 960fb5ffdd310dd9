"""The deal journey on the terminal channel, by subprocess: two `agora chat` users on one
database take turns, each seeing the other's notices when they come back."""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path

import pytest

from tests.catalog.helpers import publish
from tests.support.accounts import registered
from tests.support.terminal import AGORA, agora_env, chat, dev_container


async def _world(tmp_path) -> int:
    app = dev_container(tmp_path)
    try:
        sam = await registered(app, "sam", roles=("seller",), display_name="Sam", country="LV",
                               city="Riga")
        await registered(app, "bob", display_name="Bob", country="EE", city="Tallinn")
        return await publish(app, sam, negotiable="yes", min_order="20")
    finally:
        await app.close()


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> list[tuple[str, str]]:
    """The whole deal typed in turns: who typed, and what their terminal printed each time."""
    tmp_path = tmp_path_factory.mktemp("deal")
    subprocess.run([*AGORA, "db", "upgrade"], cwd=tmp_path, env=agora_env(), check=True,
                   capture_output=True, timeout=60)
    listing_id = asyncio.run(_world(tmp_path))
    turns = [
        ("bob", [f"/view {listing_id}", "Make an offer", "100", "200", "Send"]),
        ("sam", ["Counter", "Keep", "225", "Send"]),
        ("bob", ["Counter", "Keep", "215", "Send"]),
        ("sam", ["Accept", "Read and accept the terms", "Keep", "Brīvības iela 1", "LV-1010",
                 "Keep", "Keep", "LV40003521600", "Skip", "Accept version 1"]),
        ("bob", ["Read and accept the terms", "Keep", "Pärnu mnt 10", "10148", "Keep", "Keep",
                 "Skip", "Accept version 1", "Pay", "4242 4242 4242 4242"]),
        ("sam", ["Mark shipped", "DSV", "CMR-77", "Skip"]),
        ("bob", ["Confirm delivery and quality",
                 "Yes the goods arrived as agreed this releases the payment",
                 "Rate", "5", "Skip", "Skip", "Skip", "Skip"]),
        ("sam", ["Rate", "4", "Skip", "Skip", "Paid on time", "No", "/wallet"]),
    ]
    return [(name, chat(tmp_path, name, lines)) for name, lines in turns]


def test_a_whole_deal_between_two_terminal_users_by_subprocess(journey):
    out = [printed for _, printed in journey]
    assert "Sent (offer #1)" in out[0]
    assert "Offer #1" in out[1] and "= 20\xa0000,00\xa0€" in out[1] and "Sent (offer #2)" in out[1]
    assert "Changed since the last round: price" in out[2] and "Sent (offer #3)" in out[2]
    assert "deal #1 is agreed" in out[3] and "📎 agora-deal-1-terms-v1.pdf" in out[3]
    assert "Waiting for the other party" in out[3]
    assert "Both parties have" in out[4] and "TEST MODE" in out[4] and "Paid 26\xa0015,00\xa0€" in out[4]
    assert "Ship by" in out[5] and "Marked shipped" in out[5]
    assert "on the way" in out[6] and "Deal completed" in out[6]
    assert "📎 agora-deal-1-carbon.pdf" in out[6] and "Your rating shows once" in out[6]
    assert "Paid out: 24\xa0940,00\xa0€" in out[7], out[7]
    assert "Your rating shows once" in out[7]


def _files(journey: list[tuple[str, str]], name: str) -> list[str]:
    """The file names one person's terminal received, in order (📎 lines)."""
    return re.findall(r"^📎 (\S+)", "".join(out for who, out in journey if who == name), re.M)


def _saved(journey: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    """Each file one person's terminal received, with the path it printed for it."""
    printed = "".join(out for who, out in journey if who == name)
    files = [line for line in printed.splitlines() if line.startswith("📎 ")]
    assert len(files) == printed.count("\n   saved to "), printed
    return re.findall(r"📎 (\S+) \(.*\n   saved to (.+)", printed)


@pytest.mark.parametrize("name", ["bob", "sam"])
def test_each_chat_receives_each_pdf_of_a_whole_deal_once(journey, name):
    files = _files(journey, name)
    assert "agora-deal-1-terms-v1.pdf" in files and any(f.startswith("agora-") for f in files)
    assert sorted(files) == sorted(set(files)), files


@pytest.mark.parametrize("name", ["bob", "sam"])
def test_the_terminal_saves_each_document_it_receives_and_prints_where(journey, name):
    saved = _saved(journey, name)
    assert {"agora-deal-1-terms-v1.pdf"} <= {file for file, _ in saved}
    assert len(saved) >= 3  # the terms, the payment receipt, a carbon receipt or payout
    for file, path in saved:
        assert path.endswith(file) and Path(path).read_bytes().startswith(b"%PDF"), path
