"""A seller's lot at auction through the bids' and the close's use cases on the requests'
register in memory (`MemoryRequests`): anyone but its seller bids, each bid at least the step
above the highest; a bidder sees their rank, the highest bid and whether the hidden reserve is
met; the one outbid from first place hears it; a late bid moves the close; the close awards the
highest bid at or above the reserve once, and a company buyer's bid keeps within her limit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.deals.events import BiddingClosed, BidPlaced
from core.deals.requests import auction_close, auctions, questions
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from tests.deals.fakes import MemoryRequests, put_up


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


def lot_market() -> tuple[MemoryRequests, int, int, int, int]:
    """Sam, a seller of chips, with a lot up; Ilze and Juta, buyers."""
    register = MemoryRequests()
    sam = register.seller("Sam")
    ilze, juta = register.person("Ilze"), register.person("Juta")
    return register, sam, ilze, juta, put_up(register, sam)


async def test_buyers_bid_a_lot_up_and_see_the_highest_bid_and_the_reserve_met_or_not():
    register, sam, ilze, juta, lot = lot_market()
    with pytest.raises(NotAllowed, match="your own lot"):
        await auctions.bid(register, lot, sam, eur("30"))
    with pytest.raises(DomainError, match="starts at"):
        await auctions.bid(register, lot, ilze, eur("19.90"))
    first = await auctions.bid(register, lot, ilze, eur("20"))
    assert (first.rank, first.best, first.reserve_met, first.most) == (
        1, eur("20"), False, eur("20.10"))
    assert first.request.reserve is None  # the seller's alone
    second = await auctions.bid(register, lot, juta, eur("21"))
    assert (second.rank, second.best, second.reserve_met) == (1, eur("21"), True)
    assert (await auctions.standing(register, lot, ilze)).rank == 2
    assert [e.outbid for e in register.events if isinstance(e, BidPlaced)] == [None, ilze]
    with pytest.raises(DomainError, match="at least"):
        await auctions.bid(register, lot, ilze, eur("21.05"))
    with pytest.raises(NotAllowed, match="Only the seller sees the bids"):
        await auctions.board(register, lot, ilze)
    count, board = await auctions.board(register, lot, sam)
    assert count == 2 and [(r.seller, r.price) for r in board] == [("Juta", eur("21")),
                                                                    ("Ilze", eur("20"))]


async def test_a_late_bid_moves_the_close_and_the_close_awards_the_highest_once():
    register, _, ilze, juta, lot = lot_market()
    await auctions.bid(register, lot, ilze, eur("21"))
    register.at += timedelta(hours=24) - timedelta(minutes=1)
    await auctions.bid(register, lot, juta, eur("21.50"))  # in the last minutes
    assert register.extensions[lot] == 1
    register.at += timedelta(minutes=1)
    assert not await auction_close.close(register, lot)  # extended: not due
    register.at += timedelta(minutes=3)
    assert await auction_close.close(register, lot)
    assert not await auction_close.close(register, lot)  # fired twice: closed once
    [(awarded_on, bid_id)] = register.awards
    assert awarded_on == lot and (await register.bid(bid_id)).seller_id == juta
    assert register.settled == [(lot, juta)]  # every other deposit goes back
    assert [e.bid_id for e in register.events if isinstance(e, BiddingClosed)] == [bid_id]
    with pytest.raises(Conflict, match="came too late"):
        await auctions.bid(register, lot, ilze, eur("30"))


async def test_a_lot_under_its_reserve_is_not_awarded():
    register, _, ilze, _, lot = lot_market()
    await auctions.bid(register, lot, ilze, eur("20.90"))
    register.at += timedelta(hours=25)
    assert await auction_close.close(register, lot)
    assert register.awards == [] and register.settled == [(lot, None)]


async def test_a_company_buyers_bid_keeps_within_her_spending_limit():
    register, _, ilze, _, lot = lot_market()
    register.limits[ilze] = eur("2050")  # 100 t: €20.50 per t at most
    with pytest.raises(DomainError, match="above your spending limit"):
        await auctions.bid(register, lot, ilze, eur("20.60"))
    assert (await auctions.bid(register, lot, ilze, eur("20.50"))).own == eur("20.50")


async def test_a_lot_takes_bids_not_questions():
    register, _, ilze, _, lot = lot_market()
    with pytest.raises(Conflict, match="takes bids, not questions"):
        await questions.ask(register, lot, ilze, "Is it dry?")


async def test_a_private_lot_is_for_the_invited_alone():
    register, sam, ilze, juta, _ = lot_market()
    private = put_up(register, sam, private=True)
    register.invites.add((private, ilze))
    assert (await auctions.bid(register, private, ilze, eur("20"))).rank == 1
    with pytest.raises(NotFound):
        await auctions.bid(register, private, juta, eur("21"))


async def test_the_sellers_requests_list_shows_their_lots_apart_and_their_card_reads_as_a_lot():
    """Sam asked for supply once and put a lot up: `/requests` lists the lot under its own
    heading; its card, its status once sold and the winning bid read as a lot's, in memory."""
    from conversations.messages import Choice, ListPage
    from tests.deals.request_chat import person, post, request_chat

    register, sam, ilze, juta, lot = lot_market()
    chat = request_chat(register)
    asked = await post(chat, sam)
    sam_chat = person(chat, "sam")
    await sam_chat.say("/requests")
    pages = {p.title: p for p in sam_chat.last if isinstance(p, ListPage)}
    assert list(pages) == ["📣 Your requests for supply", "🔨 Your lots at auction"]
    [request_item] = pages["📣 Your requests for supply"].items
    [lot_item] = pages["🔨 Your lots at auction"].items
    assert request_item.title.startswith(f"📣 #{asked} ")
    assert lot_item.title == f"🔨 Lot #{lot}: 100 t of Wood chips"
    assert lot_item.subtitle == "open for bids"
    await auctions.bid(register, lot, ilze, eur("21"))
    await auctions.bid(register, lot, juta, eur("21.50"))
    await sam_chat.send(Choice(lot_item.button.data))
    card = sam_chat.texts()
    assert f"🔨 Lot #{lot} at auction" in card and "Request for supply" not in card
    assert "Status: open for bids" in card and "1. Juta: 21,50" in card.replace("\xa0", " ")
    register.at += timedelta(hours=25)
    assert await auction_close.close(register, lot)
    await sam_chat.tap("Refresh")
    card = sam_chat.texts()
    assert "Status: sold" in card and "— won" in card and "awarded" not in card
    await sam_chat.tap("Done")
    await sam_chat.say("/requests")
    [lots_page] = [p for p in sam_chat.last
                   if isinstance(p, ListPage) and p.title == "🔨 Your lots at auction"]
    assert lots_page.items[0].subtitle == "sold"
