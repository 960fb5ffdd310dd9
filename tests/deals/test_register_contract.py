"""The requests' register behaves alike in memory and in the database: one set of tests
(`RegisterContract`) runs against the tests' `MemoryRequests` (no database) and the
`SqlRequestRegister` (on SQLite and PostgreSQL), so that bidding, the close and questions tested
on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from core.catalog.tables import Listing
from core.deals.offers.facts import Terms
from core.deals.request_rules import RequestState
from core.deals.requests import lots
from core.deals.requests import service as supply_requests
from core.deals.requests.auction_rules import Bid
from core.deals.requests.register import RequestRegister
from core.deals.requests.sql_register import SqlRequestRegister
from core.deals.requests.view import Asked
from core.deals.tables import Offer
from core.errors import Conflict
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.deals.fakes import MemoryRequests, asking, posted, put_up
from tests.deals.test_supply_requests import CHIPS


class RegisterContract:
    """What every register does; a subclass gives `requests`: a register, the people and
    requests it knows, and a clock to move."""

    async def test_a_sellers_lot_is_open_to_everyone_but_its_seller_and_bid_up(self, requests):
        sam, ilze = await requests.seller("Sam"), await requests.buyer("Ilze")
        lot = await requests.put_up(sam)
        register = requests.register
        seen = await register.request(lot)
        assert (seen.lot, seen.buyer_id, seen.max_price, seen.reserve) == (
            True, sam, Money.parse("20", "EUR"), Money.parse("21", "EUR"))
        assert await register.may_answer(lot, ilze) and not await register.may_answer(lot, sam)
        assert await register.hold_for_bid(lot)
        placed = await register.place_bid(lot, ilze, seen.listing_id, 2050, register.now())
        assert [b.id for b in await register.bids(lot)] == [placed]
        assert ilze in await register.invited(lot)  # a party now, with a page to follow

    async def test_a_request_is_read_as_posted_and_answered_by_the_sellers_of_its_product(
            self, requests):
        hanna, aivar, dace = (await requests.buyer("Hanna"), await requests.seller("Aivar"),
                              await requests.seller("Dace", product_type="pellets"))
        request_id = await requests.post(hanna, max_price=Money.parse("22", "EUR"),
                                         reserve=Money.parse("20", "EUR"), mode="tender")
        register = requests.register
        seen = await register.request(request_id)
        assert (seen.id, seen.buyer_id, seen.quantity, seen.mode, seen.status) == (
            request_id, hanna, Decimal("2000"), "tender", RequestState.OPEN)
        assert seen.deadline == register.now() + timedelta(days=3) and seen.closed_at is None
        assert (seen.max_price, seen.reserve) == (Money.parse("22", "EUR"),
                                                  Money.parse("20", "EUR"))
        assert await register.request(request_id, fresh=True) == seen
        assert await register.request(request_id + 1000) is None
        assert await register.may_answer(request_id, aivar)
        assert not await register.may_answer(request_id, dace)  # pellets
        assert not await register.may_answer(request_id, hanna)  # her own
        assert await register.names([aivar, hanna, 9999]) == {aivar: "Aivar", hanna: "Hanna"}

    async def test_a_private_request_is_answered_by_the_chosen_and_by_whoever_bids(
            self, requests):
        hanna, aivar, birute = (await requests.buyer("Hanna"), await requests.seller("Aivar"),
                                await requests.seller("Birute"))
        request_id = await requests.post(hanna, mode="tender", quantity=Decimal("100"),
                                         private=True, invite=(aivar,))
        register = requests.register
        assert await register.may_answer(request_id, aivar)
        assert not await register.may_answer(request_id, birute)
        lot = await register.lot(request_id, birute, 2000)
        assert lot is not None
        await register.place_bid(request_id, birute, lot.listing_id, 2000, register.now())
        assert await register.may_answer(request_id, birute)  # a party now

    async def test_a_question_is_answered_once(self, requests):
        hanna, aivar = await requests.buyer("Hanna"), await requests.seller("Aivar")
        request_id = await requests.post(hanna)
        register = requests.register
        asked = await register.ask(request_id, aivar, "Which moisture?")
        assert (asked.request_id, asked.text, asked.answer, asked.public, asked.asked_at,
                asked.answered_at) == (request_id, "Which moisture?", None, True,
                                       register.now(), None)
        assert await register.question(asked.id) == Asked(aivar, asked)
        assert await register.question(asked.id + 1000) is None
        assert await register.answered(request_id) == []
        await requests.later(minutes=5)
        answered = await register.answer(asked.id, "At most 35 %.", False)
        assert answered is not None
        assert (answered.answer, answered.public, answered.answered_at) == (
            "At most 35 %.", False, register.now())
        assert await register.answer(asked.id, "Again", True) is None
        assert await register.answered(request_id) == [Asked(aivar, answered)]
        assert await register.question(asked.id) == Asked(aivar, answered)

    async def test_a_lot_holds_the_whole_quantity_and_bids_are_read_back(self, requests):
        hanna, aivar, small = (await requests.buyer("Hanna"), await requests.seller("Aivar"),
                               await requests.seller("Small", quantity="50"))
        request_id = await requests.post(hanna, mode="tender", quantity=Decimal("100"))
        register = requests.register
        assert await register.lot(request_id, small, 2000) is None  # 50 t of the 100 asked
        lot = await register.lot(request_id, aivar, 2000)
        assert lot is not None and lot.unmet == ()
        assert await register.hold_for_bid(request_id)
        at = register.now()
        first = await register.place_bid(request_id, aivar, lot.listing_id, 2100, at)
        second = await register.place_bid(request_id, aivar, lot.listing_id, 2000,
                                          at + timedelta(minutes=1))
        now = at + timedelta(minutes=1)
        assert sorted(await register.bids(request_id), key=lambda b: b.id) == [
            Bid(first, aivar, 2100, now - timedelta(minutes=1)), Bid(second, aivar, 2000, now)]
        assert await register.bid(second) == Bid(second, aivar, 2000, now)
        assert await register.bid(second + 1000) is None
        assert await register.won(request_id) == set()
        assert not await register.deposit_held(request_id, aivar)

    async def test_the_close_is_claimed_once_when_due_and_then_takes_no_bid(self, requests):
        hanna = await requests.buyer("Hanna")
        request_id = await requests.post(hanna, mode="auction", deadline_days="1",
                                         min_step=Money.parse("0.10", "EUR"))
        register = requests.register
        later = (await register.request(request_id)).deadline + timedelta(minutes=3)
        await register.extend(request_id, later)
        assert (await register.request(request_id, fresh=True)).deadline == later
        await requests.later(days=1)
        assert not await register.claim_close(request_id)  # moved on: not due yet
        await requests.later(minutes=3)
        assert await register.claim_close(request_id)
        assert (await register.request(request_id)).closed_at == register.now()
        assert not await register.claim_close(request_id)
        assert not await register.hold_for_bid(request_id)
        quotes = await requests.post(hanna)  # a request for quotes never closes so
        await requests.later(days=4)
        assert not await register.claim_close(quotes)

    async def test_an_award_is_made_from_a_bid_whose_listing_still_holds_the_lot(self, requests):
        hanna, aivar, birute = (await requests.buyer("Hanna"), await requests.seller("Aivar"),
                                await requests.seller("Birute"))
        request_id = await requests.post(hanna, mode="tender", deadline_days="1",
                                         quantity=Decimal("100"))
        unawarded = await requests.post(hanna, mode="tender", deadline_days="1",
                                        quantity=Decimal("100"))
        register = requests.register
        bids = []
        for seller, price in ((aivar, 1900), (birute, 2000)):
            lot = await register.lot(request_id, seller, price)
            bid_id = await register.place_bid(request_id, seller, lot.listing_id, price,
                                              register.now())
            bids.append(Bid(bid_id, seller, price, register.now()))
        await requests.later(days=1)
        assert await register.claim_close(request_id) and await register.claim_close(unawarded)
        await requests.sell_off(aivar, "50")
        assert not await register.award(request_id, bids[0])
        assert await register.won(request_id) == set()
        assert await register.award(request_id, bids[1])
        assert await register.won(request_id) == {bids[1].id}
        assert (await register.request(request_id)).status == RequestState.AWARDED
        await register.close_unawarded(unawarded)
        await register.settle_deposits(unawarded, None)
        assert (await register.request(unawarded)).status == RequestState.CLOSED


    async def test_a_request_is_put_with_its_invites_and_found_among_its_buyers(self, requests):
        hanna, aivar, birute = (await requests.buyer("Hanna"), await requests.seller("Aivar"),
                                await requests.seller("Birute"))
        await requests.seller("Dace", product_type="pellets")
        register = requests.register
        assert set(await register.matching(hanna, asking(), None, None)) == {aivar, birute}
        assert await register.matching(hanna, asking(), None, 1) in ([aivar], [birute])
        assert await register.payment_terms(hanna) == ()  # no company approved for terms
        assert await register.spending_limit(hanna, Money.parse("1000000", "EUR")) is None
        first = await register.put(hanna, asking(), 2_000_000, "Tartu", timedelta(days=1), None)
        second = await register.put(hanna, asking(quantity=Decimal("5")), 5000, "Tartu",
                                    timedelta(days=3), None)
        assert (first.buyer_id, first.quantity, first.place, first.status, first.deadline) == (
            hanna, Decimal("2000"), "Tartu", RequestState.OPEN, register.now() + timedelta(days=1))
        assert await register.request(first.id) == first
        await register.invite(first.id, [birute])
        assert await register.invited(first.id) == [birute]
        assert await register.invited(second.id) == []
        assert [r.id for r in await register.mine(hanna, 20)] == [second.id, first.id]
        assert [r.id for r in await register.mine(hanna, 1)] == [second.id]
        assert await register.mine(aivar, 20) == []

    async def test_a_quote_comes_from_a_fitting_listing_and_ending_the_request_closes_it_once(
            self, requests):
        hanna, aivar, birute = (await requests.buyer("Hanna"), await requests.seller("Aivar"),
                                await requests.seller("Birute"))
        request_id = await requests.post(hanna)
        register = requests.register
        lot = await register.lot(request_id, aivar, 2000)
        assert lot is not None
        assert await register.listing_quote(request_id, aivar, lot.listing_id, 2000) == lot
        assert await register.listing_quote(request_id, birute, lot.listing_id, 2000) is None
        assert await register.listing_quote(request_id, aivar, lot.listing_id + 1000, 2000) \
            is None
        quoted = await register.make_quote(request_id, lot.listing_id, aivar, Terms(
            Decimal("500"), Money.parse("20", "EUR"), "DAP", "Tartu"))
        assert isinstance(quoted, int)
        assert await register.awarded_milli(request_id) == 0  # a quote is not an award
        ended = await register.end_quotes(request_id, "The buyer closed the request.")
        assert ended.status == RequestState.CLOSED
        assert (await register.request(request_id)).status == RequestState.CLOSED
        assert await requests.quote_status(quoted) == "declined"
        with pytest.raises(Conflict, match="closed"):
            await register.end_quotes(request_id, "Again")


@dataclass
class MemoryAdapter:
    register: MemoryRequests = field(default_factory=MemoryRequests)

    async def buyer(self, name: str) -> int:
        return self.register.person(name)

    async def seller(self, name: str, quantity: str = "3000", **listing: Any) -> int:
        return self.register.seller(name, quantity=Decimal(quantity), **listing)

    async def post(self, buyer_id: int, **changes: Any) -> int:
        return await posted(self.register, buyer_id, **changes)

    async def put_up(self, seller_id: int) -> int:
        return put_up(self.register, seller_id)

    async def sell_off(self, seller_id: int, left: str) -> None:
        self.register.sell_off(seller_id, Decimal(left))

    async def later(self, **delta: int) -> None:
        self.register.at += timedelta(**delta)

    async def quote_status(self, quote_id: int) -> str:
        return self.register.quotes[quote_id].status


class TestMemoryRequests(RegisterContract):
    @pytest.fixture
    def requests(self):
        return MemoryAdapter()


@dataclass
class SqlAdapter:
    """A SqlRequestRegister in one open unit of work (people and listings made before, each
    committed; the requests posted in it, rolled back after)."""

    app: Any
    uow: Any
    register: RequestRegister

    async def buyer(self, name: str) -> int:
        return (await make_account(self.app, name.lower(), roles=("buyer",), country="EE",
                                   city="Tartu")).id

    async def seller(self, name: str, quantity: str = "3000", **listing: Any) -> int:
        account = await make_account(self.app, name.lower(), roles=("seller",))
        chips = {**CHIPS, "quantity": quantity, "min_order": "10"}
        await publish(self.app, account, **({} if listing.get("product_type") else chips))
        return account.id

    async def post(self, buyer_id: int, **changes: Any) -> int:
        request = await supply_requests.post(self.uow, buyer_id, asking(**changes))
        assert request.id is not None
        return request.id

    async def put_up(self, seller_id: int) -> int:
        listing_id = await self.uow.session.scalar(select(Listing.id).where(
            Listing.seller_id == seller_id))
        lot = await lots.put_up(self.uow, seller_id, listing_id, lots.LotTerms(
            Decimal("100"), Money.parse("20", "EUR"), Money.parse("0.10", "EUR"),
            Money.parse("21", "EUR"), 24))
        assert lot.id is not None
        return lot.id

    async def sell_off(self, seller_id: int, left: str) -> None:
        await self.uow.session.execute(update(Listing).where(Listing.seller_id == seller_id)
                                       .values(quantity_milli=int(Decimal(left) * 1000)))

    async def later(self, **delta: int) -> None:
        self.uow.clock.advance(**delta)

    async def quote_status(self, quote_id: int) -> str:
        offer = await self.uow.get(Offer, quote_id)
        return str(offer.status)


class TestSqlRequestRegister(RegisterContract):
    @pytest.fixture
    async def requests(self, app):
        async with app.uow() as uow:
            yield SqlAdapter(app, uow, SqlRequestRegister(uow))
