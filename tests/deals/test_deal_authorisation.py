"""Who may take each deal transition, for every transition the process declares: a stranger
learns nothing, a party may take only their own steps, admins' and the system's steps are
theirs alone — through the service and through crafted button presses. Both run on the
in-memory deal book (`tests/deals/deal_fakes.py`), held to the database's by
`test_deal_book_contract.py`; a refusal asks nothing a move would set going."""

from __future__ import annotations

import pytest

from conversations.messages import Choice
from core.deals import deals
from core.errors import NotAllowed, NotFound
from core.process.deals import DEAL_PROCESS, DealState
from core.process.model import ADMIN, SYSTEM
from tests.deals.deal_fakes import BOB, EVE, SAM, MemoryDeals
from tests.deals.in_memory import deal_chat, person

STEPS = ("accept-terms", "terms", "pay", "mark-shipped", "update", "mark-delivered",
         "confirm-receipt", "report-quality", "accept-adjustment", "reject-adjustment",
         "dispute", "cancel-deal", "carbon")


async def test_every_transition_refuses_strangers_and_the_wrong_party_through_the_service():
    book = MemoryDeals()
    deal_id = book.sale(DealState.TO_SHIP)  # paid: the seller ships next
    deal = await deals.get(book, deal_id, None)
    parties = {"buyer": deal.buyer_id, "seller": deal.seller_id}
    assert parties == {"buyer": BOB, "seller": SAM}
    for step in DEAL_PROCESS.transitions:
        with pytest.raises(NotFound):
            await deals.take(book, deal_id, step.name, EVE)
        for role, account_id in parties.items():
            if role not in step.actors:
                with pytest.raises(NotAllowed):
                    await deals.take(book, deal_id, step.name, account_id)
    assert {a for s in DEAL_PROCESS.transitions for a in s.actors} >= {ADMIN, SYSTEM}
    assert (deal.status, book.effects) == (DealState.TO_SHIP, [])  # nothing moved


async def test_crafted_buttons_for_every_step_and_the_dispute_desk_are_refused_politely():
    chat, book = deal_chat()
    deal_id = book.sale(DealState.TO_SHIP)
    sam, bob, eve = person(chat, "sam"), person(chat, "bob"), person(chat, "eve")
    for step in STEPS:
        await eve.send(Choice(f"@do:deal_step:{deal_id}:{step}"))
        assert "doesn't exist" in eve.texts(), (step, eve.texts())
    for data in ("@do:decide_dispute:1", "@go:disputes"):
        await bob.send(Choice(data))
        assert "for administrators" in bob.texts(), (data, bob.texts())
    await sam.send(Choice(f"@do:deal_step:{deal_id}:confirm-receipt"))
    await sam.tap("Yes")
    assert "Only the other party" in sam.texts() or "not yours" in sam.texts(), sam.texts()
    assert book.deals[deal_id].status == DealState.TO_SHIP


async def test_strangers_pressing_a_deals_offers_ratings_or_threads_buttons_learn_nothing():
    chat, book = deal_chat()
    deal_id = book.sale(DealState.SHIPPED)  # on its way: the buyer confirms next
    eve = person(chat, "eve")
    for data in (f"@do:deal_step:{deal_id}:confirm-receipt", f"@do:view_deal:{deal_id}",
                 "@do:answer_offer:accept:1", f"@do:rate_deal:{deal_id}", "@do:reply_thread:1"):
        await eve.send(Choice(data))
        assert "doesn't exist" in eve.texts(), (data, eve.texts())
    assert book.deals[deal_id].status == DealState.SHIPPED
