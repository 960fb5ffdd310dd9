"""What a transport tells, each notice in its reader's language and on their channel: the
hauliers who serve the route get the request with Quote; its asker each quote with Accept;
the winner and the losers their result; both deal parties every update of the haulier (the
CMR photo with "delivered", the receiver with Confirm delivery); the haulier that the freight
is paid, cancelled or confirmed. A delivery confirmed on the deal releases the freight."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from core.actions import Action
from core.deals.events import DealMoved
from core.deals.freight import journey, view
from core.deals.freight.cards import quote_line, transport_text, update_text
from core.deals.freight.events import FreightAsked, FreightBooked, FreightMoved, FreightQuoted
from core.deals.freight.rules import FreightState, QuoteState
from core.deals.freight.tables import FreightInvite, FreightQuote, FreightRequest
from core.deals.intents import DealIntent
from core.deals.tables import Deal
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify, recipients, rewrite_card
from core.storage.uow import UnitOfWork

ABOUT = "freight:{id}"
UPDATES = (FreightState.LOADED, FreightState.ON_THE_WAY, FreightState.DELIVERED)
UPDATE_OF: dict[str, str] = {FreightState.LOADED: "loaded", FreightState.ON_THE_WAY: "on_the_way",
             FreightState.DELIVERED: "delivered"}


def cmr_ref(request_id: int) -> dict[str, str]:
    """How a notice attaches a transport's CMR photo."""
    return {"kind": "freight-cmr", "key": str(request_id)}


def _view(request_id: int) -> Action:
    return Action(DealIntent.VIEW_FREIGHT, N_("🚚 Transport"), str(request_id))


async def on_asked(uow: UnitOfWork, event: FreightAsked) -> None:
    """Each haulier who serves the route hears of the request, with Quote."""
    request = await uow.get(FreightRequest, event.request_id)
    if request is None:
        return
    await recipients(uow, set(event.invited))
    for haulier_id in event.invited:
        async with addressed_to(uow, haulier_id):
            text = transport_text(await view.facts(uow, request, haulier_id))
            await notify(uow, haulier_id, text, buttons=[[Action(
                DealIntent.QUOTE_FREIGHT, N_("💶 Quote"), str(request.id))]],
                about=(ABOUT.format(id=request.id),))


async def on_quoted(uow: UnitOfWork, event: FreightQuoted) -> None:
    """The party who asked hears of the quote, with Accept."""
    quote = await uow.get(FreightQuote, event.quote_id)
    request = await uow.get(FreightRequest, quote.request_id) if quote else None
    if quote is None or request is None:
        return
    async with addressed_to(uow, request.asked_by):
        facts = await view.my_quote(uow, request.id, quote.haulier_id)
        if facts is None:
            return
        await notify(uow, request.asked_by, _(
            "💶 A quote for transport #{id} (deal #{deal}):\n{quote}", id=request.id,
            deal=request.deal_id, quote=quote_line(facts)),
            buttons=[[Action(DealIntent.FREIGHT_STEP, N_("✅ Accept"), f"accept:{quote.id}")],
                     [_view(request.id)]])


async def on_booked(uow: UnitOfWork, event: FreightBooked) -> None:
    """The haulier whose quote was accepted hears it; every other who quoted, that they lost."""
    request = await uow.get(FreightRequest, event.request_id)
    if request is None:
        return
    lost = list((await uow.session.execute(select(FreightQuote.haulier_id).where(
        FreightQuote.request_id == request.id, FreightQuote.status == QuoteState.LOST)
        .order_by(FreightQuote.haulier_id))).scalars())
    await recipients(uow, {event.haulier_id, *lost})
    async with addressed_to(uow, event.haulier_id):
        await notify(uow, event.haulier_id, _(
            "🎉 Your quote of {price} for transport #{id} was accepted. You can load once the "
            "freight is paid: you will hear it.", price=event.amount, id=request.id),
            buttons=[[_view(request.id)]])
    for haulier_id in lost:
        async with addressed_to(uow, haulier_id):
            await notify(uow, haulier_id, _(
                "Transport #{id} went to another haulier's quote. Thank you for quoting.",
                id=request.id), about=(ABOUT.format(id=request.id),))


async def on_moved(uow: UnitOfWork, event: FreightMoved) -> None:
    """Each update reaches both deal parties (the card of the transport) and rewrites their
    latest deal card to show it; paid, cancelled, closed and confirmed reach those they
    concern."""
    request = await uow.get(FreightRequest, event.request_id)
    deal = await uow.get(Deal, request.deal_id) if request else None
    if request is None or deal is None:
        return
    haulier = await journey.haulier_of(uow, request)
    state = event.state
    for party in (deal.buyer_id, deal.seller_id):  # their deal card shows the transport now
        await rewrite_card(uow, party, f"deal:{deal.id}")
    if state in UPDATES:
        await _update(uow, request, deal, state)
    elif state == FreightState.PAID and haulier is not None:
        await _tell(uow, haulier, request, lambda: _(
            "💰 The freight for transport #{id} is paid and held in escrow: load on the day "
            "you quoted, then post Loaded.", id=request.id), [[Action(
                DealIntent.FREIGHT_STEP, N_("📦 Loaded"), f"loaded:{request.id}")]])
    elif state == FreightState.CANCELLED:
        told = set((await uow.session.execute(select(FreightInvite.haulier_id).where(
            FreightInvite.request_id == request.id))).scalars())
        for party in sorted(told | {deal.buyer_id, deal.seller_id}):
            await _tell(uow, party, request, lambda: _("Transport #{id} for deal #{deal} was cancelled "
                                               "before loading.", id=request.id,
                                               deal=deal.id), [])
    elif state == FreightState.CLOSED:
        await _tell(uow, request.asked_by, request, lambda: _(
            "Transport #{id} closed: its loading window opened with no quote accepted.",
            id=request.id), [])
    elif state == FreightState.COMPLETED and haulier is not None:
        await _tell(uow, haulier, request, lambda: _(
            "✅ The delivery of transport #{id} was confirmed: the freight is released to you.",
            id=request.id), [])


async def _update(uow: UnitOfWork, request: FreightRequest, deal: Deal, state: str) -> None:
    await recipients(uow, {deal.buyer_id, deal.seller_id})
    for party in (deal.buyer_id, deal.seller_id):
        async with addressed_to(uow, party):
            facts = await view.facts(uow, request, party)
            buttons = [[Action(DealIntent.FREIGHT_STEP, N_("✅ Confirm delivery"),
                               f"confirm:{request.id}")]] \
                if state == FreightState.DELIVERED and party == deal.buyer_id else []
            await notify(uow, party, update_text(facts, UPDATE_OF[state]),
                         buttons=[*buttons, [_view(request.id)]],
                         attachment=cmr_ref(request.id) if state == FreightState.DELIVERED
                         else None)


async def _tell(uow: UnitOfWork, account_id: int, request: FreightRequest,
                say: Callable[[], str], buttons: list[list[Action]]) -> None:
    async with addressed_to(uow, account_id):  # the words in the reader's language
        await notify(uow, account_id, say(), buttons=[*buttons, [_view(request.id)]])


async def on_deal_moved(uow: UnitOfWork, event: DealMoved) -> None:
    """In the deal's transaction: its delivery confirmed releases a delivered transport; the
    deal ended before its goods were loaded cancels its transport (a paid freight refunded)."""
    if event.target in journey.CONFIRMED:
        await journey.on_deal_confirmed(uow, event.deal_id)
    if event.target in journey.ENDED_UNSHIPPED:
        await journey.on_deal_ended(uow, event.deal_id)
