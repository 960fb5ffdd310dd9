"""A seller's lot at auction through the core services, on SQLite and PostgreSQL: Sam puts up
100 t of his wood chips; buyers bid the price up, a late bid moves the close, the highest bid at
or above the hidden reserve becomes a deal (Sam the seller, the winner the buyer) once, however
often the close fires; a lot under its reserve closes unsold; bids placed at once lose none; the
losers' deposits go back while the winner's stays held, and a winner who withdraws forfeits it
to the seller, who may sell to the next bid."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.deals import deals
from core.deals.requests import auction_close, auctions, bid_deposits, lots
from core.deals.requests.tables import BidDeposit, PriceRecord, RequestBid
from core.deals.tables import Deal, Offer, SupplyRequest
from core.errors import Conflict, DomainError, NotAllowed
from core.money.model import Money
from payments import ledger
from payments.bridges.deposits import SYSTEM as DEPOSIT_SYSTEM
from tests.catalog.helpers import make_account, publish
from tests.deals.test_supply_requests import CHIPS
from tests.support.outbox import told_buttons, told_texts

CARD = "4242 4242 4242 4242"


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


async def lot_market(app, buyers: int = 3):
    """Sam, a seller of chips, and buyers (the first posted a request for chips before)."""
    sam = await make_account(app, "sam", roles=("seller",))
    listing = await publish(app, sam, **CHIPS)
    people = [await make_account(app, f"buyer{n}", roles=("buyer",), country="EE", city="Tartu")
              for n in range(buyers)]
    async with app.uow() as uow:  # a buyer of chips: told of Sam's lots
        uow.add(SupplyRequest(buyer_id=people[0].id, product_type="chips", quantity_milli=1,
                              unit="t", currency="EUR", incoterm="DAP", place="Riga",
                              deadline=app.clock.now(), status="closed",
                              created_at=app.clock.now(), updated_at=app.clock.now()))
        await uow.commit()
    return sam, listing, people


async def put_up(app, sam, listing: int, **changes) -> int:
    terms = lots.LotTerms(**{"quantity": Decimal("100"), "start": eur("20"),
                             "step": eur("0.10"), "reserve": eur("21"), "hours": 24,
                             **changes})
    async with app.uow() as uow:
        lot = await lots.put_up(uow, sam.id, listing, terms)
        await uow.commit()
        assert lot.id is not None
        return lot.id


async def bid(app, buyer, lot_id: int, price: str) -> auctions.Standing:
    async with app.uow() as uow:
        standing = await auctions.bid(uow, lot_id, buyer.id, eur(price))
        await uow.commit()
        return standing


async def deals_of(app, lot_id: int) -> list[Deal]:
    async with app.uow() as uow:
        found = list((await uow.session.execute(select(Deal).join(
            RequestBid, RequestBid.offer_id == Deal.offer_id).where(
            RequestBid.request_id == lot_id).order_by(Deal.id))).scalars())
        uow.session.expunge_all()
        return found


async def row(app, lot_id: int) -> SupplyRequest:
    async with app.uow() as uow:
        found = await uow.session.get(SupplyRequest, lot_id)
        uow.session.expunge(found)
        return found


async def test_a_lot_is_bid_up_extended_by_a_late_bid_and_sold_once_to_the_highest(app, clock):
    sam, listing, (ilze, juta, karl) = await lot_market(app)
    window = (clock.now().date() + timedelta(days=10), clock.now().date() + timedelta(days=30))
    lot_id = await put_up(app, sam, listing, delivery_from=window[0], delivery_to=window[1])
    assert ("bid_request", str(lot_id)) in await told_buttons(app, ilze.id, "Lot #")
    with pytest.raises(NotAllowed, match="your own lot"):
        await bid(app, sam, lot_id, "25")
    first = await bid(app, ilze, lot_id, "20.50")
    assert (first.rank, first.best, first.reserve_met) == (1, eur("20.50"), False)
    assert first.request.reserve is None  # never in a bidder's hands
    second = await bid(app, juta, lot_id, "21.00")
    assert (second.rank, second.best, second.reserve_met) == (1, eur("21"), True)
    assert second.most == eur("21.10")
    [outbid] = await told_texts(app, ilze.id, "You were outbid on lot")
    assert "highest bid" in outbid
    with pytest.raises(DomainError, match="Bid at least"):
        await bid(app, karl, lot_id, "21.05")
    clock.advance(hours=24, minutes=-1)
    await bid(app, karl, lot_id, "21.10")  # in the last minutes: the close moves
    assert (await row(app, lot_id)).extensions == 1
    clock.advance(minutes=1)
    assert await auction_close.close_due(app.uow) == []  # extended: not due yet
    clock.advance(minutes=3)
    assert await auction_close.close_due(app.uow) == [lot_id]
    assert await auction_close.close_due(app.uow) == []  # fired again: closes nothing
    async with app.uow() as uow:
        assert not await auction_close.close(uow, lot_id)
    [deal] = await deals_of(app, lot_id)
    assert (deal.seller_id, deal.buyer_id, deal.price_minor) == (sam.id, karl.id, 2110)
    async with app.uow() as uow:  # the market reads what the lot sold at, where it goes
        record = (await uow.session.execute(select(PriceRecord).where(
            PriceRecord.request_id == lot_id))).scalar_one()
        assert (record.price_minor, record.country) == (2110, "EE")
    assert deal.listing_id == listing
    lot = await row(app, lot_id)
    async with app.uow() as uow:  # the lot's delivery terms are the deal's
        offer = await uow.session.get(Offer, deal.offer_id)
        assert (offer.incoterm, offer.place, offer.delivery_from, offer.delivery_to) == (
            lot.incoterm, lot.place, *window)
    assert lot.place == "Riga port" and lot.incoterm  # the listing's own
    assert await told_texts(app, karl.id, "You won lot #")
    assert await told_texts(app, juta.id, "winning bid was")
    [sold] = await told_texts(app, sam.id, "sold")
    assert "Buyer2 won at" in sold


async def test_a_lot_under_its_reserve_closes_unsold(app, clock):
    sam, listing, (ilze, *_) = await lot_market(app)
    lot_id = await put_up(app, sam, listing, reserve=eur("30"))
    await bid(app, ilze, lot_id, "25")
    clock.advance(hours=25)
    assert await auction_close.close_due(app.uow) == [lot_id]
    assert await deals_of(app, lot_id) == []
    assert (await row(app, lot_id)).status == "closed"
    assert await told_texts(app, sam.id, "under your reserve")
    assert await told_texts(app, ilze.id, "closed unsold")


async def test_bids_at_once_on_a_lot_lose_none_and_a_double_close_awards_once(app, clock):
    sam, listing, buyers = await lot_market(app, buyers=6)
    lot_id = await put_up(app, sam, listing, reserve=None)
    prices = [f"{20 + n}.00" for n in range(len(buyers))]
    results = await asyncio.gather(*(bid(app, b, lot_id, p) for b, p in zip(buyers, prices, strict=True)),
                                   return_exceptions=True)
    accepted = [r for r in results if isinstance(r, auctions.Standing)]
    assert all(isinstance(r, (auctions.Standing, DomainError)) for r in results), results
    async with app.uow() as uow:
        stored = list((await uow.session.execute(select(RequestBid.price_minor).where(
            RequestBid.request_id == lot_id))).scalars())
    assert len(stored) == len(accepted) >= 1  # every accepted bid recorded, no other
    clock.advance(hours=25)
    closes = await asyncio.gather(auction_close.close_due(app.uow),
                                  auction_close.close_due(app.uow))
    assert sorted(closes) == [[], [lot_id]]
    [deal] = await deals_of(app, lot_id)
    assert deal.price_minor == max(stored)


async def test_the_losers_deposits_on_a_lot_go_back_and_the_winners_stays_held(app, clock):
    sam, listing, (ilze, juta, _) = await lot_market(app)
    lot_id = await put_up(app, sam, listing, deposit_pct=2)
    with pytest.raises(DomainError, match=r"Lot #\d+ asks a bid deposit of €40.00"):
        await bid(app, ilze, lot_id, "21")
    escrows = {}
    for buyer in (ilze, juta):
        async with app.uow() as uow:
            assert await auctions.ask_deposit(uow, lot_id, buyer.id) == eur("40")  # 2 % at €20
            await uow.commit()
        view = await app.payments.by_reference(bid_deposits.reference(lot_id, buyer.id, lot=True))
        assert view is not None and view.payee_id == sam.id
        await app.payments.pay_with_test_card(view.id, CARD)
        escrows[buyer.id] = view.id
    await bid(app, ilze, lot_id, "21")
    await bid(app, juta, lot_id, "22")
    # The deposit is named the lot's wherever its money is (here: the notice it is held).
    assert await told_texts(app, ilze.id, f"for the bid deposit on lot #{lot_id} is held")
    assert not await told_texts(app, ilze.id, "deposit on request")
    clock.advance(hours=25)
    assert await auction_close.close_due(app.uow) == [lot_id]
    assert await told_texts(app, ilze.id, f"refunded to you for the bid deposit on lot #{lot_id}")
    async with app.uow() as uow:
        states = {b.seller_id: b.state for b in (await uow.session.execute(
            select(BidDeposit).where(BidDeposit.request_id == lot_id))).scalars()}
        assert not await ledger.unbalanced_journals(uow)
    assert states == {ilze.id: "returned", juta.id: "held"}
    assert (await app.payments.get(escrows[ilze.id])).state == "refunded"
    assert (await app.payments.get(escrows[juta.id])).state == "held"
    [deal] = await deals_of(app, lot_id)
    assert deal.buyer_id == juta.id
    assert clock.now() - (await row(app, lot_id)).closed_at < timedelta(minutes=1)
    async with app.uow() as uow:  # the winner withdraws: her deposit is the seller's
        await deals.take(uow, deal.id, "cancel-deal", juta.id)
        await uow.commit()
    assert (await app.payments.get(escrows[juta.id])).state == "released"
    assert await told_texts(app, juta.id, "goes to the seller: you withdrew from the deal")
    assert await told_texts(app, sam.id, "The winner's deposit of 40,00")
    assert await told_buttons(app, sam.id, "the sale of your lot") == [
        ("award_next", str(lot_id))]
    async with app.uow() as uow:  # the seller sells to the next bid instead
        assert (await auctions.award_next(uow, lot_id, sam.id)).seller_id == ilze.id
        await uow.commit()
    async with app.uow() as uow:  # in the lot's words, not a request's
        with pytest.raises(NotAllowed, match="Only the lot's seller sells it"):
            await auctions.award_next(uow, lot_id, ilze.id)
        with pytest.raises(Conflict, match="That lot's sale stands"):
            await auctions.award_next(uow, lot_id, sam.id)
    assert [(d.seller_id, d.buyer_id) for d in await deals_of(app, lot_id)] == [
        (sam.id, juta.id), (sam.id, ilze.id)]
    async with app.uow() as uow:
        assert not await ledger.unbalanced_journals(uow)


async def test_a_lots_deposit_asked_under_the_old_reference_is_paid_and_returned_by_it(app, clock):
    """A lot's deposit whose escrow was opened as `deposit:<lot>:<buyer>` (before lots named
    theirs `lot-deposit:`) is the one asked again, paid, and refunded at the close."""
    sam, listing, (ilze, juta, _) = await lot_market(app)
    lot_id = await put_up(app, sam, listing, deposit_pct=2)
    old = bid_deposits.reference(lot_id, ilze.id)
    assert old == f"deposit:{lot_id}:{ilze.id}" and bid_deposits.legacy(
        bid_deposits.reference(lot_id, ilze.id, lot=True)) == old
    opened = await app.payments.open("deposit", "platform", old, ilze.id, sam.id, eur("40"),
                                     DEPOSIT_SYSTEM)
    for buyer in (ilze, juta):
        async with app.uow() as uow:
            await auctions.ask_deposit(uow, lot_id, buyer.id)
            await uow.commit()
    assert await app.payments.by_reference(
        bid_deposits.reference(lot_id, ilze.id, lot=True)) is None  # the old one was sent again
    await app.payments.pay_with_test_card(opened.id, CARD)
    juta_view = await app.payments.by_reference(bid_deposits.reference(lot_id, juta.id, lot=True))
    assert juta_view is not None
    await app.payments.pay_with_test_card(juta_view.id, CARD)
    await bid(app, ilze, lot_id, "21")
    await bid(app, juta, lot_id, "22")
    clock.advance(hours=25)
    assert await auction_close.close_due(app.uow) == [lot_id]
    assert (await app.payments.get(opened.id)).state == "refunded"
    assert (await app.payments.get(juta_view.id)).state == "held"
