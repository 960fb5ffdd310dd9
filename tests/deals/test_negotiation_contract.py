"""The offers' negotiation behaves alike in memory and in the database: one set of tests
(`NegotiationContract`) runs against the tests' `MemoryNegotiation` (no database) and the
`SqlNegotiation` (on SQLite and PostgreSQL), so that the offers' use cases tested on the fake
(`test_offers.py`) hold on the real one. Two acceptances racing for the last stock, the expiry
timer firing and what an agreed deal sets going are proven on the database (`test_offers.py`,
`test_timers_firing.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from core.companies import service as companies
from core.deals import on_terms
from core.deals.offers import rounds
from core.deals.offers.facts import Terms
from core.deals.offers.negotiation import Negotiation
from core.deals.offers.sql_negotiation import SqlNegotiation
from core.deals.tables import Offer
from core.errors import Conflict
from core.money.model import Money
from core.process import timers
from core.process.deals import BUYER, OFFER_PROCESS, SELLER
from tests.catalog.helpers import make_account
from tests.deals.offer_fakes import BOB, EVE, SAM, MemoryNegotiation
from tests.deals.test_offers import world

LIMIT = Money.parse("10000", "EUR")


def terms(quantity: str = "100") -> Terms:
    return Terms(Decimal(quantity), Money.parse("220.00", "EUR"), "EXW", "Riga port")


class NegotiationContract:
    """What every negotiation does; a subclass gives `negotiation`: one, with Sam's listing of
    500 t (at least 20 t an order), Bob and Eve buying on their own and Anna for a company."""

    async def offered(self, negotiation, buyer: int, quantity: str = "100") -> Offer:
        book = negotiation.book
        listing = await book.listing(negotiation.listing_id)
        offer = rounds.drafted(listing, buyer, BUYER, terms(quantity), None, None, book.now())
        await book.put(offer)
        return offer

    async def test_a_listing_is_read_as_stored(self, negotiation):
        book = negotiation.book
        listing = await book.listing(negotiation.listing_id)
        assert (listing.seller_id, listing.quantity_milli, listing.min_order_milli,
                listing.status, listing.currency) == (negotiation.sam, 500_000, 20_000,
                                                      "published", "EUR")
        assert await book.listing(negotiation.listing_id + 1000) is None

    async def test_an_offer_is_kept_with_its_expiry_and_closed_once(self, negotiation):
        book = negotiation.book
        offer = await self.offered(negotiation, negotiation.bob)
        kept = await book.offer(offer.id)
        assert (kept.buyer_id, kept.seller_id, kept.made_by, kept.status, kept.quantity_milli,
                kept.price_minor) == (negotiation.bob, negotiation.sam, "buyer", "open",
                                      100_000, 22_000)
        assert await negotiation.expiry(offer.id) == offer.expires_at
        assert await book.close(kept, "declined", "too low")
        again = await book.offer(offer.id)
        assert (again.status, again.reason, again.decided_at) == ("declined", "too low",
                                                                  book.now())
        assert not await book.close(again, "withdrawn", None)
        assert (await book.offer(offer.id)).status == "declined"
        assert await negotiation.expiry(offer.id) is None  # its timer stopped
        assert await book.offer(offer.id + 1000) is None

    async def test_a_buyers_last_offer_is_the_newest_they_made(self, negotiation):
        book = negotiation.book
        assert await book.last_offer(negotiation.bob) is None
        first = await self.offered(negotiation, negotiation.bob)
        await self.offered(negotiation, negotiation.eve)
        assert (await book.last_offer(negotiation.bob)).id == first.id
        await book.close(first, "declined", None)  # in whatever state
        second = await self.offered(negotiation, negotiation.bob, quantity="50")
        assert (await book.last_offer(negotiation.bob)).id == second.id
        listing = await book.listing(negotiation.listing_id)
        quote = rounds.drafted(listing, negotiation.bob, SELLER, terms("60"), None, None,
                               book.now())  # the seller's quote to Bob: not Bob's own
        await book.put(quote)
        assert (await book.last_offer(negotiation.bob)).id == second.id
        assert await book.last_offer(negotiation.sam) is None

    async def test_an_accepted_offer_becomes_a_deal_taking_its_quantity_from_the_stock(
            self, negotiation):
        book, listing_id = negotiation.book, negotiation.listing_id
        first = await self.offered(negotiation, negotiation.bob, "100")
        too_much = await self.offered(negotiation, negotiation.eve, "400")
        rest = await self.offered(negotiation, negotiation.bob, "400")
        deal = await book.agree(first, BUYER)
        assert (deal.buyer_id, deal.seller_id, deal.listing_id, deal.offer_id, deal.status,
                deal.quantity_milli, deal.price_minor, deal.currency, deal.payment_days) == (
            negotiation.bob, negotiation.sam, listing_id, first.id, "agreed", 100_000, 22_000,
            "EUR", None)
        assert (await book.offer(first.id)).status == "accepted"
        listing = await book.listing(listing_id)
        assert (listing.quantity_milli, listing.status) == (400_000, "published")
        with pytest.raises(Conflict):
            await book.agree(first, BUYER)  # answered already
        await book.agree(rest, BUYER)
        assert (listing.quantity_milli, listing.status) == (0, "sold_out")
        with pytest.raises(Conflict, match="Not enough is left"):
            await book.agree(too_much, BUYER)
        assert (listing.quantity_milli, listing.status) == (0, "sold_out")

    async def test_a_company_buyer_has_a_seat_and_a_standing_and_a_person_neither(
            self, negotiation):
        book, anna = negotiation.book, negotiation.anna
        seat = await book.seat(anna)
        assert (seat.company.name, seat.roles, seat.limit) == ("Baltic Heat AS", ("buyer",),
                                                              LIMIT)
        standing = await book.credit(anna)
        assert (standing.company.name, standing.days, standing.limit, standing.owed,
                standing.approved) == ("Baltic Heat AS", None, None, None, False)
        assert await book.seat(negotiation.bob) is None
        assert await book.credit(negotiation.bob) is None

    async def test_an_approved_companys_standing_counts_what_its_deals_on_terms_owe(
            self, negotiation):
        book, anna = negotiation.book, negotiation.anna
        await negotiation.approve(30, Money.parse("5000", "EUR"))
        standing = await book.credit(anna)
        assert (standing.days, standing.limit, standing.owed, standing.approved) == (
            30, Money.parse("5000", "EUR"), Money(0, "EUR"), True)
        listing = await book.listing(negotiation.listing_id)
        offer = rounds.drafted(listing, anna, BUYER, Terms(
            Decimal("20"), Money.parse("100", "EUR"), "EXW", "Riga port",
            payment_method="net30"), None, None, book.now())
        await book.put(offer)
        deal = await book.agree(offer, BUYER)
        assert deal.payment_days == 30
        assert (await book.credit(anna)).owed == Money.parse("2000", "EUR")
        assert (await book.seat(anna)).company.terms_days == 30


@dataclass
class MemoryAdapter:
    book: MemoryNegotiation = field(default_factory=MemoryNegotiation)
    sam: int = SAM
    bob: int = BOB
    eve: int = EVE
    anna: int = 4
    listing_id: int = 0

    def __post_init__(self) -> None:
        self.listing_id = self.book.listed(SAM, quantity="500", min_order="20")
        self.book.seated(self.anna, limit=LIMIT)

    async def approve(self, days: int, limit: Money) -> None:
        self.book.seated(self.anna, limit=LIMIT, terms=(days, limit))

    async def expiry(self, offer_id: int) -> datetime | None:
        return self.book.expiries.get(offer_id)


class TestMemoryNegotiation(NegotiationContract):
    @pytest.fixture
    def negotiation(self):
        return MemoryAdapter()


@dataclass
class SqlAdapter:
    """A SqlNegotiation in one open unit of work (Sam's listing, the buyers and Anna's company
    committed before; what a test writes is rolled back after)."""

    uow: Any
    book: Negotiation
    sam: int
    bob: int
    eve: int
    anna: int
    listing_id: int
    root: int

    async def approve(self, days: int, limit: Money) -> None:
        seat = await self.book.seat(self.anna)
        assert seat is not None
        await on_terms.approve(self.uow, self.root, seat.company.id, days, limit)

    async def expiry(self, offer_id: int) -> datetime | None:
        due = await timers.running_due(self.uow, OFFER_PROCESS, offer_id, "open", "expire-offer")
        return due.replace(tzinfo=UTC) if due is not None and due.tzinfo is None else due


async def company_buyer(app) -> int:
    """Anna, a buyer of Baltic Heat AS (founded by Alice) with a limit of €10,000."""
    alice = await make_account(app, "alice", roles=("buyer",))
    anna = await make_account(app, "anna", roles=("buyer",))
    async with app.uow() as uow:
        await companies.found(uow, alice.id, "Baltic Heat AS")
        invite = await companies.invite(uow, alice.id, ["buyer"], LIMIT)
        await uow.commit()
    async with app.uow() as uow:
        await companies.join(uow, anna.id, invite.code)
        await uow.commit()
    return anna.id


class TestSqlNegotiation(NegotiationContract):
    @pytest.fixture
    async def negotiation(self, app):
        sam, bob, eve, listing_id = await world(app)
        anna = await company_buyer(app)
        root = await make_account(app, "root")  # an admin in the tests' settings
        async with app.uow() as uow:
            yield SqlAdapter(uow, SqlNegotiation(uow), sam.id, bob.id, eve.id, anna, listing_id,
                             root.id)
