"""Purchase approval's book behaves alike in memory and in the database: one set of tests
(`ApprovalBookContract`) runs against the tests' `MemoryApprovalBook` (no database) and the
`SqlApprovalBook` (on SQLite and PostgreSQL), so that the approvals' use cases and chats tested
on the fake (`test_approval_rules.py`, `test_approvals_in_chat.py`) hold on the real one. Two
approvers pressing at once and the notices are proven on the database
(`test_purchase_approval.py`, `test_approvals_chat.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from core.companies import service as companies
from core.companies.sql_roster import SqlRoster
from core.deals.approvals.book import ApprovalBook
from core.deals.approvals.drafted import _frozen, terms_of
from core.deals.approvals.sql_book import SqlApprovalBook
from core.deals.company_deals import ColleaguesDeals, SqlColleaguesDeals
from core.deals.offers import rounds
from core.deals.offers.facts import Terms
from core.deals.tables import Offer, PurchaseRequest
from core.errors import Conflict
from core.money.model import Money
from core.process.deals import BUYER
from tests.catalog.helpers import make_account, publish
from tests.companies.approval_fakes import MemoryApprovalBook

LIMIT = Money.parse("10000", "EUR")


def terms(quantity: str = "100") -> Terms:
    return Terms(Decimal(quantity), Money.parse("220.00", "EUR"), "EXW", "Riga port")


class ApprovalBookContract:
    """What every approval book does; a subclass gives `approvals`: one, with Sam's listing of
    500 t, Baltic Heat (Alice its admin, Anna a buyer with a limit, Fred its finance) and Bob
    on his own."""

    def held(self, approvals, who: int, at: datetime, quantity: str = "100") -> PurchaseRequest:
        return PurchaseRequest(
            company_id=approvals.company_id, requester_id=who, listing_id=approvals.listing_id,
            kind="offer", offer_id=None, terms=_frozen(terms(quantity)),
            total_minor=2_200_000, currency="EUR", status="pending", created_at=at)

    async def offered(self, approvals, buyer: int, quantity: str = "100") -> Offer:
        made = approvals.book.negotiation()
        listing = await made.listing(approvals.listing_id)
        offer = rounds.drafted(listing, buyer, BUYER, terms(quantity), None, None, made.now())
        await made.put(offer)
        return offer

    async def test_a_held_purchase_is_kept_and_waits_until_it_is_decided_once(self, approvals):
        book, anna, alice = approvals.book, approvals.anna, approvals.alice
        first = self.held(approvals, anna, book.now())
        await book.put(first)
        second = self.held(approvals, alice, book.now(), "40")
        await book.put(second)
        kept = await book.request(first.id)
        assert (kept.requester_id, kept.kind, kept.status, kept.total_minor, kept.currency,
                terms_of(kept)) == (anna, "offer", "pending", 2_200_000, "EUR", terms())
        assert [r.id for r in await book.pending(approvals.company_id, None)] == [
            first.id, second.id]
        assert [r.id for r in await book.pending(approvals.company_id, anna)] == [first.id]
        assert await book.pending(approvals.company_id + 1000, None) == []
        assert await book.decide(kept, "rejected", alice, "Over budget")
        again = await book.request(first.id)
        assert (again.status, again.decided_by, again.decided_at, again.reason) == (
            "rejected", alice, book.now(), "Over budget")
        assert not await book.decide(again, "approved", alice, None)
        assert (await book.request(first.id)).status == "rejected"
        assert [r.id for r in await book.pending(approvals.company_id, None)] == [second.id]
        assert await book.request(second.id + 1000) is None

    async def test_an_approved_purchase_keeps_what_it_made_or_why_it_lapsed(self, approvals):
        book, anna, alice = approvals.book, approvals.anna, approvals.alice
        made, lapsed = self.held(approvals, anna, book.now()), self.held(approvals, anna, book.now())
        await book.put(made)
        await book.put(lapsed)
        offer = await self.offered(approvals, anna)
        assert await book.decide(made, "approved", alice, None)
        await book.made(made, offer.id, None)
        assert await book.decide(lapsed, "approved", alice, None)
        await book.settle(lapsed, "lapsed", "The offer moved on")
        kept = await book.request(made.id)
        assert (kept.status, kept.result_offer_id, kept.result_deal_id) == (
            "approved", offer.id, None)
        kept = await book.request(lapsed.id)
        assert (kept.status, kept.reason, kept.decided_by) == (
            "lapsed", "The offer moved on", alice)

    async def test_seats_approvers_and_names_are_the_companys(self, approvals):
        book = approvals.book
        seat = await book.seat(approvals.anna)
        assert (seat.company.id, seat.roles, seat.limit) == (approvals.company_id, ("buyer",),
                                                             LIMIT)
        assert await book.seat(approvals.bob) is None
        assert await book.approvers(approvals.company_id, approvals.anna) == [approvals.alice]
        assert await book.approvers(approvals.company_id, approvals.alice) == []
        assert await book.names([approvals.alice, approvals.anna, approvals.bob + 1000]) == {
            approvals.alice: "Alice", approvals.anna: "Anna"}
        assert await book.names([]) == {}

    async def test_what_a_failed_attempt_did_is_undone_and_a_good_one_stays(self, approvals):
        book = approvals.book
        offer = await self.offered(approvals, approvals.anna, "100")
        offer_id, told = offer.id, len(approvals.events())  # what failed is read again
        with pytest.raises(Conflict):
            async with book.attempt():
                await book.negotiation().agree(offer, BUYER)
                await self.offered(approvals, approvals.anna, "30")
                raise Conflict("Not enough is left on that listing any more.")
        kept = await book.negotiation().offer(offer_id)
        assert kept.status == "open"
        assert await book.negotiation().offer(offer_id + 1) is None  # the second: not kept
        assert (await book.negotiation().listing(approvals.listing_id)).quantity_milli == 500_000
        assert len(approvals.events()) == told
        assert await approvals.deals.company_deals(approvals.company_id, approvals.alice,
                                                   None, 30) == []
        async with book.attempt():
            deal = await book.negotiation().agree(kept, BUYER)
        assert (await book.negotiation().offer(offer_id)).status == "accepted"
        assert [d.deal.id for d in await approvals.deals.company_deals(
            approvals.company_id, approvals.alice, None, 30)] == [deal.id]

    async def test_an_audit_line_is_the_companys_latest_decision(self, approvals):
        await approvals.book.audit(approvals.company_id, approvals.anna, "purchase_held",
                                   "purchase:7", total="22,000.00 EUR")
        latest = (await approvals.roster.decisions(approvals.company_id, 1))[0]
        assert (latest.actor_id, latest.action, latest.subject) == (
            approvals.anna, "purchase_held", "purchase:7")

    async def test_a_companys_deals_come_latest_first_and_those_an_approver_let_go(
            self, approvals):
        book, deals, company = approvals.book, approvals.deals, approvals.company_id
        first = await book.negotiation().agree(await self.offered(approvals, approvals.anna, "100"),
                                               BUYER)
        second = await book.negotiation().agree(await self.offered(approvals, approvals.anna, "50"),
                                                BUYER)
        await book.negotiation().agree(await self.offered(approvals, approvals.bob, "20"), BUYER)
        found = await deals.company_deals(company, approvals.alice, None, 30)
        assert [(d.deal.id, d.title, d.buyer) for d in found] == [
            (second.id, approvals.title, "Anna"), (first.id, approvals.title, "Anna")]
        assert [d.deal.id for d in await deals.company_deals(company, approvals.alice, None, 1)
                ] == [second.id]
        assert await deals.company_deals(company, approvals.anna, None, 30) == []  # her own
        request = self.held(approvals, approvals.anna, book.now())
        await book.put(request)
        assert await book.decide(request, "approved", approvals.alice, None)
        await book.made(request, None, first.id)
        assert [d.deal.id for d in await deals.company_deals(
            company, approvals.fred, approvals.alice, 30)] == [first.id]
        assert await deals.company_deals(company, approvals.alice, approvals.fred, 30) == []


@dataclass
class Approvals:
    """A book, the store of a company's deals and the roster beside it, and who is who."""

    book: ApprovalBook
    deals: ColleaguesDeals
    roster: Any
    told: Any  # → the events announced so far
    company_id: int
    listing_id: int
    title: str
    sam: int
    alice: int
    anna: int
    fred: int
    bob: int

    def events(self) -> list[Any]:
        return list(self.told())


