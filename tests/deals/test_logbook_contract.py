"""The after-sale logbook behaves alike in memory and in the database: one set of tests
(`LogbookContract`) runs against the tests' `MemoryLogbook` (no database) and the `SqlLogbook`
(on SQLite and PostgreSQL), so that shipments, disputes, quality reports, ratings and carbon
receipts tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.accounts.billing import Party
from core.deals import deals
from core.deals.after_sale.logbook import Logbook
from core.deals.after_sale.sql_logbook import SqlLogbook
from core.deals.ratings.tables import Rating
from core.deals.tables import Dispute, QualityReport, Shipment
from core.errors import Conflict, NotAllowed, NotFound
from core.operators.tables import AuditEntry
from core.process.deals import DealState
from core.process.model import ADMIN, SYSTEM
from tests.catalog.helpers import make_account
from tests.deals.after_sale_fakes import BOB, EVE, ROOT, SAM, MemoryLogbook
from tests.deals.test_after_sale import paid


class LogbookContract:
    """What every logbook does; a subclass gives `logbook`: one, its people (`sam` sells to
    `bob`, `eve` is a stranger, `root` an administrator) and deals it can make."""

    async def test_a_deal_is_read_by_whoever_may_see_it_with_their_role(self, logbook):
        deal_id, book = await logbook.sale(DealState.TO_SHIP), logbook.book
        deal = await book.deal(deal_id, logbook.bob)
        assert (deal.id, deal.seller_id, deal.buyer_id, deal.status) == (
            deal_id, logbook.sam, logbook.bob, "to_ship")
        assert await book.deal(deal_id, logbook.root) is deal
        for who in (logbook.eve, None):
            assert (await book.stored_deal(deal_id)) is deal
            if who is not None:
                with pytest.raises(NotFound):
                    await book.deal(deal_id, who)
        assert await book.stored_deal(deal_id + 1000) is None
        with pytest.raises(NotFound):
            await book.deal(deal_id + 1000, logbook.bob)
        assert [await book.role(deal, who) for who in (
            logbook.bob, logbook.sam, logbook.root, None, logbook.eve)] == [
            "buyer", "seller", ADMIN, SYSTEM, None]
        assert await book.may(logbook.root, "decide_disputes")
        assert not await book.may(logbook.sam, "ask_party")

    async def test_a_deal_moves_as_its_process_allows(self, logbook):
        deal_id, book = await logbook.sale(DealState.TO_SHIP), logbook.book
        deal = await book.deal(deal_id, logbook.sam)
        with pytest.raises(NotAllowed):
            await book.take(deal_id, "mark-shipped", logbook.bob)
        with pytest.raises(Conflict):
            await book.take(deal_id, "confirm-receipt", logbook.bob)
        moved = await book.take(deal_id, "mark-shipped", logbook.sam)
        assert moved is deal and deal.status == "shipped" and deal.updated_at == book.now()
        with pytest.raises(ValueError):  # a step that keeps the state is its own service's
            await book.take(deal_id, "update-shipment", logbook.sam)

    async def test_rows_are_kept_and_read_back_and_changed_in_place(self, logbook):
        deal_id, book = await logbook.sale(DealState.TO_SHIP), logbook.book
        shipment = Shipment(deal_id=deal_id, carrier="DSV", status="dispatched",
                            updated_at=book.now())
        await book.put(shipment)
        assert await book.shipment(deal_id) is shipment
        assert await book.shipment(deal_id + 1000) is None
        shipment.status = "in_transit"
        assert (await book.shipment(deal_id)).status == "in_transit"
        dispute = Dispute(deal_id=deal_id, opened_by=logbook.bob, reason="Never arrived",
                          created_at=book.now())
        await book.put(dispute)
        assert dispute.id is not None and await book.dispute(dispute.id) is dispute
        assert await book.dispute(dispute.id + 1000) is None
        assert isinstance((await book.terms(deal_id)).get("quality"), list)

    async def test_a_dispute_is_decided_once_and_a_split_is_owed_to_the_buyer(self, logbook):
        deal_id, book = await logbook.sale(DealState.TO_SHIP), logbook.book
        dispute = Dispute(deal_id=deal_id, opened_by=logbook.bob, reason="Never arrived",
                          created_at=book.now())
        await book.put(dispute)
        assert await book.owed(deal_id) == (None, None)
        decision = {"outcome": "split", "decision": "Half arrived", "decided_by": logbook.root,
                    "decided_at": book.now(), "refund_minor": 1_100_000}
        assert await book.decide(dispute.id, **decision)
        assert (dispute.outcome, dispute.refund_minor, dispute.decided_at) == (
            "split", 1_100_000, book.now())
        assert not await book.decide(dispute.id, **{**decision, "outcome": "refund"})
        assert dispute.outcome == "split"
        assert await book.owed(deal_id) == (1_100_000, None)
        await book.audit(logbook.root, "dispute-decided", f"dispute:{dispute.id}",
                         "Half arrived", outcome="split")
        assert await logbook.audited() == [(logbook.root, "dispute-decided",
                                            f"dispute:{dispute.id}", "Half arrived")]

    async def test_a_quality_report_is_answered_once_and_an_accepted_one_owed(self, logbook):
        deal_id, book = await logbook.sale(DealState.TO_SHIP), logbook.book
        assert await book.report(deal_id) is None
        assert not await book.answer(deal_id, "accepted")  # nothing to answer
        report = QualityReport(deal_id=deal_id, measured={"moisture": "12"},
                               delivered_milli=100_000, adjustment_minor=50_000,
                               created_at=book.now())
        await book.put(report)
        assert await book.report(deal_id) is report and report.answer is None
        assert await book.owed(deal_id) == (None, None)
        assert await book.answer(deal_id, "accepted")
        assert not await book.answer(deal_id, "rejected")
        assert (await book.report(deal_id)).answer == "accepted"
        assert await book.owed(deal_id) == (None, 50_000)

    async def test_ratings_are_counted_published_together_and_given_once(self, logbook):
        deal_id, book = await logbook.sale(DealState.COMPLETED), logbook.book
        assert await book.rated(deal_id) == 0
        ratings = [Rating(deal_id=deal_id, rater_id=rater, ratee_id=ratee, stars=stars,
                          aspects={}, created_at=book.now()) for rater, ratee, stars in (
            (logbook.bob, logbook.sam, 4), (logbook.sam, logbook.bob, 5))]
        await book.put(ratings[0])
        assert ratings[0].id is not None and await book.rated(deal_id) == 1
        await book.put(ratings[1])
        assert await book.rated(deal_id) == 2
        await book.publish(deal_id)
        assert [await logbook.published(r) for r in ratings] == [book.now(), book.now()]
        again = Rating(deal_id=deal_id, rater_id=logbook.bob, ratee_id=logbook.sam, stars=1,
                       aspects={}, created_at=book.now())
        assert not await book.rate_once(again)  # refused, and the transaction goes on
        assert await book.rated(deal_id) == 2
        with pytest.raises(IntegrityError):  # the last step: the transaction is spent
            await book.put(Rating(deal_id=deal_id, rater_id=logbook.bob, ratee_id=logbook.sam,
                                  stars=1, aspects={}, created_at=book.now()))

    async def test_a_deals_listing_and_parties_are_read_for_its_receipt(self, logbook):
        deal_id, book = await logbook.sale(DealState.TO_SHIP), logbook.book
        deal = await book.deal(deal_id, None)
        listing = await book.listing(deal.listing_id)
        assert (listing.product_type, listing.unit, Decimal(listing.energy_mwh_per_unit)) == (
            "pellets", "t", Decimal("4.8"))
        assert await book.listing(deal.listing_id + 1000) is None
        seller, buyer = await book.parties(deal.seller_id, deal.buyer_id)
        assert (seller.name, buyer.name) == ("Sam", "Bob")


@dataclass
class MemoryAdapter:
    book: MemoryLogbook = field(default_factory=lambda: MemoryLogbook(
        names={SAM: Party("Sam"), BOB: Party("Bob")}))
    sam: int = SAM
    bob: int = BOB
    eve: int = EVE
    root: int = ROOT

    async def sale(self, status: str) -> int:
        return self.book.sale(status)

    async def published(self, rating: Rating) -> Any:
        return rating.published_at

    async def audited(self) -> list[tuple[int, str, str, str]]:
        return [(who, action, subject, said["reason"])
                for who, action, subject, said in self.book.audited]


class TestMemoryLogbook(LogbookContract):
    @pytest.fixture
    def logbook(self):
        return MemoryAdapter()


@dataclass
class SqlAdapter:
    """A SqlLogbook in one open unit of work (Sam's, Bob's and Eve's deal paid before, and
    committed; what a test writes is rolled back after)."""

    app: Any
    uow: Any
    book: Logbook
    sam: int = 0
    bob: int = 0
    eve: int = 0
    root: int = 0

    async def sale(self, status: str) -> int:
        sam, bob, eve, deal_id = await paid(self.app)
        self.root = (await make_account(self.app, "root")).id
        self.sam, self.bob, self.eve = sam.id, bob.id, eve.id
        if status == DealState.COMPLETED:
            await deals.take(self.uow, deal_id, "mark-shipped", sam.id)
            await deals.take(self.uow, deal_id, "confirm-receipt", bob.id)
        return deal_id

    async def published(self, rating: Rating) -> Any:
        await self.uow.session.refresh(rating)
        return rating.published_at

    async def audited(self) -> list[tuple[int, str, str, str]]:
        await self.uow.session.flush()
        return [(e.actor_id, e.action, e.subject, e.reason) for e in (
            await self.uow.session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()]


class TestSqlLogbook(LogbookContract):
    @pytest.fixture
    async def logbook(self, app):
        async with app.uow() as uow:
            yield SqlAdapter(app, uow, SqlLogbook(uow))
