"""Bid deposits through the services and the money layer (sandbox payments), on SQLite and
PostgreSQL: a reverse auction asking 2 % of the lot — no bid before the deposit is paid; the
losers' deposits refunded at the close, the winner's held; a winner who withdraws forfeits it to
the buyer, a winner whose deal completes gets it back; a deposit paid after the close goes back;
and the ledger balances throughout."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from conversations.messages import Choice
from core.deals import deals, due
from core.deals.intents import DealIntent
from core.deals.requests import auction_close, auctions, bid_deposits
from core.deals.requests import service as supply_requests
from core.deals.requests.tables import BidDeposit, RequestBid
from core.deals.tables import Deal
from core.deals.terms import service as terms
from core.errors import DomainError
from core.money.model import Money
from payments import ledger
from tests.deals.test_supply_requests import market
from tests.support.chat import ChatUser
from tests.support.outbox import told_texts

CARD = "4242 4242 4242 4242"


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


async def auction(app, hanna, deadline_days: str = "1") -> int:
    draft = supply_requests.Draft("chips", Decimal("100"), "t", "Tartu", max_price=eur("22"),
                                  deadline_days=deadline_days, mode="auction",
                                  min_step=eur("0.10"), deposit_pct=2)
    async with app.uow() as uow:
        request = await supply_requests.post(uow, hanna.id, draft)
        await uow.commit()
        return request.id


async def pay_deposit(app, seller, request_id: int) -> int:
    async with app.uow() as uow:
        due = await auctions.ask_deposit(uow, request_id, seller.id)
        await uow.commit()
    assert due == eur("44")  # 2 % of 100 t at €22
    view = await app.payments.by_reference(bid_deposits.reference(request_id, seller.id))
    assert view is not None and view.state == "awaiting_payment" and view.kind == "deposit"
    await app.payments.pay_with_test_card(view.id, CARD)
    return view.id


async def bid(app, seller, request_id: int, price: str) -> None:
    async with app.uow() as uow:
        await auctions.bid(uow, request_id, seller.id, eur(price))
        await uow.commit()


async def escrow_state(app, escrow_id: int) -> str:
    return (await app.payments.get(escrow_id)).state


async def deposit_state(app, request_id: int, seller_id: int) -> str:
    async with app.uow() as uow:
        return (await uow.session.get(BidDeposit, (request_id, seller_id))).state


async def the_deal(app, request_id: int) -> int:
    async with app.uow() as uow:
        return await uow.session.scalar(select(Deal.id).join(
            RequestBid, RequestBid.offer_id == Deal.offer_id).where(
            RequestBid.request_id == request_id))


async def won_alone(app, clock):
    """Aivar, the only bidder, paid his deposit and won: (hanna, aivar, request, his deposit's
    escrow, the deal)."""
    hanna, (aivar, *_) = await market(app)
    request_id = await auction(app, hanna)
    escrow = await pay_deposit(app, aivar, request_id)
    await bid(app, aivar, request_id, "21")
    clock.advance(days=1)
    await auction_close.close_due(app.uow)
    return hanna, aivar, request_id, escrow, await the_deal(app, request_id)


async def balanced(app) -> bool:
    async with app.uow() as uow:
        return not await ledger.unbalanced_journals(uow)


async def test_losers_get_their_deposits_back_and_a_winner_who_withdraws_forfeits(app, clock):
    hanna, (aivar, birute, *_) = await market(app)
    request_id = await auction(app, hanna)
    with pytest.raises(DomainError, match="asks a bid deposit of") as refused:
        await bid(app, aivar, request_id, "21")
    assert [a.intent for a in refused.value.actions] == [DealIntent.PAY_DEPOSIT]
    assert "Bid deposit:" in (await told_texts(app, aivar.id, "Request for supply"))[0]
    aivar_escrow = await pay_deposit(app, aivar, request_id)
    assert await told_texts(app, aivar.id, "Your deposit on request")
    await bid(app, aivar, request_id, "21")
    birute_escrow = await pay_deposit(app, birute, request_id)
    await bid(app, birute, request_id, "20")
    with pytest.raises(DomainError, match="paid already"):
        async with app.uow() as uow:
            await auctions.ask_deposit(uow, request_id, birute.id)
    clock.advance(days=1)
    assert await auction_close.close_due(app.uow) == [request_id]
    assert await escrow_state(app, aivar_escrow) == "refunded"  # the loser's, at the close
    assert await escrow_state(app, birute_escrow) == "held"  # the winner's, until delivery
    assert await told_texts(app, aivar.id, "refunded to you for the bid deposit on request")
    deal_id = await the_deal(app, request_id)
    async with app.uow() as uow:  # the winner withdraws before signing
        await deals.take(uow, deal_id, "cancel-deal", birute.id)
        await uow.commit()
    assert await deposit_state(app, request_id, birute.id) == "forfeited"
    assert await escrow_state(app, birute_escrow) == "released"  # to the buyer
    assert await told_texts(app, birute.id, "you withdrew from the deal")
    assert await told_texts(app, hanna.id, "The winner's deposit of")
    assert await balanced(app)


async def test_a_winner_whose_deal_ends_by_the_buyer_or_completes_gets_the_deposit_back(
        app, clock):
    hanna, aivar, request_id, escrow, deal_id = await won_alone(app, clock)
    async with app.uow() as uow:
        await deals.take(uow, deal_id, "cancel-deal", hanna.id)
        await uow.commit()
    assert await deposit_state(app, request_id, aivar.id) == "returned"
    assert await escrow_state(app, escrow) == "refunded"
    assert not await told_texts(app, aivar.id, "goes to the buyer")
    assert await balanced(app)


async def test_a_winner_who_does_not_sign_in_time_forfeits(app, clock):
    hanna, aivar, request_id, escrow, deal_id = await won_alone(app, clock)
    async with app.uow() as uow:  # the buyer accepts the terms; the winner never does
        version = await terms.current(uow, deal_id)
        await terms.accept(uow, deal_id, hanna.id, version.sha256)
        await uow.commit()
    clock.advance(days=3, minutes=1)
    await due.run_all(app.uow)
    async with app.uow() as uow:
        assert (await uow.session.get(Deal, deal_id)).status == "cancelled"
    assert await deposit_state(app, request_id, aivar.id) == "forfeited"
    assert await escrow_state(app, escrow) == "released"
    assert await told_texts(app, aivar.id, "did not accept the deal's terms in time")


async def test_a_deposit_paid_after_the_close_goes_straight_back(app, clock):
    hanna, (aivar, *_) = await market(app)
    request_id = await auction(app, hanna)
    async with app.uow() as uow:
        await auctions.ask_deposit(uow, request_id, aivar.id)
        await uow.commit()
    clock.advance(days=1)
    await auction_close.close_due(app.uow)
    view = await app.payments.by_reference(bid_deposits.reference(request_id, aivar.id))
    await app.payments.pay_with_test_card(view.id, CARD)  # a payment page left open
    assert await escrow_state(app, view.id) == "refunded"
    assert await balanced(app)


async def test_a_seller_is_shown_the_way_to_pay_the_deposit_in_chat(app):
    from tests.deals.chat_helpers import last_notice
    from tests.support.chat import ChatUser

    hanna, (aivar, *_) = await market(app)
    request_id = await auction(app, hanna)
    seller = ChatUser(app, "aivar")
    await last_notice(app, seller, "Request for supply #")
    await seller.tap("Bid")
    await seller.say("21")
    assert "asks a bid deposit of 44,00" in seller.texts()
    await seller.tap("Pay the deposit")
    assert "The payment page for the deposit of 44,00" in seller.texts()
    await last_notice(app, seller, "Pay the bid deposit")
    pay = seller.button("Pay")
    assert pay.data  # the payment page's button, as every payment's
    view = await app.payments.by_reference(bid_deposits.reference(request_id, aivar.id))
    await app.payments.pay_with_test_card(view.id, CARD)
    await last_notice(app, seller, "is paid and your bid of")  # the 21 typed before: kept
    await seller.tap("Bid")
    assert "Your bid: 21,00" in seller.texts()


async def test_a_winner_keeps_the_deposit_when_the_buyer_changed_the_terms(app, clock):
    hanna, aivar, request_id, escrow, deal_id = await won_alone(app, clock)
    async with app.uow() as uow:  # the winner signs the awarded terms…
        version = await terms.current(uow, deal_id)
        await terms.accept(uow, deal_id, aivar.id, version.sha256)
        await uow.commit()
    async with app.uow() as uow:  # …then the buyer asks for another place and lets it lapse
        await terms.change(uow, deal_id, hanna.id, {"place": "Narva"})
        await uow.commit()
    clock.advance(days=3, minutes=1)
    await due.run_all(app.uow)
    assert await deposit_state(app, request_id, aivar.id) == "returned"
    assert await escrow_state(app, escrow) == "refunded"
    assert not await told_texts(app, aivar.id, "goes to the buyer")


async def test_a_deposit_paid_as_bidding_ends_goes_back_and_the_catch_up_returns_strays(
        app, clock):
    from sqlalchemy import update

    from core.deals.tables import SupplyRequest
    from payments.bridges.deposits import DepositPayments

    hanna, (aivar, birute, *_) = await market(app)
    request_id = await auction(app, hanna)
    birute_escrow = await pay_deposit(app, birute, request_id)  # held, before the deadline
    async with app.uow() as uow:
        await auctions.ask_deposit(uow, request_id, aivar.id)
        await uow.commit()
    clock.advance(days=1)  # the deadline passed; the close has not run yet
    view = await app.payments.by_reference(bid_deposits.reference(request_id, aivar.id))
    await app.payments.pay_with_test_card(view.id, CARD)
    assert await escrow_state(app, view.id) == "refunded"  # no bid can come: it goes back
    async with app.uow() as uow:  # a close that missed birute's deposit in a race
        await uow.session.execute(update(SupplyRequest).values(
            closed_at=clock.now(), status="closed"))
        await uow.commit()
    assert await deposit_state(app, request_id, birute.id) == "held"
    await DepositPayments(app.payments).catch_up()
    assert await deposit_state(app, request_id, birute.id) == "returned"
    assert await escrow_state(app, birute_escrow) == "refunded"
    assert await balanced(app)


async def _price_before_the_deposit(app, seller, name: str, request_id: int, price: str) -> int:
    """The seller types a price on the bidding card before paying the deposit, keeps it and
    pays: the deposit's escrow."""
    chat = ChatUser(app, name)
    await chat.send(Choice(f"@go:bid:{request_id}"))
    await chat.say(price)
    assert "asks a bid deposit" in chat.texts() and "is placed as soon as it is paid" \
        in chat.texts()
    await chat.tap("Pay the deposit and bid")
    view = await app.payments.by_reference(bid_deposits.reference(request_id, seller.id))
    await app.payments.pay_with_test_card(view.id, CARD)
    return view.id


