"""A deal's own record behaves alike in memory and in the database: one set of tests
(`DealBookContract`) runs against the tests' `MemoryDeals` (no database) and the `SqlDealBook`
with the `SqlFolder` (on SQLite and PostgreSQL), so that who may see a deal, its guarded move,
a member's deals and what its card reads, tested on the fake, hold on the real ones. (What a
move sets going on the database — the timers, the VAT, the stock, the money — is proven there:
test_timers_*.py, test_sale_vat.py, test_deal_payments.py.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from core.deals.after_sale.logbook import Logbook
from core.deals.after_sale.sql_logbook import SqlLogbook
from core.deals.contracts.tables import Contract
from core.deals.deal_book import DealBook, SqlDealBook
from core.deals.folder import DealFolder, SqlFolder
from core.deals.ratings.tables import Rating
from core.deals.tables import Dispute, Offer, Shipment
from core.process.deals import DEAL_PROCESS, DealState
from tests.catalog.helpers import make_account
from tests.deals.deal_fakes import BOB, EVE, ROOT, SAM, TITLE, MemoryDeals
from tests.deals.test_after_sale import paid


class DealBookContract:
    """What every deal book and folder do; a subclass gives `deal_book`: the book, the folder,
    the logbook that writes the after-sale rows, its people (`sam` sells to `bob`, `eve` is a
    stranger, `root` an administrator) and a paid deal to ship."""

    async def test_a_deal_is_loaded_and_who_may_see_it_is_answered(self, deal_book):
        deal_id, book = await deal_book.paid(), deal_book.book
        deal = await book.stored(deal_id)
        assert (deal.id, deal.seller_id, deal.buyer_id, deal.status) == (
            deal_id, deal_book.sam, deal_book.bob, DealState.TO_SHIP)
        assert await book.stored(deal_id) is deal
        assert await book.stored(deal_id + 1000) is None
        assert await book.may(deal_book.root, "view_deals")
        assert await book.may(deal_book.root, "decide_disputes")
        assert not await book.may(deal_book.sam, "view_deals")
        assert not await book.may(None, "view_deals")
        assert not await book.colleague_sees(deal, deal_book.eve)  # no company buys here
        assert not await book.colleague_sees(deal, None)

    async def test_a_deal_moves_only_from_where_it_still_is(self, deal_book):
        deal_id, book = await deal_book.paid(), deal_book.book
        deal = await book.stored(deal_id)
        shipped = DEAL_PROCESS.transition("mark-shipped")
        assert await book.move(deal, shipped, DealState.TO_SHIP)
        assert (deal.status, deal.updated_at) == (DealState.SHIPPED, book.now())
        assert (await book.stored(deal_id)).status == DealState.SHIPPED
        assert not await book.move(deal, shipped, DealState.TO_SHIP)  # it moved meanwhile
        assert deal.status == DealState.SHIPPED
        cancel = DEAL_PROCESS.transition("cancel-deal")
        assert not await book.move(deal, cancel, DealState.AWAITING_PAYMENT)
        assert (await book.stored(deal_id)).status == DealState.SHIPPED

    async def test_a_members_deals_come_with_the_listing_the_other_party_and_the_stars(
            self, deal_book):
        deal_id, book = await deal_book.paid(), deal_book.book
        [(deal, title, other)] = await book.mine(deal_book.bob, 20)
        assert (deal.id, title, other) == (deal_id, TITLE, "Sam")
        assert [(d.id, o) for d, __, o in await book.mine(deal_book.sam, 20)] == [(deal_id, "Bob")]
        assert await book.mine(deal_book.eve, 20) == []
        assert await book.mine(deal_book.bob, 0) == []
        assert await book.stars([deal_id], deal_book.bob) == {}
        assert await book.stars([], deal_book.bob) == {}
        await deal_book.logbook.put(Rating(deal_id=deal_id, rater_id=deal_book.bob,
                                           ratee_id=deal_book.sam, stars=5, aspects={},
                                           created_at=book.now()))
        assert await book.stars([deal_id], deal_book.bob) == {deal_id: {"given": 5}}
        assert await book.stars([deal_id], deal_book.sam) == {deal_id: {"got": 5}}
        assert await book.stars([deal_id + 1000], deal_book.sam) == {}

    async def test_the_card_reads_the_listing_the_names_and_the_after_sale_rows(self, deal_book):
        deal_id, folder, logbook = await deal_book.paid(), deal_book.folder, deal_book.logbook
        deal = await deal_book.book.stored(deal_id)
        assert (await folder.listing(deal.listing_id)).title == TITLE
        assert await folder.listing(deal.listing_id + 1000) is None
        assert (await folder.name(deal_book.sam), await folder.name(deal_book.bob)) == ("Sam", "Bob")
        assert await folder.name(deal_book.bob + 1000) == "?"
        assert (await folder.current_terms(deal_id)).version == 1
        assert await folder.current_terms(deal_id + 1000) is None
        version = await folder.current_terms(deal_id)
        assert await folder.version(version.id) == version
        assert await folder.version(version.id + 1000) is None
        for read in (folder.shipment, folder.dispute_of, folder.report):
            assert await read(deal_id) is None
        assert not await folder.rated_by(deal_id, deal_book.bob)
        assert await folder.open_disputes() == []
        await logbook.put(Shipment(deal_id=deal_id, carrier="DSV", status="dispatched",
                                   updated_at=logbook.now()))
        dispute = Dispute(deal_id=deal_id, opened_by=deal_book.bob, reason="Never arrived",
                          created_at=logbook.now())
        await logbook.put(dispute)
        await logbook.put(Rating(deal_id=deal_id, rater_id=deal_book.bob, ratee_id=deal_book.sam,
                                 stars=4, aspects={}, created_at=logbook.now()))
        assert (await folder.shipment(deal_id)).carrier == "DSV"
        assert await folder.dispute_of(deal_id) is dispute
        assert await folder.dispute(dispute.id) is dispute
        assert await folder.dispute(dispute.id + 1000) is None
        assert await folder.rated_by(deal_id, deal_book.bob)
        assert not await folder.rated_by(deal_id, deal_book.sam)
        assert await folder.open_disputes() == [(dispute, "EUR", TITLE)]
        assert await logbook.decide(dispute.id, outcome="release", decision="Arrived",
                                    decided_by=deal_book.root, decided_at=logbook.now())
        assert await folder.open_disputes() == []

    async def test_the_dashboard_reads_open_offers_and_framework_contracts(self, deal_book):
        deal_id, folder = await deal_book.paid(), deal_book.folder
        deal = await deal_book.book.stored(deal_id)
        assert await folder.open_offers(deal_book.eve, 20) == []
        assert await folder.contracts(deal_book.bob, 20) == []
        now = deal_book.book.now()
        ids = [await deal_book.keep(Offer(
            listing_id=deal.listing_id, buyer_id=deal_book.eve, seller_id=deal_book.sam,
            made_by="buyer", status=status, quantity_milli=20_000, price_minor=21_000,
            currency="EUR", payment_method="escrow", expires_at=now + timedelta(days=2),
            created_at=now))
            for status in ("open", "declined", "open")]
        assert [(o.id, title, unit) for o, title, unit in await folder.open_offers(
            deal_book.eve, 20)] == [(ids[2], TITLE, "t"), (ids[0], TITLE, "t")]
        assert [o.id for o, *__ in await folder.open_offers(deal_book.sam, 1)] == [ids[2]]
        assert await folder.open_offers(deal_book.bob, 20) == []
        contract_id = await deal_book.keep(Contract(
            offer_id=deal.offer_id, listing_id=deal.listing_id, buyer_id=deal_book.bob,
            seller_id=deal_book.sam, status="active", quantity_milli=100_000,
            price_minor=22_000, currency="EUR", call_offs=3, every="month",
            first_date=now.date(), called=1, created_at=now, updated_at=now))
        for who in (deal_book.bob, deal_book.sam):
            assert [(c.id, c.call_offs, title) for c, title in await folder.contracts(who, 20)] \
                == [(contract_id, 3, TITLE)]
        assert await folder.contracts(deal_book.eve, 20) == []


@dataclass
class MemoryAdapter:
    deals: MemoryDeals = field(default_factory=MemoryDeals)
    sam: int = SAM
    bob: int = BOB
    eve: int = EVE
    root: int = ROOT

    @property
    def book(self) -> DealBook:
        return self.deals

    @property
    def folder(self) -> DealFolder:
        return self.deals

    @property
    def logbook(self) -> Logbook:
        return self.deals

    async def paid(self) -> int:
        return self.deals.sale(DealState.TO_SHIP)

    async def keep(self, row: Offer | Contract) -> int:
        return self.deals.hold(row)


class TestMemoryDealBook(DealBookContract):
    @pytest.fixture
    def deal_book(self):
        return MemoryAdapter()


@dataclass
class SqlAdapter:
    """The SQL book, folder and logbook in one open unit of work (Sam's deal with Bob paid
    before, and committed; Sam's listing titled as the fake's; what a test writes is rolled
    back after)."""

    app: Any
    uow: Any
    sam: int = 0
    bob: int = 0
    eve: int = 0
    root: int = 0

    @property
    def book(self) -> DealBook:
        return SqlDealBook(self.uow)

    @property
    def folder(self) -> DealFolder:
        return SqlFolder(self.uow)

    @property
    def logbook(self) -> Logbook:
        return SqlLogbook(self.uow)

    async def paid(self) -> int:
        from core.catalog.tables import Listing
        from core.deals.tables import Deal

        sam, bob, eve, deal_id = await paid(self.app)
        self.root = (await make_account(self.app, "root")).id
        self.sam, self.bob, self.eve = sam.id, bob.id, eve.id
        deal = await self.uow.get(Deal, deal_id)
        (await self.uow.get(Listing, deal.listing_id)).title = TITLE
        await self.uow.session.flush()
        return deal_id

    async def keep(self, row: Offer | Contract) -> int:
        await self.uow.insert(row)
        return row.id


class TestSqlDealBook(DealBookContract):
    @pytest.fixture
    async def deal_book(self, app):
        async with app.uow() as uow:
            yield SqlAdapter(app, uow)
