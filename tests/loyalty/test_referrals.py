"""Referral links: both sides credited once, when the new member completes a first deal."""

from __future__ import annotations

from core.loyalty.rules import EARN
from tests.loyalty.helpers import agreed_deal, balance, code_of, complete, kinds
from tests.support.chat import ChatUser


async def test_a_referral_credits_both_once_after_the_first_completed_deal(app):
    sam, bob, eve, deal_id = await agreed_deal(app)
    code = await code_of(app, eve.id)
    bob_chat = ChatUser(app, "bob")
    await bob_chat.say(f"/start ref-{code}")
    assert "Welcome" in bob_chat.texts()
    assert await balance(app, eve.id) == 0  # nothing until the first deal is completed
    await complete(app, deal_id, sam.id, bob.id)
    assert await balance(app, bob.id) == EARN["deal"] + EARN["referral"]
    assert await balance(app, eve.id) == EARN["referral"]
    assert await balance(app, sam.id) == EARN["deal"]  # not referred: the deal alone
    await bob_chat.say(f"/start ref-{code}")  # a second time changes nothing
    assert await kinds(app, eve.id) == ["referral"]


async def test_nobody_refers_themselves_or_joins_late_or_twice(app):
    sam, bob, eve, deal_id = await agreed_deal(app)
    eve_chat, sam_chat = ChatUser(app, "eve"), ChatUser(app, "sam")
    await eve_chat.say(f"/start ref-{await code_of(app, eve.id)}")
    assert "your own referral code" in eve_chat.texts()
    await eve_chat.say("/ref NOSUCH99")
    assert "unknown" in eve_chat.texts()
    await complete(app, deal_id, sam.id, bob.id)
    await sam_chat.say(f"/ref {await code_of(app, eve.id)}")
    assert "before your first deal" in sam_chat.texts()
    assert await balance(app, eve.id) == 0
