"""/points in chat: balance, tier, history with reasons, the referral link, redeeming."""

from __future__ import annotations

from conversations.messages import Envelope, Text
from tests.loyalty.helpers import balance, give
from tests.support.accounts import registered
from tests.support.chat import ChatUser


async def test_points_shows_tier_history_and_link_and_redeems_by_button_or_typed(app):
    sue = await registered(app, "sue", roles=("seller",), display_name="Sue")
    await give(app, sue.id, 1_200)
    chat = ChatUser(app, "sue")
    await chat.say("/points")
    text = chat.texts()
    assert "1,200 points · Silver tier" in text and "800 more to Gold" in text
    assert "20 Nov 2026  +1,200  test points" in text
    assert "https://t.me/agora_market_bot?start=ref-" in text
    assert "/start ref-" in text
    assert chat.labels() == ["Redeem 500 points (€5.00 off)", "Redeem 1000 points (€10.00 off)"]

    await chat.tap("Redeem 500 points")
    assert "500 points redeemed: €5.00 comes off the commission" in chat.texts()
    await chat.say("/points redeem 600")
    assert "600 points redeemed" in chat.texts()
    await chat.say("/points redeem 500")
    assert "You have 100 points" in chat.texts()
    await chat.say("/points redeem 10")
    assert "at least 500" in chat.texts()
    assert await balance(app, sue.id) == 100

    await chat.say("/points")
    text = chat.texts()
    assert "Waiting for your next payment: €11.00 off the commission" in text
    assert "−600  redeemed for €6.00 off a commission" in text
    assert not [label for label in chat.labels() if "Redeem" in label]


async def test_profile_shows_the_tier_and_points_and_a_waiting_discount(app):
    sue = await registered(app, "sue", roles=("seller",), display_name="Sue")
    await give(app, sue.id, 740)
    chat = ChatUser(app, "sue")
    await chat.say("/profile")
    assert "Loyalty: Silver · 740 points (/points)" in chat.texts()
    await chat.say("/points redeem 500")
    await chat.say("/profile")
    assert "Loyalty: Silver · 240 points · €5.00 off your next commission (/points)" in chat.texts()


async def test_a_new_members_profile_says_bronze_with_no_points(app):
    await registered(app, "tom", display_name="Tom")
    chat = ChatUser(app, "tom")
    await chat.say("/profile")
    assert "Loyalty: Bronze · 0 points (/points)" in chat.texts()


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
