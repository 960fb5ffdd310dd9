"""/points in chat: balance, tier, history with reasons, the referral link, redeeming."""

from __future__ import annotations

from tests.loyalty.helpers import balance, give
from tests.support.accounts import registered
from tests.support.chat import ChatUser


async def test_points_shows_tier_history_and_link_and_redeems_by_button_or_typed(app):
    sue = await registered(app, "sue", roles=("seller",), display_name="Sue")
    await give(app, sue.id, 1_200)
    chat = ChatUser(app, "sue")
    await chat.say("/points")
    text = chat.texts()
    assert "1200 points · Silver tier" in text and "800 more to Gold" in text
    assert "+1200  test points" in text
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
