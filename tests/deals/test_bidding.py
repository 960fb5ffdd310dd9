"""Tenders and reverse auctions on the in-memory register (`tests/deals/fakes.py`): who may bid,
what a bid may be, what a bidder and the buyer see, and what the close decides. The same
journeys through the database, the deals an award makes, the notices, the deposits' money and
the close racing a bid are `test_auctions.py`'s and `test_bid_deposits.py`'s."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from core.deals.events import BiddingClosed, BidPlaced
from core.deals.intents import DealIntent
from core.deals.request_rules import RequestState
from core.deals.requests import auction_close, auctions
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from tests.deals.fakes import MemoryRequests, market, posted


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


async def auction(register: MemoryRequests, buyer: int, **changes: object) -> int:
    return await posted(register, buyer, mode="auction", min_step=eur("0.10"),
                        deadline_days="1", **changes)


def winner(register: MemoryRequests, request_id: int) -> tuple[int, int] | None:
    """(seller, price) of the bid the close awarded, if any."""
    won = [bid for request, bid in register.awards if request == request_id]
    if not won:
        return None
    bid = register.placed[won[-1]][1]
    return bid.seller_id, bid.price_minor


async def test_a_reverse_auction_is_bid_down_by_steps_and_a_late_bid_moves_its_close():
    register, hanna, (aivar, birute, carl, _) = market()
    request_id = await auction(register, hanna)
    first = await auctions.bid(register, request_id, aivar, eur("21.50"))
    assert (first.rank, first.best, first.bidders) == (1, eur("21.50"), 1)
    second = await auctions.bid(register, request_id, birute, eur("21.00"))
    assert (second.rank, second.best) == (1, eur("21.00"))
    assert register.events[-1] == BidPlaced(request_id, 2, aivar)  # aivar hears he is outbid
    with pytest.raises(DomainError, match=r"Bid at most €20.90 per t: the best bid is €21.00"):
        await auctions.bid(register, request_id, aivar, eur("21.05"))
    with pytest.raises(DomainError, match=r"pays at most €22\.00"):
        await auctions.bid(register, request_id, carl, eur("23"))
    assert (await auctions.standing(register, request_id, aivar)).rank == 2
    first_close = register.requests[request_id].deadline
    assert first_close is not None
    register.at = first_close - timedelta(minutes=2)  # two minutes before: carl moves it
    third = await auctions.bid(register, request_id, carl, eur("20.50"))
    assert register.requests[request_id].deadline == register.at + timedelta(minutes=3)
    assert register.extensions[request_id] == 1 and third.rank == 1
    register.at += timedelta(minutes=2)  # the first close passes: nothing closes
    assert not await auction_close.close(register, request_id)
    register.at += timedelta(minutes=1)
    assert await auction_close.close(register, request_id)
    assert winner(register, request_id) == (carl, 2050)
    assert register.requests[request_id].status == RequestState.AWARDED
    with pytest.raises(Conflict, match=rf"Bidding on request #{request_id} closed at .*too late"):
        await auctions.bid(register, request_id, aivar, eur("10"))


async def test_no_award_above_the_reserve_and_a_winner_without_stock_gives_way():
    register, hanna, (aivar, birute, *_) = market()
    reserved = await auction(register, hanna, reserve=eur("18"))
    await auctions.bid(register, reserved, aivar, eur("21"))
    # The reserve is the buyer's alone: what a bidder is handed of the request holds none.
    assert register.requests[reserved].reserve == eur("18")
    assert (await auctions.standing(register, reserved, aivar)).request.reserve is None
    gone = await posted(register, hanna, mode="tender", deadline_days="1")
    await auctions.bid(register, gone, aivar, eur("19"))
    await auctions.bid(register, gone, birute, eur("20"))
    register.at += timedelta(days=1)
    assert await auction_close.close(register, reserved)  # aivar could deliver: not at 21
    assert register.requests[reserved].status == RequestState.CLOSED
    assert winner(register, reserved) is None
    assert BiddingClosed(reserved, None) in register.events
    register.sell_off(aivar, Decimal("1000"))  # aivar's stock sells elsewhere before the close
    assert await auction_close.close(register, gone)
    assert winner(register, gone) == (birute, 2000)


async def test_only_the_sellers_it_reaches_bid_and_never_on_a_request_for_quotes():
    register, hanna, (aivar, _, _, dace) = market()
    request_id = await auction(register, hanna)
    with pytest.raises(NotFound):
        await auctions.bid(register, request_id, dace, eur("20"))  # the pellet seller
    with pytest.raises(NotFound):
        await auctions.bid(register, request_id, register.person("Stranger"), eur("20"))
    with pytest.raises(NotAllowed, match="your own request"):
        await auctions.bid(register, request_id, hanna, eur("20"))
    quotes = await posted(register, hanna)
    with pytest.raises(Conflict, match="takes quotes, not bids"):
        await auctions.bid(register, quotes, aivar, eur("20"))
    register.requests[request_id] = replace(register.requests[request_id],
                                            status=RequestState.CANCELLED)  # by a moderator
    with pytest.raises(Conflict, match="cancelled"):
        await auctions.bid(register, request_id, aivar, eur("20"))
    assert not register.placed


async def test_a_bid_comes_from_a_listing_holding_the_lot_and_answering_the_request():
    register = MemoryRequests()
    hanna = register.person("Hanna")
    small = register.seller("Small", quantity=Decimal("50"))
    wet = register.seller("Wet", unmet=("Moisture is 45%; the buyer asks at most 30%",))
    request_id = await posted(register, hanna, mode="tender", quantity=Decimal("100"))
    with pytest.raises(DomainError, match="A bid is for the whole 100 t"):
        await auctions.bid(register, request_id, small, eur("20"))
    with pytest.raises(DomainError, match="doesn't answer this request: Moisture is 45%"):
        await auctions.bid(register, request_id, wet, eur("20"))
    assert not register.placed


async def test_no_bid_before_the_deposit_is_held_and_the_losers_get_theirs_back():
    register, hanna, (aivar, birute, *_) = market()
    request_id = await auction(register, hanna, quantity=Decimal("100"), deposit_pct=2)
    with pytest.raises(DomainError, match=r"asks a bid deposit of €44\.00") as refused:
        await auctions.bid(register, request_id, aivar, eur("21"))
    assert [a.intent for a in refused.value.actions] == [DealIntent.PAY_DEPOSIT]
    register.held |= {(request_id, aivar), (request_id, birute)}
    await auctions.bid(register, request_id, aivar, eur("21"))
    await auctions.bid(register, request_id, birute, eur("20"))
    register.at += timedelta(days=1)
    assert await auction_close.close(register, request_id)
    assert register.settled == [(request_id, birute)]
    assert register.held == {(request_id, birute)}  # the winner's stays held


async def test_the_buyer_alone_sees_the_bids_of_a_tender_once_it_closed():
    register, hanna, (aivar, birute, *_) = market()
    request_id = await posted(register, hanna, mode="tender", deadline_days="1")
    await auctions.bid(register, request_id, aivar, eur("20"))
    await auctions.bid(register, request_id, birute, eur("19"))
    assert await auctions.board(register, request_id, hanna) == (2, [])  # sealed
    with pytest.raises(NotAllowed, match="Only the buyer"):
        await auctions.board(register, request_id, aivar)
    register.at += timedelta(days=1)
    await auction_close.close(register, request_id)
    count, rows = await auctions.board(register, request_id, hanna)
    assert count == 2 and [(r.rank, r.seller, r.price, r.awarded) for r in rows] == [
        (1, "Birute", eur("19"), True), (2, "Aivar", eur("20"), False)]
    live = await auction(register, hanna)
    await auctions.bid(register, live, aivar, eur("21"))
    assert [r.seller for r in (await auctions.board(register, live, hanna))[1]] == ["Aivar"]