async def test_a_price_typed_before_the_deposit_is_paid_becomes_the_bid_once_it_is(app):
    hanna, (aivar, *_) = await market(app)
    request_id = await auction(app, hanna)
    await _price_before_the_deposit(app, aivar, "aivar", request_id, "21")
    async with app.uow() as uow:
        prices = (await uow.session.execute(select(RequestBid.price_minor).where(
            RequestBid.seller_id == aivar.id))).scalars().all()
    assert prices == [2100]
    assert await told_texts(app, aivar.id, "is paid and your bid of")


async def test_a_kept_price_the_auction_has_passed_is_not_placed_and_the_seller_bids_again(app):
    hanna, (aivar, birute, *_) = await market(app)
    request_id = await auction(app, hanna)
    await pay_deposit(app, birute, request_id)
    await bid(app, birute, request_id, "21")  # 21 is taken: aivar's kept 21 no longer fits
    await _price_before_the_deposit(app, aivar, "aivar", request_id, "21")
    assert await deposit_state(app, request_id, aivar.id) == "held"
    assert await told_texts(app, aivar.id, "could not be placed")
    async with app.uow() as uow:
        assert not (await uow.session.execute(select(RequestBid).where(
            RequestBid.seller_id == aivar.id))).first()


async def test_a_price_typed_in_another_currency_is_refused_before_any_deposit(app):
    hanna, (aivar, *_) = await market(app)
    request_id = await auction(app, hanna)
    async with app.uow() as uow:
        with pytest.raises(DomainError, match="Bid in EUR"):
            await auctions.ask_deposit(uow, request_id, aivar.id, Money(2100, "USD"))
    async with app.uow() as uow:
        assert not (await uow.session.execute(select(BidDeposit).where(
            BidDeposit.seller_id == aivar.id))).first()