async def baltic_heat(roster: Any, alice: int, anna: int, fred: int) -> int:
    """Alice founds Baltic Heat; Anna joins as a buyer with a limit, Fred as finance."""
    company = await companies.found(roster, alice, "Baltic Heat AS")
    for who, roles, limit in ((anna, ["buyer"], LIMIT), (fred, ["finance"], None)):
        await companies.join(roster, who, (await companies.invite(roster, alice, roles, limit)).code)
    return company.id


class TestMemoryApprovalBook(ApprovalBookContract):
    @pytest.fixture
    async def approvals(self):
        book = MemoryApprovalBook()
        sam, alice, anna, fred, bob = (book.roster.person(n, name) for n, name in (
            (1, "Sam"), (10, "Alice"), (11, "Anna"), (12, "Fred"), (13, "Bob")))
        company_id = await baltic_heat(book.roster, alice, anna, fred)
        listing_id = book.offers.listed(sam, quantity="500", min_order="20")
        return Approvals(book, book, book.roster, lambda: [*book.offers.events, *book.events],
                         company_id, listing_id, book.offers.listings[listing_id].title,
                         sam, alice, anna, fred, bob)


class TestSqlApprovalBook(ApprovalBookContract):
    @pytest.fixture
    async def approvals(self, app):
        sam = await make_account(app, "sam", roles=("seller",))
        alice, anna, fred, bob = [await make_account(app, name, roles=("buyer",))
                                  for name in ("alice", "anna", "fred", "bob")]
        listing_id = await publish(app, sam, quantity="500", min_order="20")
        async with app.uow() as uow:
            company_id = await baltic_heat(uow, alice.id, anna.id, fred.id)
            await uow.commit()
        async with app.uow() as uow:
            title = (await SqlApprovalBook(uow).negotiation().listing(listing_id)).title
            yield Approvals(SqlApprovalBook(uow), SqlColleaguesDeals(uow), SqlRoster(uow),
                            lambda: uow.events, company_id, listing_id, title, sam.id,
                            alice.id, anna.id, fred.id, bob.id)
