"""Tenders and reverse auctions through the core services, on SQLite and PostgreSQL: Hanna's
2,000 t of wood chips bid down by three sellers, a late bid moving the close, the award made
once at the close into a deal; a sealed tender revealed at its deadline; a reserve not met; a
winner whose stock went meanwhile giving way to the next; and the close racing a last bid."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.clock import FakeClock
from core.deals.events import BiddingClosed, BidPlaced
from core.deals.requests import auction_close, auctions
from core.deals.requests import desk as request_desk
from core.deals.requests import quotes as request_quotes
from core.deals.requests import service as supply_requests
from core.deals.requests.tables import RequestBid
from core.deals.tables import Deal, SupplyRequest
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from tests.console.helpers import root
from tests.deals.fakes import market as memory_market
from tests.deals.fakes import posted as memory_posted
from tests.deals.test_supply_requests import chips, market, posted
from tests.support.outbox import told_buttons, told_texts


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


def said(texts: list[str]) -> list[str]:
    """Notices with their amounts written “€21.00” (the Baltic readers see “21,00 €”)."""
    return [re.sub(r"(\d+),(\d\d)\xa0€", r"€\1.\2", text) for text in texts]


async def bid(app, seller, request_id: int, price: str) -> auctions.Standing:
    async with app.uow() as uow:
        standing = await auctions.bid(uow, request_id, seller.id, eur(price))
        await uow.commit()
        return standing


async def request_row(app, request_id: int) -> SupplyRequest:
    async with app.uow() as uow:
        row = await uow.session.get(SupplyRequest, request_id)
        uow.session.expunge(row)  # a snapshot, read after the session ends
        return row


async def deals_of(app, request_id: int) -> list[Deal]:
    async with app.uow() as uow:
        found = list((await uow.session.execute(select(Deal).join(
            RequestBid, RequestBid.offer_id == Deal.offer_id).where(
            RequestBid.request_id == request_id).order_by(Deal.id))).scalars())
        uow.session.expunge_all()
        return found


async def auction(app, hanna, **changes) -> int:
    return await posted(app, hanna, mode="auction", min_step=eur("0.10"), deadline_days="1",
                        **changes)


async def test_a_reverse_auction_bid_down_extended_by_a_late_bid_and_awarded_once(app, clock):
    hanna, (aivar, birute, carl, _) = await market(app)
    request_id = await auction(app, hanna)
    assert ("bid_request", str(request_id)) in await told_buttons(app, aivar.id, "Reverse auction")
    first = await bid(app, aivar, request_id, "21.50")
    assert (first.rank, first.best, first.bidders) == (1, eur("21.50"), 1)
    second = await bid(app, birute, request_id, "21.00")
    assert (second.rank, second.best) == (1, eur("21.00"))
    [outbid] = said(await told_texts(app, aivar.id, "You were outbid"))
    assert "€21.00 per t" in outbid
    with pytest.raises(DomainError, match=r"Bid at most €20.90 per t: the best bid is €21.00"):
        await bid(app, aivar, request_id, "21.05")
    with pytest.raises(DomainError, match=r"pays at most €22\.00"):
        await bid(app, carl, request_id, "23")
    async with app.uow() as uow:
        assert (await auctions.standing(uow, request_id, aivar.id)
                ).rank == 2
    first_close = (await request_row(app, request_id)).deadline
    clock.advance(days=1, minutes=-2)  # two minutes before the close: carl moves it
    third = await bid(app, carl, request_id, "20.50")
    row = await request_row(app, request_id)
    assert row.deadline == clock.now() + timedelta(minutes=3) and row.extensions == 1
    assert third.rank == 1
    clock.advance(minutes=2)  # the first close passes: nothing closes
    assert first_close <= clock.now() and await auction_close.close_due(app.uow) == []
    clock.advance(minutes=1)  # three minutes after carl's bid: the close
    assert await auction_close.close_due(app.uow) == [request_id]
    assert await auction_close.close_due(app.uow) == []  # decided once
    [deal] = await deals_of(app, request_id)
    assert (deal.seller_id, deal.buyer_id, deal.price_minor, deal.quantity_milli) == (
        carl.id, hanna.id, 2050, 2_000_000)
    assert (await request_row(app, request_id)).status == "awarded"
    assert said(await told_texts(app, carl.id, "You won"))[0].startswith(
        f"🏆 You won request #{request_id} at €20.50 per t")
    [lost] = said(await told_texts(app, aivar.id, f"Request #{request_id} closed"))
    assert "winning bid was €20.50 per t" in lost and "€21.50 ranked 3 of 3" in lost
    assert "Carl won at €20.50 per t, against 2 other bidders" in said(
        await told_texts(app, hanna.id, "Carl won"))[0]
    assert not said(await told_texts(app, hanna.id, "quoted"))  # the award is told as the deal
    with pytest.raises(Conflict, match=rf"Bidding on request #{request_id} closed at .*too late"):
        await bid(app, aivar, request_id, "10")


async def test_a_sealed_tender_stays_sealed_until_its_deadline_then_the_lowest_wins():
    register, hanna, (aivar, birute, carl, _) = memory_market()
    request_id = await memory_posted(register, hanna, mode="tender", deadline_days="1")
    await auctions.bid(register, request_id, aivar, eur("21"))
    sealed = await auctions.bid(register, request_id, birute, eur("20"))
    assert (sealed.rank, sealed.best, sealed.own, sealed.bidders) == (None, None, eur("20"), 2)
    assert [e.outbid for e in register.events if isinstance(e, BidPlaced)] == [
        None, None]  # nobody sees another's bid
    replaced = await auctions.bid(register, request_id, aivar, eur("19.50"))  # may be replaced
    assert replaced.own == eur("19.50") and replaced.best is None
    register.at += timedelta(days=1)
    with pytest.raises(Conflict, match="too late"):
        await auctions.bid(register, request_id, carl, eur("1"))
    assert await auction_close.close(register, request_id)
    assert not await auction_close.close(register, request_id)  # decided once
    [(_, won)] = register.awards
    winning = register.placed[won][1]
    assert (winning.seller_id, winning.price_minor) == (aivar, 1950)
    assert register.events[-1] == BiddingClosed(request_id, won)
    revealed = await auctions.standing(register, request_id, birute)
    assert (revealed.rank, revealed.best) == (2, eur("19.50"))


async def test_no_award_above_the_reserve_and_a_winner_without_stock_gives_way(app, clock):
    hanna, (aivar, birute, *_) = await market(app)
    reserved = await auction(app, hanna, reserve=eur("18"))
    await bid(app, aivar, reserved, "21")
    gone = await posted(app, hanna, mode="tender", deadline_days="1")
    await bid(app, aivar, gone, "19")
    await bid(app, birute, gone, "20")
    async with app.uow() as uow:  # aivar's stock sells elsewhere before the close
        listing = await auctions.lot_listing(uow, await request_row(app, gone), aivar.id)
        listing.quantity_milli = 1_000_000
        await uow.commit()
    clock.advance(days=1)
    assert sorted(await auction_close.close_due(app.uow)) == sorted([reserved, gone])
    assert (await request_row(app, reserved)).status == "closed"
    assert not await deals_of(app, reserved)
    assert "the best bid, €21.00 per t, was above your reserve of €18.00" in said(
        await told_texts(app, hanna.id, "above your reserve"))[0]
    assert said(await told_texts(app, aivar.id, f"Request #{reserved} closed without an award"))
    [deal] = await deals_of(app, gone)
    assert deal.seller_id == birute.id


async def test_bids_are_for_invited_sellers_and_a_bidding_request_takes_no_quotes():
    register, hanna, (aivar, _, _, dace) = memory_market()
    request_id = await memory_posted(register, hanna, mode="auction", min_step=eur("0.10"),
                                     deadline_days="1")
    with pytest.raises(NotFound):
        await auctions.bid(register, request_id, dace, eur("20"))  # the pellet seller
    with pytest.raises(Conflict, match="takes bids, not quotes"):
        await request_quotes.place_quote(register, request_id, aivar, 1, chips("2000", "20"))
    with pytest.raises(Conflict, match="closes at its deadline"):
        await supply_requests.close(register, request_id, hanna)
    quotes = await memory_posted(register, hanna)
    with pytest.raises(Conflict, match="takes quotes, not bids"):
        await auctions.bid(register, quotes, aivar, eur("20"))
    with pytest.raises(DomainError, match="starts from your highest price"):
        await memory_posted(register, hanna, mode="auction", min_step=eur("0.1"),
                            max_price=None)


async def test_a_cancelled_auction_takes_no_more_bids(app):
    hanna, (aivar, *_) = await market(app)
    request_id = await auction(app, hanna)
    await bid(app, aivar, request_id, "21")
    admin = await root(app)  # an owner: a moderator too
    async with app.uow() as uow:
        await request_desk.cancel(uow, admin.id, request_id, "Duplicate of another request")
        await uow.commit()
    with pytest.raises(Conflict, match="cancelled"):
        await bid(app, aivar, request_id, "20")


class TickingClock(FakeClock):
    """Moves a millisecond each time it is read, so a bid read just before the deadline and a
    close read just after it can meet."""

    ticking = False

    def now(self):  # type: ignore[override]
        moment = super().now()
        if self.ticking:
            self.advance(milliseconds=1)
        return moment


@pytest.fixture
def clock() -> FakeClock:
    return TickingClock()


async def test_the_close_racing_a_last_bid_decides_once_and_counts_every_bid_before_it(
        app, clock):
    hanna, (aivar, birute, *_) = await market(app)
    clock.ticking = True
    for round_ in range(6):
        request_id = await posted(app, hanna, mode="tender", deadline_days="1",
                                  quantity=Decimal("100"))
        await bid(app, aivar, request_id, "21")
        clock._now = (await request_row(app, request_id)).deadline - timedelta(
            milliseconds=round_ * 2)
        results = await asyncio.gather(bid(app, birute, request_id, "20"),
                                       auction_close.close_due(app.uow), auction_close.close_due(app.uow),
                                       return_exceptions=True)
        late, closes = results[0], [r for r in results[1:] if r]
        assert isinstance(late, (auctions.Standing, Conflict)), late
        clock.advance(minutes=1)
        closes += [c for c in [await auction_close.close_due(app.uow)] if c]
        assert closes == [[request_id]]  # one close, whatever the order
        row = await request_row(app, request_id)
        async with app.uow() as uow:
            placed = list((await uow.session.execute(select(RequestBid).where(
                RequestBid.request_id == request_id))).scalars())
            uow.session.expunge_all()
        assert all(b.placed_at < row.closed_at for b in placed)  # no bid after the close
        [deal] = await deals_of(app, request_id)
        assert deal.price_minor == min(b.price_minor for b in placed)  # every bid counted
        assert (deal.seller_id == birute.id) == isinstance(late, auctions.Standing)


async def test_each_award_leaves_an_anonymised_price_record_the_market_reads(app, clock):
    from core.deals.requests.tables import PriceRecord
    from core.market.analytics import market_analytics
    from core.market.prices import prices_by_product

    hanna, (aivar, birute, carl, _) = await market(app)
    for seller, price in ((aivar, "20"), (birute, "21"), (carl, "22")):
        request_id = await posted(app, hanna, mode="tender", deadline_days="1",
                                  quantity=Decimal("100"))
        await bid(app, seller, request_id, price)
        clock.advance(days=1)
        assert await auction_close.close_due(app.uow) == [request_id]
    async with app.uow() as uow:
        records = list((await uow.session.execute(select(PriceRecord).order_by(
            PriceRecord.id))).scalars())
        private = await market_analytics(uow, "chips", "EE")
        public = await market_analytics(uow, "chips", public=True)
        elsewhere = await market_analytics(uow, "chips", "LV")
        chips_prices = next(p for p in await prices_by_product(uow) if p.product_type == "chips")
        uow.session.expunge_all()
    assert [(r.country, r.price_minor, r.unit) for r in records] == [
        ("EE", 2000, "t"), ("EE", 2100, "t"), ("EE", 2200, "t")]
    energy = records[0].volume_kwh / 100_000  # MWh per tonne, from the winner's listing
    assert energy > 0 and records[0].price_mwh_minor == round(2000 / energy)
    month = next(m for m in private.months if m.awarded.count)
    assert month.awarded.count == 3 and month.awarded.median == records[1].price_mwh_minor
    assert next(m for m in public.months if m.awarded.count).awarded.median is not None
    assert not any(m.awarded.count for m in elsewhere.months)  # the buyer's region only
    [awarded] = chips_prices.awarded
    assert awarded.listings == 3 and awarded.median.amount == records[1].price_mwh_minor


async def test_an_award_whose_deal_ends_can_go_to_the_next_bid(app, clock):
    from core.deals import deals
    from core.deals.requests.tables import PriceRecord

    hanna, (aivar, birute, carl, _) = await market(app)
    request_id = await posted(app, hanna, mode="tender", deadline_days="1",
                              quantity=Decimal("100"))
    for seller, price in ((aivar, "19"), (birute, "20"), (carl, "23")):
        if price != "23":
            await bid(app, seller, request_id, price)
    clock.advance(days=1)
    await auction_close.close_due(app.uow)
    [first] = await deals_of(app, request_id)
    async with app.uow() as uow:  # the winner withdraws
        await deals.take(uow, first.id, "cancel-deal", aivar.id)
        await uow.commit()
    [undone] = said(await told_texts(app, hanna.id, "the award of your request"))
    assert "The next bid is €20.00 per t" in undone
    assert ("award_next", str(request_id)) in await told_buttons(app, hanna.id, "next bid")
    with pytest.raises(NotAllowed):  # a bidder can't award
        async with app.uow() as uow:
            await auctions.award_next(uow, request_id, birute.id)
    async with app.uow() as uow:
        awarded = await auctions.award_next(uow, request_id, hanna.id)
        await uow.commit()
    assert awarded.seller_id == birute.id
    deals_now = await deals_of(app, request_id)
    assert [(d.seller_id, d.status) for d in deals_now] == [
        (aivar.id, "cancelled"), (birute.id, "agreed")]
    with pytest.raises(Conflict, match="award stands"):
        async with app.uow() as uow:
            await auctions.award_next(uow, request_id, hanna.id)
    async with app.uow() as uow:
        [record] = (await uow.session.execute(select(PriceRecord))).scalars().all()
        assert record.price_minor == 2000  # the award that stands


async def test_a_request_for_quotes_opens_again_when_an_awarded_deal_ends(app):
    from core.deals import deals
    from core.deals.offers import service as offers
    from tests.deals.test_supply_requests import quoted

    hanna, (aivar, birute, *_) = await market(app)
    request_id = await posted(app, hanna)
    offer_id = await quoted(app, aivar, request_id, "2000", "21")
    async with app.uow() as uow:
        deal = await offers.accept(uow, offer_id, hanna.id)
        await uow.commit()
        deal_id = deal.id
    assert (await request_row(app, request_id)).status == "awarded"
    async with app.uow() as uow:
        await deals.take(uow, deal_id, "cancel-deal", aivar.id)
        await uow.commit()
    assert (await request_row(app, request_id)).status == "open"
    # (in her figures: English as written in Estonia, like the request's card)
    assert said(await told_texts(app, hanna.id, "takes quotes again for the 2\xa0000 t uncovered"))
    await quoted(app, birute, request_id, "2000", "21.50")  # quotes come again


async def test_results_a_crash_left_untold_are_told_once_by_the_close_job(app, clock):
    from sqlalchemy import update

    from core.deals.requests import notices as request_notices

    hanna, (aivar, *_) = await market(app)
    request_id = await posted(app, hanna, mode="tender", deadline_days="1",
                              quantity=Decimal("100"))
    await bid(app, aivar, request_id, "20")
    clock.advance(days=1)
    await auction_close.close_due(app.uow)
    assert len(await told_texts(app, aivar.id, "You won")) == 1  # told just after the close
    async with app.uow() as uow:  # as if the process died between the close and the telling
        await uow.session.execute(update(SupplyRequest).values(told_at=None))
        await uow.commit()
    assert await request_notices.tell_untold(app.uow) == 0  # not yet: it may be under way
    clock.advance(seconds=31)
    assert await request_notices.tell_untold(app.uow) == 1
    assert await request_notices.tell_untold(app.uow) == 0
    assert len(await told_texts(app, aivar.id, "You won")) == 2
