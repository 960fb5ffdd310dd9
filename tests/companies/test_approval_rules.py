"""Purchase approval's use cases on the in-memory book (no database): a purchase above a
buyer's limit is held — nothing reaches the seller — until an approver approves (then it is
made in her name, exactly as drafted) or rejects it with a reason; a decision is taken once,
audited; an approval that comes too late lapses, leaving nothing half made. The cards and their
handlers in memory: `test_approvals_chat.py`. On the database: two approvers pressing at once,
a purchase's notices (`test_purchase_approval.py`, the reason the buyer reads in
`test_company_chat.py`);
`test_approval_book_contract.py` holds the two books alike."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.companies import service as companies
from core.deals.approvals import service as approvals
from core.deals.events import PurchaseDecided, PurchaseHeld
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from tests.companies.approval_fakes import MemoryApprovalBook

SAM, ALICE, ANNA, FRED, BOB, CARL = 1, 10, 11, 12, 13, 14


def terms(quantity: str = "100", price: str = "220.00") -> Terms:
    return Terms(Decimal(quantity), Money.parse(price, "EUR"), "EXW", "Riga")


async def company_of_three(limit: str | None = "10000") -> tuple[MemoryApprovalBook, int]:
    """As `test_purchase_approval.company_of_three`, in memory: Sam sells 500 t; Alice founds
    Baltic Heat (admin), Anna joins as a buyer with a limit, Fred as finance; Bob buys on his
    own. The book and Sam's listing."""
    book = MemoryApprovalBook()
    for account_id, name in ((SAM, "Sam"), (ALICE, "Alice"), (ANNA, "Anna"), (FRED, "Fred"),
                             (BOB, "Bob"), (CARL, "Carl")):
        book.roster.person(account_id, name)
    roster = book.roster
    await companies.found(roster, ALICE, "Baltic Heat AS")
    for who, roles, their_limit in ((ANNA, ["buyer"], Money.parse(limit, "EUR") if limit else None),
                                    (FRED, ["finance"], None)):
        await companies.join(roster, who, (await companies.invite(
            roster, ALICE, roles, their_limit)).code)
    return book, book.offers.listed(SAM, quantity="500", min_order="20")


async def test_the_limits_guard_holds_in_core_whatever_calls_it():
    book, listing_id = await company_of_three()
    with pytest.raises(NotAllowed, match="spending limit"):
        await offers.make_offer(book.offers, listing_id, ANNA, terms("100"))
    with pytest.raises(NotAllowed, match="does not include buying"):
        await approvals.offer(book, listing_id, FRED, terms("20"))  # finance only
    await offers.make_offer(book.offers, listing_id, BOB, terms("100"))  # not in a company


async def test_a_rejection_needs_a_reason_and_a_decision_is_taken_once():
    book, listing_id = await company_of_three()
    held = (await approvals.offer(book, listing_id, ANNA, terms("100"))).held
    assert held is not None
    with pytest.raises(NotAllowed):
        await approvals.approve(book, held, ANNA)  # not her own
    with pytest.raises(NotFound):
        await approvals.approve(book, held, BOB)  # a stranger learns nothing
    with pytest.raises(DomainError, match="reason"):
        await approvals.reject(book, held, ALICE, "   ")
    await approvals.reject(book, held, ALICE, "Over budget this quarter")
    with pytest.raises(Conflict):
        await approvals.approve(book, held, ALICE)
    # what the buyer is told: the reason kept with the decision (its notice: the database's)
    assert (await approvals.get(book, held, ANNA)).reason == "Over budget this quarter"
    assert book.events == [PurchaseHeld(held), PurchaseDecided(held, "rejected")]
    trail = [(a.action, a.actor_id) for a in book.roster.audited]
    assert ("purchase_held", ANNA) in trail and ("purchase_rejected", ALICE) in trail


async def test_an_approval_that_comes_too_late_lapses_and_says_why():
    book, listing_id = await company_of_three()
    quote = await offers.make_offer(book.offers, listing_id, BOB, terms("20"))  # just a round
    seller_offer = await offers.quote(book.offers, listing_id, SAM, ANNA, terms("100", "210"))
    held = await approvals.accept(book, seller_offer.id, ANNA)
    assert held.held is not None and held.deal_id is None and quote.id
    book.offers.at += timedelta(days=3)  # Sam's offer expires meanwhile (its timer firing:
    assert await book.offers.close(seller_offer, "expired", None)  # test_timers_firing.py)
    request = await approvals.approve(book, held.held, ALICE)
    assert request.status == "lapsed" and "moved on" in (request.reason or "")
    assert book.offers.deals == {}
    assert book.requests[held.held].status == "lapsed"


