"""Steps of the `/company` conversation shared by its tests in memory and on the database."""

from __future__ import annotations

import re

from tests.support.chat import ChatUser


async def found_company(alice: ChatUser) -> str:
    """Alice founds Baltic Heat in chat and invites a buyer with a 1,000 € limit, every answer
    checked on the way (a name too short, a negative limit are asked again); the code."""
    await alice.say("/company")
    assert "Buy for your company" in alice.texts()
    await alice.tap("Set up a company")
    await alice.say("x")  # too short: asked again
    assert "Please give the company's name" in alice.texts()
    await alice.say("Baltic Heat AS")
    assert "Baltic Heat AS is set up" in alice.texts()
    assert {"➕ Invite a colleague", "📋 Decisions"} <= set(alice.labels())
    await alice.tap("Invite a colleague")
    await alice.say("Buyer")
    await alice.say("-5")  # a negative limit is re-asked
    assert "must be between 0 and" in alice.texts()
    await alice.say("1000")
    found = re.search(r"Invitation code: ([A-Z0-9]{10})", alice.texts())
    assert found is not None
    code = found.group(1)
    assert f"https://t.me/agora_market_bot?start=company-join_{code}" in alice.texts()
    return code
