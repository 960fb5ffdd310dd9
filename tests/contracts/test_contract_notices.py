"""What the parties of a contract hear before each call-off (its date and quantity, in each
person's zone, once) and before the contract ends (with Renew), and Renew itself: an offer
from the old terms to the same partner, for the parties only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.clock import local_time
from core.deals import contract_card
from core.deals.offers import service as offers
from core.errors import NotAllowed, NotFound
from tests.catalog.helpers import make_account
from tests.contracts.support import (
    contract_of,
    contract_running,
    run_contract_notices,
    run_contract_timers,
)
from tests.deals.timer_support import buttons, live_in, told

DEC_20 = datetime(2026, 12, 20, tzinfo=UTC)
JAN_20 = datetime(2027, 1, 20, tzinfo=UTC)


async def test_both_hear_of_each_call_off_three_days_ahead_in_their_own_zone_once(app, clock):
    sam, bob, *_ = await contract_running(app)
    await live_in(app, bob.id, "Europe/Riga")
    clock.advance(days=26)  # 16 Dec, 12:00: more than 3 days before call-off 2
    assert await run_contract_notices(app) == 0
    clock.advance(days=1)  # 17 Dec, 12:00
    assert await run_contract_notices(app) == 2
    assert await run_contract_notices(app) == 0  # once
    [to_bob] = await told(app, bob.id, "call-off 2 of 3")
    [to_sam] = await told(app, sam.id, "call-off 2 of 3")
    assert f"is due on {local_time(DEC_20, 'Europe/Riga')}" in to_bob
    assert "100 t, 22\xa0000,00\xa0€" in to_bob and "you pay it into escrow then" in to_bob
    assert f"is due on {local_time(DEC_20, None)}" in to_sam and "you ship" in to_sam
    assert await told(app, bob.id, "ends with its last call-off") == []  # not the last one


async def test_before_the_last_call_off_both_hear_the_contract_ends_with_renew(app, clock):
    sam, bob, _, _, first = await contract_running(app)
    contract = await contract_of(app, first)
    clock.advance(days=30)
    assert len(await run_contract_timers(app)) == 1  # call-off 2 on 20 Dec
    clock.advance(days=16)  # 5 Jan 12:00: 14 days before the last call-off is 6 Jan
    await run_contract_notices(app)
    assert await told(app, bob.id, "ends with its last call-off") == []
    clock.advance(days=1)
    await run_contract_notices(app)
    for party in (bob, sam):
        [ending] = await told(app, party.id, "ends with its last call-off")
        assert f"(3 of 3) on {local_time(JAN_20, None)}" in ending
        assert ("renew_contract", str(contract.id)) in await buttons(app, party.id, "ends with")
    clock.advance(days=11)  # 17 Jan: the last call-off's own notice
    await run_contract_notices(app)
    assert len(await told(app, bob.id, "call-off 3 of 3")) == 1
    assert len(await told(app, bob.id, "ends with its last call-off")) == 1


async def test_renew_offers_the_old_terms_after_the_last_call_off_to_the_same_partner(app, clock):
    sam, bob, eve, listing_id, first = await contract_running(app, quantity="50")
    contract = await contract_of(app, first)
    root = await make_account(app, "root")
    async with app.uow() as uow:
        _, role, terms = await contract_card.renewal(uow, contract.id, bob.id)
        assert role == "buyer"
        assert (terms.quantity, terms.price.amount, terms.call_offs, terms.call_off_every) == (
            50, 22000, 3, "month")
        assert (str(terms.delivery_from), terms.incoterm) == ("2027-02-20", "EXW")
        with pytest.raises(NotAllowed):
            await contract_card.renewal(uow, contract.id, root.id)  # admins see, parties renew
        with pytest.raises(NotFound):
            await contract_card.renewal(uow, contract.id, eve.id)
        offer = await offers.make_offer(uow, listing_id, bob.id, terms)
        await uow.commit()
    assert (offer.seller_id, offer.call_offs) == (sam.id, 3)
