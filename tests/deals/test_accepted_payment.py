"""A seller's accepted currencies and ways to pay, on offers and Buy now, without a database:
a seller who chose nothing takes everything (as before the choice existed); otherwise an
offer's payment choice shows only what they take, and core refuses an offer paid in another way
or in another currency, saying what they accept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conversations.flows.deals.offer_fields import payment_choices, usual_payment
from core.accounts import accepted as accounts_accepted
from core.deals import accepted
from core.deals.accepted import Accepts
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.errors import DomainError
from core.money.model import Money
from tests.deals.offer_fakes import BOB, SAM, MemoryNegotiation


def terms(method: str = "escrow", currency: str = "EUR") -> Terms:
    return Terms(Decimal("100"), Money.parse("230", currency), "EXW", "Riga port",
                 payment_method=method)


def test_a_seller_who_chose_nothing_takes_every_way_an_offer_may_be_paid():
    assert accepted.offer_methods(Accepts()) == ("escrow", "direct", "net14", "net30")
    assert accepted.offer_methods(Accepts(methods=("transfer",))) == ("escrow",)
    assert accepted.offer_methods(Accepts(methods=("direct", "terms"))) == (
        "direct", "net14", "net30")
    assert accepted.escrow_ways(Accepts(methods=("transfer", "direct")),
                                ("card", "transfer")) == ("transfer",)


def test_crypto_is_offered_only_where_the_platform_takes_it():
    assert "crypto" not in dict(accounts_accepted.method_choices(crypto=False))
    assert "crypto" in dict(accounts_accepted.method_choices(crypto=True))
    assert accounts_accepted.checked_methods(["crypto", "card", "card"]) == ["card", "crypto"]
    with pytest.raises(DomainError, match="at least one"):
        accounts_accepted.checked_methods([])
    assert accounts_accepted.checked_currencies(["sek", "EUR", "SEK"]) == ["SEK", "EUR"]
    with pytest.raises(DomainError):
        accounts_accepted.checked_currencies(["XYZ"])


def test_the_offers_payment_choice_shows_only_the_ways_the_seller_takes():
    everything = [key for key, __ in payment_choices(("net30",))]
    assert everything == ["escrow", "direct", "net30"]
    assert [key for key, __ in payment_choices(("net30",), ("escrow", "net30"))] == [
        "escrow", "net30"]
    assert usual_payment({"payment_method": "escrow"}, (), ("direct",)) == {
        "payment_method": "direct"}


async def test_an_offer_paid_in_a_way_the_seller_does_not_take_is_refused_saying_what_they_do():
    book = MemoryNegotiation()
    listing_id = book.listed(SAM)
    book.sellers_accept[SAM] = Accepts(methods=("card", "transfer"))
    with pytest.raises(DomainError, match="they accept: Card, Bank transfer"):
        await offers.make_offer(book, listing_id, BOB, terms("direct"))
    offer = await offers.make_offer(book, listing_id, BOB, terms("escrow"))
    assert offer.payment_method == "escrow"
    with pytest.raises(DomainError, match="they accept: Card, Bank transfer"):
        await offers.counter(book, offer.id, SAM, terms("direct"))
    fixed = book.listed(SAM, negotiable=False)
    with pytest.raises(DomainError, match="they accept"):
        await offers.buy_now(book, fixed, BOB, terms("direct"))


async def test_an_offer_in_a_currency_the_seller_does_not_accept_is_refused_naming_theirs():
    book = MemoryNegotiation()
    listing_id = book.listed(SAM)
    book.sellers_accept[SAM] = Accepts(currencies=("SEK", "NOK"))
    with pytest.raises(DomainError, match="The seller accepts offers in SEK, NOK only"):
        await offers.make_offer(book, listing_id, BOB, terms())
    book.sellers_accept[SAM] = Accepts()  # nothing chosen: as before
    assert (await offers.make_offer(book, listing_id, BOB, terms("direct"))).id
