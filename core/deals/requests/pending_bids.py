"""A bid typed before its deposit was paid: kept with the deposit and placed the moment the
deposit is paid; if it no longer fits by then (the auction moved on, the ceiling), the seller
hears why and bids again from the button."""

from __future__ import annotations

from core.actions import Action
from core.catalog.taxonomy import UNITS
from core.deals.intents import DealIntent
from core.deals.requests import auction_rules, auctions, bid_deposits
from core.deals.requests import service as supply_requests
from core.errors import DomainError
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork


async def deposit_due(uow: UnitOfWork, request_id: int, seller_id: int) -> Money | None:
    """The deposit this seller must pay before bidding on the request, or None."""
    request = await supply_requests.get(uow, request_id, seller_id)
    return await bid_deposits.due_from(uow, request, seller_id)


async def bid_once_paid(uow: UnitOfWork, request_id: int, seller_id: int, price: Money) -> Money:
    """Keep `price` as the seller's bid and ask the deposit (its payment page follows); the
    bid is placed as soon as the deposit is paid. Returns the deposit."""
    return await auctions.ask_deposit(uow, request_id, seller_id, price)


async def deposit_paid(uow: UnitOfWork, ref: str) -> None:
    """In the payment's transaction: hold the deposit, then place the bid typed before it."""
    pending = await bid_deposits.paid(uow, ref)
    if pending is None:
        return
    request, seller_id, price = pending
    request_id, unit, lot = request.id, request.unit, request.side == auction_rules.SELLER
    bid = [[Action(DealIntent.BID_REQUEST, N_("🔨 Bid"), str(request_id))]]
    async with addressed_to(uow, seller_id):
        words = _(UNITS.get(unit, unit))
        savepoint, emitted = await uow.savepoint(), len(uow.events)
        try:
            await auctions.bid(uow, request_id, seller_id, price)
        except DomainError as exc:  # the bid alone is undone; the deposit stays held
            await savepoint.rollback()
            del uow.events[emitted:]
            facts = {"id": request_id, "price": price, "unit": words, "reason": str(exc)}
            await notify(uow, seller_id, _(
                "🔒 Your deposit on lot #{id} is paid, but your price of {price} per {unit} "
                "could not be placed: {reason} Bid again.", **facts) if lot else _(
                "🔒 Your deposit on request #{id} is paid, but your price of {price} per {unit} "
                "could not be placed: {reason} Bid again.", **facts),
                buttons=bid, about=(f"request:{request_id}",))
            return
        await savepoint.commit()
        await notify(uow, seller_id, _(
            "🔒 Your deposit on lot #{id} is paid and your bid of {price} per {unit} is in.",
            id=request_id, price=price, unit=words) if lot else _(
            "🔒 Your deposit on request #{id} is paid and your bid of {price} per {unit} is in.",
            id=request_id, price=price, unit=words), buttons=bid,
            about=(f"request:{request_id}",))
