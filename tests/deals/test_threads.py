"""“Ask the seller”: one thread per listing and buyer, contacts masked before a deal, blocking."""

from __future__ import annotations

import pytest

from core.deals.offers import service as offers
from core.deals.threads import service as threads
from core.disclosure import HIDDEN, mask
from core.errors import NotAllowed, NotFound
from tests.catalog.helpers import make_account, publish
from tests.deals.test_offers import terms


@pytest.mark.parametrize("text", ["call me on +371 2912 3456", "mail sam@pellets.lv today",
                                  "see https://example.com/offer", "or www.pellets.lv",
                                  "phone (029) 123-45-67"])
def test_contact_details_are_masked(text):
    hidden, masked = mask(text)
    assert masked and HIDDEN in hidden


def test_ordinary_numbers_are_left_alone():
    assert mask("500 t at 230 EUR, moisture 8.5%, delivery 2026-12-01") == (
        "500 t at 230 EUR, moisture 8.5%, delivery 2026-12-01", False)


async def test_a_buyer_asks_the_seller_answers_and_contacts_stay_hidden_until_a_deal(app):
    sam = await make_account(app, "sam")
    bob, eve = await make_account(app, "bob", roles=("buyer",)), await make_account(app, "eve")
    listing_id = await publish(app, sam, min_order="20")
    async with app.uow() as uow:
        first = await threads.ask(uow, listing_id, bob.id, "Is it bagged? +371 2912 3456")
        again = await threads.ask(uow, listing_id, bob.id, "And pallets?")
        assert first.thread_id == again.thread_id and first.masked
        reply = await threads.post(uow, first.thread_id, sam.id, "Yes: sam@pellets.lv")
        assert reply.masked and "sam@pellets.lv" not in reply.text
        with pytest.raises(NotFound):
            await threads.post(uow, first.thread_id, eve.id, "hello")
        with pytest.raises(NotFound):
            await threads.history(uow, first.thread_id, eve.id)
        offer = await offers.make_offer(uow, listing_id, bob.id, terms())
        await offers.accept(uow, offer.id, sam.id)
        after = await threads.post(uow, first.thread_id, sam.id, "Call +371 2912 3456")
        assert not after.masked and "+371" in after.text
        assert [m.id for m in await threads.history(uow, first.thread_id, bob.id)] == [
            after.id, reply.id, again.id, first.id]


async def test_either_party_can_block_and_then_nothing_more_is_sent(app):
    sam = await make_account(app, "sam")
    bob = await make_account(app, "bob", roles=("buyer",))
    listing_id = await publish(app, sam)
    async with app.uow() as uow:
        message = await threads.ask(uow, listing_id, bob.id, "hi")
        await threads.block(uow, message.thread_id, sam.id, report=True)
        with pytest.raises(NotAllowed):
            await threads.post(uow, message.thread_id, bob.id, "hello?")
