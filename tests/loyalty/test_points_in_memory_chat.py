"""/points in chat with no database anywhere: the real flow through the engine in memory, its
use cases on the in-memory points book (core.storage.stores hands the flow's calls the chat's
`MemoryPointsBook`): balance, tier, history with reasons, the referral link, redeeming by
button or typed; /profile's loyalty line with the tier, the points and a discount waiting
after /points redeems. On the database: the Slack home's line (test_points_chat.py) and
/points across both channels (tests/test_cross_channel_loyalty.py)."""

from __future__ import annotations

from conversations.flows.all_flows import ALL_FLOWS
from core.loyalty import points
from core.loyalty.book import PointsBook
from tests.loyalty.fakes import MemoryPointsBook
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

SUE = 1


def sue_with_points() -> tuple[MemoryPointsBook, ChatUser]:
    """Sue, a seller, chatting on the terminal; her points are the book returned."""
    book = MemoryPointsBook()
    chat = MemoryChat(ALL_FLOWS, stores={PointsBook: book})
    chat.turns.register("terminal", "sue", "Sue", roles=("seller",), account_id=SUE)
    return book, ChatUser(chat, "sue")


async def test_points_shows_tier_history_and_link_and_redeems_by_button_or_typed():
    book, user = sue_with_points()
    await points.earn(book, f"gift:{SUE}", "deal", SUE, 1_200, "test points")
    await user.say("/points")
    text = user.texts()
    assert "1,200 points · Silver tier" in text and "800 more to Gold" in text
    assert "20 Nov 2026  +1,200  test points" in text
    assert "https://t.me/agora_market_bot?start=ref-" in text
    assert "/start ref-" in text
    assert user.labels() == ["Redeem 500 points (€5.00 off)", "Redeem 1000 points (€10.00 off)"]

    await user.tap("Redeem 500 points")
    assert "500 points redeemed: €5.00 comes off the commission" in user.texts()
    await user.say("/points redeem 600")
    assert "600 points redeemed" in user.texts()
    await user.say("/points redeem 500")
    assert "You have 100 points" in user.texts()
    await user.say("/points redeem 10")
    assert "at least 500" in user.texts()
    assert await points.balance(book, points.member(SUE)) == 100

    await user.say("/points")
    text = user.texts()
    assert "Waiting for your next payment: €11.00 off the commission" in text
    assert "−600  redeemed for €6.00 off a commission" in text
    assert not [label for label in user.labels() if "Redeem" in label]


async def test_a_new_members_profile_says_bronze_with_no_points():
    """/profile's loyalty line, the member's account in the chat's accounts' book in memory
    (moved from test_points_chat.py, which keeps the line after /points redeems)."""
    chat = MemoryChat(ALL_FLOWS, stores={PointsBook: MemoryPointsBook()})
    chat.turns.register("terminal", "tom", "Tom")
    user = ChatUser(chat, "tom")
    await user.say("/profile")
    assert "Loyalty: Bronze · 0 points (/points)" in user.texts()


async def test_profile_shows_the_tier_and_points_and_a_waiting_discount():
    book, user = sue_with_points()
    await points.earn(book, f"gift:{SUE}", "deal", SUE, 740, "test points")
    await user.say("/profile")
    assert "Loyalty: Silver · 740 points (/points)" in user.texts()
    await user.say("/points redeem 500")
    await user.say("/profile")
    assert "Loyalty: Silver · 240 points · €5.00 off your next commission (/points)" in user.texts()
