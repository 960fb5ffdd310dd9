"""Offers, counter-offers and accepting one into a deal, through the core services: who may do
what, the stock reserved once, offers that expire. Who may answer and what the terms must keep
to run on the in-memory negotiation (`tests/deals/offer_fakes.py`, held to the SQL one by
`test_negotiation_contract.py`); two acceptances racing for the last stock, the timers, the
frozen terms stay on the database; who takes a deal's steps runs on the in-memory deal book
(`tests/deals/deal_fakes.py`)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.catalog.tables import Listing
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.tables import Deal, Offer
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from core.process.tables import ProcessTimer
from tests.catalog.helpers import make_account, publish
from tests.deals.offer_fakes import BOB, EVE, SAM, MemoryNegotiation


def terms(quantity: str = "100", price: str = "220.00") -> Terms:
    return Terms(Decimal(quantity), Money.parse(price, "EUR"), "EXW", "Riga port")


async def world(app, quantity: str = "500"):
    sam = await make_account(app, "sam")
    bob = await make_account(app, "bob", roles=("buyer",))
    eve = await make_account(app, "eve", roles=("buyer",))
    listing_id = await publish(app, sam, quantity=quantity, min_order="20")
    return sam, bob, eve, listing_id


def negotiation(quantity: str = "500") -> tuple[MemoryNegotiation, int]:
    """As `world`, on the in-memory negotiation: Sam's listing of `quantity` t (at least 20 t
    an order); Bob and Eve buy."""
    book = MemoryNegotiation()
    return book, book.listed(SAM, quantity=quantity, min_order="20")


async def test_offer_counter_twice_and_accept_reserves_the_quantity():
    book, listing_id = negotiation()
    first = await offers.make_offer(book, listing_id, BOB, terms(price="200"))
    second = await offers.counter(book, first.id, SAM, terms(price="225"))
    third = await offers.counter(book, second.id, BOB, terms(price="215"))
    deal = await offers.accept(book, third.id, SAM)
    rounds = [(o.status, o.made_by, o.previous_id) for _, o in sorted(book.offers.items())]
    assert rounds == [("countered", "buyer", None), ("countered", "seller", first.id),
                      ("accepted", "buyer", second.id)]
    assert (deal.status, deal.price_minor, deal.quantity_milli) == ("agreed", 21500, 100_000)
    assert book.listings[listing_id].quantity_milli == 400_000


async def test_only_the_other_party_answers_and_strangers_learn_nothing():
    book, listing_id = negotiation()
    offer = await offers.make_offer(book, listing_id, BOB, terms())
    with pytest.raises(NotAllowed):
        await offers.accept(book, offer.id, BOB)  # your own offer
    with pytest.raises(NotFound):
        await offers.accept(book, offer.id, EVE)  # not a party
    with pytest.raises(NotFound):
        await offers.counter(book, offer.id, EVE, terms())
    with pytest.raises(NotAllowed):
        await offers.withdraw(book, offer.id, SAM)  # only who made it
    with pytest.raises(NotAllowed):
        await offers.make_offer(book, listing_id, SAM, terms())  # own listing


async def test_an_offer_outside_the_listings_limits_is_refused_with_the_reason():
    """The offer service checks the terms against the listing as stored (its minimum order and
    stock; the negotiation's contract proves the listing is read as stored); every limit of the
    rule itself is tested on its own (tests/deals/test_deals_rules.py)."""
    book, listing_id = negotiation()
    with pytest.raises(DomainError, match="minimum order is 20"):
        await offers.make_offer(book, listing_id, BOB, terms(quantity="5"))
    with pytest.raises(DomainError, match="Only 500 are available"):
        await offers.make_offer(book, listing_id, BOB, terms(quantity="900"))
    assert not book.offers


async def test_two_buyers_accepted_for_the_last_stock_at_once_never_oversell(app):
    sam, bob, eve, listing_id = await world(app, quantity="100")
    async with app.uow() as uow:
        mine = await offers.make_offer(uow, listing_id, bob.id, terms(quantity="100"))
        theirs = await offers.make_offer(uow, listing_id, eve.id, terms(quantity="100"))
        await uow.commit()

    async def accept(offer_id: int) -> str:
        async with app.uow() as uow:
            try:
                await offers.accept(uow, offer_id, sam.id)
                await uow.commit()
                return "deal"
            except Conflict:
                return "refused"

    results = sorted(await asyncio.gather(accept(mine.id), accept(theirs.id)))
    async with app.uow() as uow:
        listing = await uow.session.get(Listing, listing_id)
        deals = (await uow.session.execute(select(Deal))).scalars().all()
        assert results == ["deal", "refused"] and len(deals) == 1
        assert (listing.quantity_milli, listing.status) == (0, "sold_out")


async def test_an_answered_offer_cannot_be_answered_again():
    book, listing_id = negotiation()
    offer = await offers.make_offer(book, listing_id, BOB, terms())
    await offers.decline(book, offer.id, SAM, "too low")
    with pytest.raises(Conflict):
        await offers.accept(book, offer.id, SAM)
    assert not book.deals and book.listings[listing_id].quantity_milli == 500_000


async def test_offers_expire_after_48_hours_once_and_their_timer_is_done(app, clock):
    _, bob, _, listing_id = await world(app)
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, bob.id, terms())
        await uow.commit()
    clock.advance(hours=47)
    async with app.uow() as uow:
        assert await offers.expire_due(uow) == []
    clock.advance(hours=2)
    async with app.uow() as uow:
        assert await offers.expire_due(uow) == [offer.id]
        await uow.commit()
    async with app.uow() as uow:
        assert await offers.expire_due(uow) == []  # a second run does nothing
        assert (await uow.session.get(Offer, offer.id)).status == "expired"
        timers = (await uow.session.execute(select(ProcessTimer.done_at))).scalars().all()
        assert all(done is not None for done in timers)


async def agreed(app):
    sam, bob, eve, listing_id = await world(app, quantity="100")
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, bob.id, terms(quantity="100"))
        deal = await offers.accept(uow, offer.id, sam.id)
        await uow.commit()
    return sam, bob, eve, listing_id, deal.id


async def test_both_accept_the_frozen_terms_by_fingerprint_and_the_deal_awaits_payment(app):
    from core.deals.terms import service as deal_terms

    sam, bob, eve, _, deal_id = await agreed(app)
    async with app.uow() as uow:
        first = await deal_terms.current(uow, deal_id)
        assert first.version == 1 and first.sha256 == deal_terms.fingerprint(first.body)
        assert first.body["quantity"] == "100" and first.body["unit_price"] == "220.00"
        with pytest.raises(NotFound):
            await deal_terms.accept(uow, deal_id, eve.id, first.sha256)
        await deal_terms.accept(uow, deal_id, bob.id, first.sha256)
        changed = await deal_terms.propose(uow, deal_id, sam.id, {**first.body, "tolerance": "5%"})
        with pytest.raises(Conflict):  # bob accepted version 1, not the change
            await deal_terms.accept(uow, deal_id, sam.id, first.sha256)
        await deal_terms.accept(uow, deal_id, sam.id, changed.sha256)
        deal = await deal_terms.accept(uow, deal_id, bob.id, changed.sha256)
        assert (changed.version, deal.status) == (2, "awaiting_payment")
        with pytest.raises(Conflict):
            await deal_terms.propose(uow, deal_id, sam.id, first.body)


async def test_only_the_declared_party_takes_each_deal_step():
    """On the in-memory deal book (tests/deals/deal_fakes.py): an offer just accepted."""
    from core.deals import deals
    from core.process.deals import DealState
    from tests.deals.deal_fakes import MemoryDeals

    book = MemoryDeals()
    deal_id = book.sale(DealState.AGREED)
    with pytest.raises(NotFound):
        await deals.take(book, deal_id, "cancel-deal", EVE)
    with pytest.raises(NotAllowed):
        await deals.take(book, deal_id, "payment-received", BOB)  # the system's step
    with pytest.raises(Conflict):
        await deals.take(book, deal_id, "mark-shipped", SAM)  # not paid yet
    assert book.deals[deal_id].status == DealState.AGREED


async def test_an_unpaid_deal_is_cancelled_at_its_deadline_and_the_stock_returns(app, clock):
    from core.deals import deals

    *_, listing_id, deal_id = await agreed(app)
    async with app.uow() as uow:
        assert (await uow.session.get(Listing, listing_id)).status == "sold_out"
    clock.advance(days=3, seconds=1)
    async with app.uow() as uow:
        assert await deals.run_due(uow) == [(deal_id, "cancel-unpaid")]
        await uow.commit()
    async with app.uow() as uow:
        listing = await uow.session.get(Listing, listing_id)
        assert (await uow.session.get(Deal, deal_id)).status == "cancelled"
        assert (listing.quantity_milli, listing.status) == (100_000, "published")
        assert await deals.run_due(uow) == []
