"""A deal's transport on SQLite and PostgreSQL: the hauliers who serve the route are told and
quote; the asker accepts one quote, once, however many press at once; the freight's escrow is
paid, held and released to the haulier once the delivery is confirmed; cancelled before
loading it is refunded; the haulier's updates ship and deliver the deal and reach both
parties; and the ledger balances throughout."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.deals import deals
from core.deals.freight import journey, view
from core.deals.freight import service as freight
from core.deals.freight.cards import deal_lines
from core.deals.freight.tables import FreightQuote, FreightRequest
from core.deals.tables import Deal, Shipment
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.reading import reading
from payments import ledger
from payments.bridges.freight import FreightPayments
from tests.deals.freight_helpers import CARD, ask, eur, haul, quote
from tests.support.outbox import told_texts


async def balanced(app) -> bool:
    async with app.uow() as uow:
        return not await ledger.unbalanced_journals(uow)


async def state_of(app, request_id: int) -> str:
    async with app.uow() as uow:
        return (await uow.get(FreightRequest, request_id)).status


async def escrow(app, request_id: int):
    return await app.payments.by_reference(freight.reference(request_id))


async def booked_and_paid(app, h) -> tuple[int, int]:
    request_id = await ask(app, h)
    quote_id = await quote(app, h, request_id, h.hugo)
    async with app.uow() as uow:
        await freight.accept(uow, quote_id, h.bob.id)
        await uow.commit()
    view_ = await escrow(app, request_id)
    assert view_ is not None and view_.state == "awaiting_payment" and view_.payer_id == h.bob.id
    assert view_.payee_id == h.hugo.id and view_.amount == eur("1200")
    with pytest.raises(DomainError):  # a freight is held in escrow, never paid directly
        await app.payments.choose_direct(view_.id, h.bob.id)
    await app.payments.pay_with_test_card(view_.id, CARD)
    assert await state_of(app, request_id) == "paid"
    return request_id, view_.id


async def test_only_the_hauliers_who_serve_the_route_and_loading_hear_and_may_quote(app):
    h = await haul(app)
    request_id = await ask(app, h)
    assert await told_texts(app, h.hugo.id, "Transport #")  # LV-EE, walking floor
    assert not await told_texts(app, h.ivo.id, "Transport #")  # bags only
    assert not await told_texts(app, h.ola.id, "Transport #")  # Poland only
    with pytest.raises(NotFound):  # not told of it: it does not exist for Ivo
        await quote(app, h, request_id, h.ivo)
    with pytest.raises(NotAllowed):  # nor may a party quote
        await quote(app, h, request_id, h.sam)
    await quote(app, h, request_id, h.hugo)
    assert await told_texts(app, h.bob.id, "A quote for transport")
    with pytest.raises(Conflict):  # one transport at a time
        await ask(app, h, who=h.sam)


async def test_two_acceptances_at_once_book_the_transport_once(app):
    h = await haul(app)
    async with app.uow() as uow:
        await freight.declare(uow, h.ivo.id, "LV, EE", ["walking_floor"], 20, "t")
        await uow.commit()
    request_id = await ask(app, h)  # Ivo now loads a walking floor too: both are told
    first = await quote(app, h, request_id, h.hugo, "1200")
    second = await quote(app, h, request_id, h.ivo, "1100")

    async def accept(quote_id: int) -> str:
        async with app.uow() as uow:
            try:
                await freight.accept(uow, quote_id, h.bob.id)
            except Conflict:
                return "lost"
            await uow.commit()
            return "booked"

    outcomes = await asyncio.gather(accept(first), accept(second))
    assert sorted(outcomes) == ["booked", "lost"], outcomes
    async with app.uow() as uow:
        statuses = sorted((await uow.session.execute(select(FreightQuote.status).where(
            FreightQuote.request_id == request_id))).scalars())
    assert statuses == ["accepted", "lost"]
    loser = h.ivo if outcomes[0] == "booked" else h.hugo
    assert await told_texts(app, loser.id, "went to another haulier")


async def test_the_journey_ships_and_delivers_the_deal_and_the_freight_is_released_once(app):
    h = await haul(app)
    request_id, escrow_id = await booked_and_paid(app, h)
    async with app.uow() as uow:
        with pytest.raises(Conflict):  # delivered needs loading first
            await journey.post(uow, request_id, h.hugo.id, "delivered", cmr_path="x.jpg")
        await journey.post(uow, request_id, h.hugo.id, "loaded")
        await uow.commit()
    async with app.uow() as uow:
        assert (await uow.get(Deal, h.deal_id)).status == "shipped"
        await journey.post(uow, request_id, h.hugo.id, "on_the_way", position="Valmiera",
                           eta=h.today + timedelta(days=6))
        await uow.commit()
    for party in (h.bob, h.sam):
        assert await told_texts(app, party.id, "Valmiera")
    async with app.uow() as uow:
        await journey.post(uow, request_id, h.hugo.id, "delivered", cmr_path="ab/cmr.jpg",
                           cmr_mime="image/jpeg")
        await uow.commit()
    async with app.uow() as uow:
        assert (await uow.get(Deal, h.deal_id)).status == "delivered"
        assert (await uow.get(Shipment, h.deal_id)).status == "delivered"
    assert (await escrow(app, request_id)).state == "held"
    async with app.uow() as uow:  # the buyer confirms receipt on the deal
        await deals.take(uow, h.deal_id, "confirm-receipt", h.bob.id)
        await uow.commit()
    assert await state_of(app, request_id) == "completed"
    assert (await app.payments.get(escrow_id)).state == "released"
    wallet = await app.payments.wallet(h.hugo.id)
    assert sum(m.amount for m in wallet.pending + wallet.paid_out) == 114_000  # less 5 %
    assert await FreightPayments(app.payments).catch_up() == 0
    await FreightPayments(app.payments)._move(freight.reference(request_id), "release")
    assert (await app.payments.get(escrow_id)).state == "released"  # once
    assert await balanced(app)


async def test_the_receiver_confirms_a_posted_delivery_and_the_haulier_is_paid(app):
    h = await haul(app)
    request_id, escrow_id = await booked_and_paid(app, h)
    async with app.uow() as uow:
        await journey.post(uow, request_id, h.hugo.id, "loaded")
        await journey.post(uow, request_id, h.hugo.id, "delivered", cmr_path="ab/c.jpg")
        await uow.commit()
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):
            await journey.confirm(uow, request_id, h.sam.id)
        await journey.confirm(uow, request_id, h.bob.id)
        await uow.commit()
    assert (await app.payments.get(escrow_id)).state == "released"
    assert await told_texts(app, h.hugo.id, "released to you")
    assert await balanced(app)


async def test_a_transport_cancelled_before_loading_is_refunded_and_after_it_cannot_be(app):
    h = await haul(app)
    request_id, escrow_id = await booked_and_paid(app, h)
    async with app.uow() as uow:
        await journey.cancel(uow, request_id, h.bob.id)
        await uow.commit()
    assert (await app.payments.get(escrow_id)).state == "refunded"
    assert await told_texts(app, h.hugo.id, "was cancelled before loading")
    second = await ask(app, h)  # the deal may ask again
    quote_id = await quote(app, h, second, h.hugo)
    async with app.uow() as uow:
        await freight.accept(uow, quote_id, h.bob.id)
        await uow.commit()
    await app.payments.pay_with_test_card((await escrow(app, second)).id, CARD)
    async with app.uow() as uow:
        await journey.post(uow, second, h.hugo.id, "loaded")
        await uow.commit()
    async with app.uow() as uow:
        with pytest.raises(Conflict):
            await journey.cancel(uow, second, h.bob.id)
    assert await balanced(app)


async def test_loading_waits_for_the_goods_to_be_paid(app):
    h = await haul(app, paid=False)
    request_id = await ask(app, h)
    quote_id = await quote(app, h, request_id, h.hugo)
    async with app.uow() as uow:
        await freight.accept(uow, quote_id, h.bob.id)
        await uow.commit()
    await app.payments.pay_with_test_card((await escrow(app, request_id)).id, CARD)
    async with app.uow() as uow:
        with pytest.raises(Conflict):
            await journey.post(uow, request_id, h.hugo.id, "loaded")


async def test_the_deal_card_shows_the_freight_and_the_delivered_total(app):
    h = await haul(app)
    await booked_and_paid(app, h)
    async with app.uow() as uow:
        facts = await view.of_deal(uow, h.deal_id, h.bob.id)
    assert facts is not None and facts.delivered is not None
    assert facts.delivered.total == eur("23200")  # 22,000 of goods and 1,200 of freight
    with reading(None):
        lines = "\n".join(deal_lines(facts))
    assert "Delivered total: €23,200.00" in lines and "/MWh delivered" in lines


async def test_a_window_opening_unbooked_closes_the_request(app, clock):
    h = await haul(app)
    request_id = await ask(app, h)
    await quote(app, h, request_id, h.hugo)
    clock.advance(days=4)
    async with app.uow() as uow:
        assert await journey.close_due(uow) == [request_id]
        await uow.commit()
    assert await state_of(app, request_id) == "closed"
    assert await told_texts(app, h.bob.id, "closed: its loading window opened")


async def test_a_deal_refunded_before_loading_cancels_its_transport_and_refunds_the_freight(app):
    h = await haul(app)
    request_id, escrow_id = await booked_and_paid(app, h)
    async with app.uow() as uow:  # the seller never ships: the deal is refunded
        await deals.take(uow, h.deal_id, "cancel-not-shipped", None)
        await uow.commit()
    assert await state_of(app, request_id) == "cancelled"
    assert (await app.payments.get(escrow_id)).state == "refunded"
    assert await balanced(app)


async def test_a_withdrawn_quote_cannot_be_accepted_and_only_its_haulier_withdraws_it(app):
    h = await haul(app)
    request_id = await ask(app, h)
    quote_id = await quote(app, h, request_id, h.hugo)
    async with app.uow() as uow:
        with pytest.raises(NotFound):
            await freight.withdraw(uow, quote_id, h.bob.id)
        await freight.withdraw(uow, quote_id, h.hugo.id)
        await uow.commit()
    async with app.uow() as uow:
        with pytest.raises(Conflict):
            await freight.withdraw(uow, quote_id, h.hugo.id)
        with pytest.raises(Conflict):
            await freight.accept(uow, quote_id, h.bob.id)
    assert await state_of(app, request_id) == "open"
    assert await quote(app, h, request_id, h.hugo, "1300") == quote_id  # quoted again
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):  # only the party who asked accepts
            await freight.accept(uow, quote_id, h.sam.id)
        await freight.accept(uow, quote_id, h.bob.id)
        await uow.commit()
    assert (await escrow(app, request_id)).amount == eur("1300")
