"""Who may take each deal transition, for every transition the process declares: a stranger
learns nothing, a party may take only their own steps, admins' and the system's steps are
theirs alone — through the service and through crafted button presses."""

from __future__ import annotations

import pytest

from conversations.messages import Choice
from core.deals import deals
from core.errors import NotAllowed, NotFound
from core.process.deals import DEAL_PROCESS
from core.process.model import ADMIN, SYSTEM
from tests.catalog.helpers import make_account
from tests.deals.chat_helpers import paid_deal, trading_pair
from tests.support.chat import ChatUser

STEPS = ("accept-terms", "terms", "pay", "mark-shipped", "update", "mark-delivered",
         "confirm-receipt", "report-quality", "accept-adjustment", "reject-adjustment",
         "dispute", "cancel-deal", "carbon")


async def test_every_transition_refuses_strangers_and_the_wrong_party_through_the_service(app):
    _, _, listing_id = await trading_pair(app)
    deal_id = await paid_deal(app, listing_id)
    eve = await make_account(app, "eve", roles=("buyer",))
    async with app.uow() as uow:
        deal = await deals.get(uow, deal_id, None)
        parties = {"buyer": deal.buyer_id, "seller": deal.seller_id}
        for step in DEAL_PROCESS.transitions:
            with pytest.raises(NotFound):
                await deals.take(uow, deal_id, step.name, eve.id)
            for role, account_id in parties.items():
                if role not in step.actors:
                    with pytest.raises(NotAllowed):
                        await deals.take(uow, deal_id, step.name, account_id)
        assert {a for s in DEAL_PROCESS.transitions for a in s.actors} >= {ADMIN, SYSTEM}


async def test_crafted_buttons_for_every_step_and_the_dispute_desk_are_refused_politely(app):
    sam, bob, listing_id = await trading_pair(app)
    deal_id = await paid_deal(app, listing_id)
    await make_account(app, "eve", roles=("buyer",))
    eve = ChatUser(app, "eve")
    for step in STEPS:
        await eve.send(Choice(f"@do:deal_step:{deal_id}:{step}"))
        assert "doesn't exist" in eve.texts(), (step, eve.texts())
    for data in ("@do:decide_dispute:1", "@go:disputes"):
        await bob.send(Choice(data))
        assert "for administrators" in bob.texts(), (data, bob.texts())
    await sam.send(Choice(f"@do:deal_step:{deal_id}:confirm-receipt"))
    await sam.tap("Yes")
    assert "Only the other party" in sam.texts() or "not yours" in sam.texts(), sam.texts()