async def test_what_waits_is_the_buyers_own_or_every_colleagues_for_an_approver():
    book, listing_id = await company_of_three()
    first = (await approvals.offer(book, listing_id, ANNA, terms("100"))).held
    second = (await approvals.offer(book, listing_id, ANNA, terms("60"))).held
    assert [r.id for r in await approvals.waiting(book, ANNA)] == [first, second]
    assert [r.id for r in await approvals.waiting(book, ALICE)] == [first, second]
    assert await approvals.waiting(book, FRED) == []  # finance sees deals, not requests
    assert await approvals.waiting(book, BOB) == []  # outside the company
    await approvals.reject(book, first, ALICE, "Too much at once")
    assert [r.id for r in await approvals.waiting(book, ALICE)] == [second]


async def test_only_the_buyer_withdraws_her_request_before_anyone_decided():
    book, listing_id = await company_of_three()
    placed = await approvals.offer(book, listing_id, ANNA, terms("100"))
    assert (placed.total, placed.limit, placed.approvers) == (
        Money.parse("22000", "EUR"), Money.parse("10000", "EUR"), ("Alice",))
    assert book.offers.offers == {}  # nothing reached Sam
    with pytest.raises(NotAllowed):
        await approvals.cancel(book, placed.held, ALICE)
    with pytest.raises(NotFound):
        await approvals.cancel(book, placed.held, BOB)
    withdrawn = await approvals.cancel(book, placed.held, ANNA)
    assert (withdrawn.status, book.events[-1]) == (
        "withdrawn", PurchaseDecided(placed.held, "withdrawn"))
    with pytest.raises(Conflict):
        await approvals.approve(book, placed.held, ALICE)


async def test_an_approved_offer_goes_out_in_the_buyers_name_exactly_as_drafted():
    book, listing_id = await company_of_three()
    small = await approvals.offer(book, listing_id, ANNA, terms("20", "200"))  # 4,000
    big = await approvals.offer(book, listing_id, ANNA, terms("100", "220"))  # 22,000
    assert small.offer_id is not None and big.held is not None and big.offer_id is None
    assert list(book.offers.offers) == [small.offer_id]
    request = await approvals.approve(book, big.held, ALICE)
    made = book.offers.offers[request.result_offer_id]
    assert (request.status, made.buyer_id, made.price_minor, made.quantity_milli) == (
        "approved", ANNA, 22000, 100_000)
    assert [a.action for a in book.roster.audited][-2:] == ["purchase_held",
                                                            "purchase_approved"]


async def test_a_buyers_counter_above_her_limit_waits_and_a_sellers_never_does():
    book, listing_id = await company_of_three()
    seller_offer = await offers.quote(book.offers, listing_id, SAM, ANNA, terms("30", "210"))
    held = await approvals.counter(book, seller_offer.id, ANNA, terms("100", "205"))
    assert held.held is not None and book.offers.offers[seller_offer.id].status == "open"
    request = await approvals.approve(book, held.held, ALICE)
    countered = book.offers.offers[request.result_offer_id]
    assert (countered.previous_id, countered.made_by, countered.price_minor) == (
        seller_offer.id, "buyer", 20500)
    answer = await approvals.counter(book, countered.id, SAM, terms("100", "215"))
    assert answer.offer_id is not None and answer.held is None


async def test_buy_now_approved_is_the_companys_deal_and_one_too_late_leaves_nothing_made():
    book, _listing = await company_of_three(limit="1000")
    fixed = book.offers.listed(SAM, quantity="100", min_order="20", price="150",
                               negotiable=False)
    buy = Terms(Decimal("20"), Money.parse("150", "EUR"), "EXW", "Riga port")
    first = (await approvals.buy(book, fixed, ANNA, buy)).held
    late = (await approvals.buy(book, fixed, ANNA, buy)).held
    deal = book.offers.deals[(await approvals.approve(book, first, ALICE)).result_deal_id]
    assert (deal.buyer_id, deal.company_id) == (ANNA, 1)
    book.offers.listings[fixed].quantity_milli = 10_000  # Sam sold the rest elsewhere
    offers_before, told = dict(book.offers.offers), len(book.offers.events)
    request = await approvals.approve(book, late, ALICE)
    assert request.status == "lapsed" and request.result_deal_id is None
    assert book.offers.offers == offers_before  # the attempt's offer went with it
    assert len(book.offers.events) == told and list(book.offers.deals) == [deal.id]
