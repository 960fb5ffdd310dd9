"""Requests for quotes on the in-memory register (`tests/deals/fakes.py`): who may read a request
and quote on it, what a quote may be, and the buyer closing it. The same through the database,
with the offers a quote makes, their awards and the notices, is `test_supply_requests.py`'s."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from core.deals.events import RequestPosted
from core.deals.offers.facts import Terms
from core.deals.request_rules import RequestState
from core.deals.requests import quotes as request_quotes
from core.deals.requests import service as supply_requests
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from tests.deals.fakes import MemoryRequests, market, posted


def chips(quantity: str, price: str, **contract: object) -> Terms:
    return Terms(Decimal(quantity), Money.parse(price, "EUR"), "DAP", "Tartu",
                 **contract)  # type: ignore[arg-type]


def listing_of(register: MemoryRequests, seller_id: int) -> int:
    return next(n for n, listing in register.listings.items() if listing.seller_id == seller_id)


async def test_every_seller_of_the_product_is_asked_once_and_reads_it_without_the_reserve():
    register, hanna, (aivar, birute, carl, dace) = market()
    request_id = await posted(register, hanna, mode="tender", reserve=Money.parse("20", "EUR"))
    assert register.events == [RequestPosted(request_id, (aivar, birute, carl))]
    assert await supply_requests.invited(register, request_id) == [aivar, birute, carl]
    assert (await supply_requests.view(register, request_id, hanna)).reserve == \
        Money.parse("20", "EUR")  # the buyer's alone
    assert (await supply_requests.view(register, request_id, aivar)).reserve is None
    with pytest.raises(NotFound):
        await supply_requests.view(register, request_id, dace)
    assert [r.id for r in await supply_requests.mine(register, hanna)] == [request_id]


async def test_a_quote_keeps_within_the_ceiling_and_what_is_still_needed():
    register, hanna, (aivar, _birute, _carl, dace) = market()
    request_id = await posted(register, hanna)
    listing = listing_of(register, aivar)

    async def quote(terms: Terms, seller: int = aivar, from_listing: int = listing) -> int:
        return await request_quotes.place_quote(register, request_id, seller, from_listing,
                                                terms)

    with pytest.raises(DomainError, match=r"at most €22\.00 per t"):
        await quote(chips("1000", "23"))
    with pytest.raises(DomainError, match="at most 2,000 t more"):
        await quote(chips("2500", "21"))
    with pytest.raises(DomainError, match="at most 2,000 t more"):  # 11 call-offs of 200 t
        await quote(chips("200", "20", call_offs=11, call_off_every="month"))
    with pytest.raises(NotFound):
        await quote(chips("100", "20"), seller=dace)  # not asked (sells pellets)
    with pytest.raises(NotFound, match="listing"):
        await quote(chips("100", "20"), from_listing=listing_of(register, _birute))
    with pytest.raises(NotAllowed, match="your own request"):
        await quote(chips("100", "20"), seller=hanna, from_listing=listing_of(register, hanna))
    register.covered[request_id] = 1_000_000  # an award of 1,000 t stands
    with pytest.raises(DomainError, match="at most 1,000 t more"):
        await quote(chips("1200", "21"))
    assert not register.quotes
    made = await quote(chips("200", "20", call_offs=5, call_off_every="month"))
    assert (register.quotes[made].request_id, register.quotes[made].seller_id) == (
        request_id, aivar)


async def test_a_listing_that_does_not_answer_what_the_buyer_asked_quotes_nothing():
    register = MemoryRequests()
    hanna = register.person("Hanna")
    wet = register.seller("Wet", unmet=("Moisture is 45%; the buyer asks at most 30%",))
    request_id = await posted(register, hanna)
    with pytest.raises(DomainError, match="doesn't answer this request: Moisture is 45%"):
        await request_quotes.place_quote(register, request_id, wet, listing_of(register, wet),
                                         chips("500", "20"))
    assert not register.quotes


async def test_no_quote_after_the_deadline_and_the_buyer_alone_closes_declining_open_ones():
    register, hanna, (aivar, birute, *_) = market()
    request_id = await posted(register, hanna, deadline_days="1")
    open_one = await request_quotes.place_quote(register, request_id, aivar,
                                                listing_of(register, aivar), chips("500", "21"))
    register.at += timedelta(days=1, minutes=1)
    with pytest.raises(Conflict, match="closed at its deadline"):
        await request_quotes.place_quote(register, request_id, birute,
                                         listing_of(register, birute), chips("500", "21"))
    with pytest.raises(NotAllowed, match="Only the buyer"):
        await supply_requests.close(register, request_id, aivar)
    closed = await supply_requests.close(register, request_id, hanna)
    assert closed.status == RequestState.CLOSED
    assert (register.quotes[open_one].status, register.quotes[open_one].reason) == (
        "declined", supply_requests.CLOSED_BY_BUYER)
    with pytest.raises(Conflict, match="closed"):
        await supply_requests.close(register, request_id, hanna)
    register.at -= timedelta(days=1)  # even before its deadline, a closed request takes none
    with pytest.raises(Conflict, match="closed: it takes no more quotes"):
        await request_quotes.place_quote(register, request_id, birute,
                                         listing_of(register, birute), chips("500", "21"))
    register.requests[request_id] = replace(register.requests[request_id],
                                            status=RequestState.AWARDED)
    with pytest.raises(Conflict, match="awarded in full"):
        await supply_requests.close(register, request_id, hanna)


async def test_a_private_request_reaches_only_the_chosen_among_those_matched():
    register, hanna, (aivar, birute, _carl, dace) = market()
    draft = {"mode": "tender", "quantity": Decimal("100"), "private": True}
    assert [name for __, name in await supply_requests.candidates(
        register, hanna, supply_requests.Draft("chips", Decimal("100"), "t", "Tartu"))] == [
        "Aivar", "Birute", "Carl"]
    request_id = await posted(register, hanna, invite=(birute, dace), **draft)
    assert await supply_requests.invited(register, request_id) == [birute]  # not the pellets
    with pytest.raises(NotFound):
        await supply_requests.view(register, request_id, aivar)
    with pytest.raises(DomainError, match="Choose at least one seller"):
        await posted(register, hanna, invite=(dace,), **draft)
