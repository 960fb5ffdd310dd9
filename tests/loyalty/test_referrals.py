"""Referral links: both sides credited once, when the new member completes a first deal. The
first test joins and completes through the chat on the database; the rules of joining run on
the in-memory book (`tests/loyalty/fakes.py`)."""

from __future__ import annotations

import pytest

from core.errors import Conflict, DomainError, NotFound
from core.loyalty import earning, points, service
from core.loyalty.rules import EARN
from tests.loyalty.fakes import MemoryPointsBook
from tests.loyalty.helpers import agreed_deal, balance, code_of, complete, kinds
from tests.support.chat import ChatUser

SAM, BOB, EVE = 1, 2, 3  # Sam sells to Bob; Eve invites


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


async def test_nobody_refers_themselves_or_joins_late_or_twice():
    book = MemoryPointsBook()
    code = (await service.standing(book, EVE)).code
    with pytest.raises(DomainError, match="your own referral code"):
        await service.join_by_code(book, EVE, code)
    with pytest.raises(NotFound, match="unknown"):
        await service.join_by_code(book, EVE, "NOSUCH99")
    await earning.completed(book, "deal", "deal:1", (BOB, SAM))
    with pytest.raises(Conflict, match="before your first deal"):
        await service.join_by_code(book, SAM, code)
    assert await points.balance(book, points.member(EVE)) == 0
    assert book.members[SAM].referred_by is None


async def test_a_member_joins_through_one_referrer_and_is_credited_once():
    book = MemoryPointsBook()
    eve_code = (await service.standing(book, EVE)).code
    sam_code = (await service.standing(book, SAM)).code
    assert await service.join_by_code(book, BOB, f" {eve_code.lower()} ") == EVE
    assert await service.join_by_code(book, BOB, eve_code) == EVE  # again: nothing changes
    with pytest.raises(Conflict, match="another member's referral"):
        await service.join_by_code(book, BOB, sam_code)
    for __ in range(2):  # a retried handler
        await earning.completed(book, "deal", "deal:1", (BOB, SAM))
    await earning.completed(book, "deal", "deal:2", (BOB, SAM))  # a second deal: no referral
    assert await points.balance(book, points.member(BOB)) == 2 * EARN["deal"] + EARN["referral"]
    assert await points.balance(book, points.member(EVE)) == EARN["referral"]
    assert await points.balance(book, points.member(SAM)) == 2 * EARN["deal"]
    assert [m.kind for m in await points.history(book, EVE)] == ["referral"]
