"""Requests for supply through the core services: a heating plant asks for 2,000 t of wood
chips; every seller of chips hears once (not the pellet seller, not the buyer); quotes stay
within what is still needed and the buyer's ceiling, before the deadline; the buyer compares them
and awards two, splitting the quantity into two deals under the usual terms — the third seller
hears the request was awarded elsewhere; a closed request takes nothing more. Who is asked, and
in which words, runs in memory (the deals' handlers on the in-memory register,
`tests/deals/request_chat.py`); quotes and awards make offers and deals, on the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from core.deals import deals
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.requests import quotes as request_quotes
from core.deals.requests import service as supply_requests
from core.deals.tables import Deal, Offer
from core.errors import Conflict, DomainError, NotFound
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.deals.fakes import market as memory_market
from tests.deals.fakes import posted as memory_posted
from tests.deals.request_chat import market as request_market
from tests.deals.request_chat import post
from tests.support.outbox import told_buttons, told_texts

CHIPS = {"product_type": "chips", "title": "Wood chips G30", "grade": "ISO 17225 B1",
         "unit": "t", "quantity": "3000", "min_order": "100", "price": "24",
         "negotiable": "yes"}


def chips(quantity: str, price: str) -> Terms:
    return Terms(Decimal(quantity), Money.parse(price, "EUR"), "DAP", "Tartu")


async def market(app):
    """Hanna (a heating plant) and four sellers: three of chips, one of pellets only."""
    hanna = await make_account(app, "hanna", roles=("buyer",), country="EE", city="Tartu")
    sellers = [await make_account(app, name, roles=("seller",))
               for name in ("aivar", "birute", "carl", "dace")]
    for seller in sellers[:3]:
        await publish(app, seller, **CHIPS)
    await publish(app, sellers[3])  # pellets
    await publish(app, hanna, **CHIPS)  # her own chips: she is not asked
    return hanna, sellers


async def posted(app, hanna, **changes) -> int:
    draft = supply_requests.Draft(**{
        "product_type": "chips", "quantity": Decimal("2000"), "unit": "t", "place": "Tartu",
        "max_price": Money.parse("22", "EUR"), "deadline_days": "3", **changes})
    async with app.uow() as uow:
        request = await supply_requests.post(uow, hanna.id, draft)
        await uow.commit()
        return request.id


async def quoted(app, seller, request_id: int, quantity: str, price: str) -> int:
    async with app.uow() as uow:
        listing = await request_quotes.listing_for(uow, request_id, seller.id)
        offer = await request_quotes.quote(uow, request_id, seller.id, listing.id,
                                            chips(quantity, price))
        await uow.commit()
        return offer.id


async def test_every_seller_of_the_product_is_asked_once_in_their_own_words():
    chat, register, hanna, (aivar, birute, carl, dace) = request_market()
    request_id = await post(chat, hanna)
    assert {seller for __, seller in register.invites} == {aivar, birute, carl}
    for seller in (aivar, birute, carl):
        [card] = await told_texts(chat, seller, "Request for supply")
        assert "2\xa0000 t of Wood chips" in card and "DAP Tartu" in card
        assert "At most €22.00 per t" in card.replace("\xa0", " ") or "22,00" in card
        assert ("quote_request", str(request_id)) in await told_buttons(
            chat, seller, "Request for supply")
    assert not await told_texts(chat, dace, "Request for supply")
    assert not await told_texts(chat, hanna, "Request for supply")


async def test_a_request_is_refused_at_its_wrong_answer():
    register, hanna, _ = memory_market()
    with pytest.raises(DomainError, match="requested in"):
        await memory_posted(register, hanna, unit="kg")
    with pytest.raises(DomainError, match="positive amount"):
        await memory_posted(register, hanna, quantity=Decimal("0"))
    with pytest.raises(DomainError, match="ends before it starts"):
        from datetime import date
        await memory_posted(register, hanna, delivery_from=date(2027, 3, 1),
                            delivery_to=date(2027, 1, 1))
    with pytest.raises(DomainError, match="1, 3, 7 or 14 days"):
        await memory_posted(register, hanna, deadline_days="30")
    with pytest.raises(DomainError, match="approved"):
        await memory_posted(register, hanna, payment_method="net30")
    assert not register.requests and not register.events  # nothing posted, nobody told


async def test_quotes_are_compared_and_two_awards_split_the_request_into_two_deals(app):
    hanna, (aivar, birute, carl, dace) = await market(app)
    request_id = await posted(app, hanna)
    with pytest.raises(DomainError, match=r"at most €22\.00 per t"):
        await quoted(app, aivar, request_id, "1000", "23")  # above the ceiling
    with pytest.raises(DomainError, match="at most 2,000 t more"):
        await quoted(app, aivar, request_id, "2500", "21")
    with pytest.raises(NotFound):
        await quoted(app, dace, request_id, "100", "20")  # not asked (sells pellets)
    first = await quoted(app, aivar, request_id, "1200", "21")
    second = await quoted(app, birute, request_id, "1000", "20")
    third = await quoted(app, carl, request_id, "1000", "21.50")
    assert await told_texts(app, hanna.id, f"On request for supply #{request_id}")

    async with app.uow() as uow:
        rows = await request_quotes.compare(uow, request_id, hanna.id)
        assert [r.offer.id for r in rows] == [second, first, third]  # cheapest first
        assert rows[0].total == Money.parse("20000", "EUR") and rows[0].per_mwh is not None
        assert 200 < rows[0].distance_km < 260  # from Riga to Tartu
        with pytest.raises(NotFound):
            await request_quotes.compare(uow, request_id, dace.id)

    async with app.uow() as uow:  # the buyer awards the cheapest: a deal for 1,000 t
        one = await offers.accept(uow, second, hanna.id)
        await uow.commit()
    async with app.uow() as uow:  # 1,200 t no longer fit; she counters with the 1,000 t left
        with pytest.raises(DomainError, match="at most 1,000 t more"):
            await offers.accept(uow, first, hanna.id)
    async with app.uow() as uow:
        countered = await offers.counter(uow, first, hanna.id, chips("1000", "21"))
        await uow.commit()
    async with app.uow() as uow:
        two = await offers.accept(uow, countered.id, aivar.id)
        await uow.commit()
    async with app.uow() as uow:
        made = list((await uow.session.execute(select(Deal).order_by(Deal.id))).scalars())
        assert [(d.seller_id, d.quantity_milli) for d in made] == [
            (birute.id, 1_000_000), (aivar.id, 1_000_000)]
        assert {one.id, two.id} == {d.id for d in made}
        assert deals.total(made[0]) == Money.parse("20000", "EUR")
        assert (await uow.session.get(Offer, third)).status == "declined"
        request = await supply_requests.get(uow, request_id, hanna.id)
        assert request.status == "awarded"
    assert await told_texts(app, carl.id, "was not awarded: the buyer awarded the request")
    with pytest.raises(Conflict):
        await quoted(app, carl, request_id, "100", "20")


async def test_no_quote_after_the_deadline_and_a_closed_request_declines_the_open_ones(
        app, clock):
    hanna, (aivar, birute, _carl, _dace) = await market(app)
    request_id = await posted(app, hanna, deadline_days="1")
    offer_id = await quoted(app, aivar, request_id, "500", "21")
    clock.advance(days=1, minutes=1)
    with pytest.raises(Conflict, match="closed at its deadline"):
        await quoted(app, birute, request_id, "500", "21")
    async with app.uow() as uow:
        await supply_requests.close(uow, request_id, hanna.id)
        await uow.commit()
    async with app.uow() as uow:
        assert (await uow.session.get(Offer, offer_id)).status == "declined"
    assert await told_texts(app, aivar.id, "was declined: the buyer closed the request")


async def test_a_quote_keeps_to_the_request_in_unit_currency_delivery_and_negotiation(app):
    """Quotes come from a listing in the request's unit and currency, cover at most what is
    needed (a framework contract's call-offs together), and counter-offers in their
    negotiation stay under the ceiling and within what is needed; the
    buyer's own counter is not listed as a seller's quote, and closing declines it too."""
    hanna, (aivar, _birute, _carl, _dace) = await market(app)
    erik = await make_account(app, "erik", roles=("seller",))
    await publish(app, erik, **{**CHIPS, "unit": "loose_m3", "quantity": "9000"})
    request_id = await posted(app, hanna)
    async with app.uow() as uow:  # erik sells chips by the loose m³: nothing to quote from
        with pytest.raises(DomainError, match="no published listing of Wood chips in t"):
            await request_quotes.listing_for(uow, request_id, erik.id)
    async with app.uow() as uow:
        listing = await request_quotes.listing_for(uow, request_id, aivar.id)
        with pytest.raises(DomainError, match="at most 2,000 t more"):  # 11 times 200 t
            await request_quotes.quote(uow, request_id, aivar.id, listing.id, Terms(
                Decimal("200"), Money.parse("20", "EUR"), "DAP", "Tartu", call_offs=11,
                call_off_every="month"))
    quote_id = await quoted(app, aivar, request_id, "1000", "20")
    async with app.uow() as uow:
        hers = await offers.counter(uow, quote_id, hanna.id, chips("1000", "19"))
        await uow.commit()
    async with app.uow() as uow:
        with pytest.raises(DomainError, match="at most €22"):  # the seller counters above it
            await offers.counter(uow, hers.id, aivar.id, chips("1000", "40"))
        assert [r.offer.id for r in await request_quotes.compare(uow, request_id, hanna.id)] \
            == []  # her counter is hers, not a seller's quote
        await supply_requests.close(uow, request_id, hanna.id)  # declines her counter too
        await uow.commit()
    async with app.uow() as uow:
        assert (await uow.session.get(Offer, hers.id)).status == "declined"
    assert not await told_texts(app, hanna.id, "was declined")
    assert await told_texts(app, aivar.id, f"Your quote #{quote_id} on “Wood chips G30” was "
                                           "declined: the buyer closed the request")


async def test_a_cancelled_award_no_longer_covers_the_request(app):
    hanna, (aivar, _birute, _carl, _dace) = await market(app)
    request_id = await posted(app, hanna)
    quote_id = await quoted(app, aivar, request_id, "1500", "21")
    async with app.uow() as uow:
        deal = await offers.accept(uow, quote_id, hanna.id)
        await deals.take(uow, deal.id, "cancel-deal", hanna.id)
        await uow.commit()
    async with app.uow() as uow:
        request = await supply_requests.get(uow, request_id, hanna.id)
        assert await request_quotes.remaining(uow, request) == 2_000_000


async def test_a_framework_contract_quote_covers_the_request_with_its_call_offs(app):
    hanna, (aivar, *_) = await market(app)
    request_id = await posted(app, hanna)
    async with app.uow() as uow:
        listing = await request_quotes.listing_for(uow, request_id, aivar.id)
        quote = await request_quotes.quote(uow, request_id, aivar.id, listing.id, Terms(
            Decimal("200"), Money.parse("20", "EUR"), "DAP", "Tartu", call_offs=10,
            call_off_every="month"))  # 200 t a month for ten months: the 2,000 t asked
        await uow.commit()
    async with app.uow() as uow:
        deal = await offers.accept(uow, quote.id, hanna.id)
        await uow.commit()
        assert deal.contract_id is not None and deal.quantity_milli == 200_000
    async with app.uow() as uow:
        request = await supply_requests.get(uow, request_id, hanna.id)
        assert request.status == "awarded"  # covered in full by the contract
