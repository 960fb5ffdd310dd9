"""Points in chat on the database: /profile's loyalty line (the tier, the points, a waiting
discount after /points redeems) and the Slack home's. /points itself — balance, tier,
history, the referral link, redeeming — runs in memory, and so does a new member's /profile
line: test_points_in_memory_chat.py."""

from __future__ import annotations

from conversations.messages import Envelope, Text
from tests.loyalty.helpers import give
from tests.support.accounts import registered
from tests.support.chat import ChatUser


async def test_profile_shows_the_tier_and_points_and_a_waiting_discount(app):
    sue = await registered(app, "sue", roles=("seller",), display_name="Sue")
    await give(app, sue.id, 740)
    chat = ChatUser(app, "sue")
    await chat.say("/profile")
    assert "Loyalty: Silver · 740 points (/points)" in chat.texts()
    await chat.say("/points redeem 500")
    await chat.say("/profile")
    assert "Loyalty: Silver · 240 points · €5.00 off your next commission (/points)" in chat.texts()


async def test_the_slack_home_has_one_points_line_for_a_member_with_points(app):
    sue = await registered(app, "T1:U1SUE", channel="slack", roles=("seller",),
                           display_name="Sue")
    where = Envelope("slack", "T1:U1SUE", "D1", Text(""), command_prefix="/agora ")
    before = [getattr(r, "text", "") for r in await app.engine.home(where)]
    assert not [t for t in before if "Loyalty:" in t]  # no points yet: no line
    await give(app, sue.id, 2_100)
    home = [getattr(r, "text", "") for r in await app.engine.home(where)]
    lines = [t for t in home if "Loyalty:" in t]
    assert lines == ["⭐ Loyalty: Gold · 2100 points (/agora points)"]
