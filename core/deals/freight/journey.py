"""A booked transport's journey: its freight paid into escrow, the haulier's updates (loaded,
on the way with a position or an ETA, delivered with the CMR photo — which ship and deliver
the deal as the seller's own steps would), cancelled before loading (a paid freight is
refunded), released to the haulier once the delivery is confirmed, closed unbooked when its
window opens. Each move is a guarded update of the request's state."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from core.accounts.tables import Account
from core.deals import deals
from core.deals.freight import rules
from core.deals.freight.events import FreightMoved, FreightSettled
from core.deals.freight.rules import FreightState, QuoteState
from core.deals.freight.service import get, reference, request_of
from core.deals.freight.tables import FreightQuote, FreightRequest, FreightUpdate
from core.deals.rules import ShipmentStatus
from core.deals.tables import Deal, Shipment
from core.errors import Conflict, NotAllowed
from core.i18n import _
from core.process.deals import DealState
from core.storage.uow import UnitOfWork

# The deal's states in which its goods have left (the seller's ship step is not taken again).
SHIPPED_OR_LATER = (DealState.SHIPPED, DealState.DELIVERED, DealState.COMPLETED,
                    DealState.CLOSED, DealState.ADJUSTMENT_PROPOSED, DealState.DISPUTED)
# The deal's states that settle a delivered transport: its freight is released (the haulier
# carried the goods, whatever the deal's own outcome).
CONFIRMED = (DealState.COMPLETED, DealState.CLOSED, DealState.REFUNDED)
# The deal's states that end it before its goods left: a transport not yet loaded is cancelled.
ENDED_UNSHIPPED = (DealState.CANCELLED, DealState.REFUNDED)


async def _move(uow: UnitOfWork, request_id: int, sources: tuple[str, ...], target: str,
                **values: object) -> bool:
    """Move the request from one of `sources` to `target`: one row or nothing."""
    changed = await uow.session.execute(update(FreightRequest).where(
        FreightRequest.id == request_id, FreightRequest.status.in_(sources)).values(
        status=target, updated_at=uow.clock.now(), **values))
    return bool(changed.rowcount == 1)  # type: ignore[attr-defined]


async def on_paid(uow: UnitOfWork, escrow_reference: str) -> bool:
    """In the payment's transaction: a booked transport's freight is held."""
    request_id = request_of(escrow_reference)
    if request_id is None:
        return False
    if await _move(uow, request_id, (FreightState.BOOKED,), FreightState.PAID):
        uow.emit(FreightMoved(request_id, FreightState.PAID))
        return True
    return False


async def haulier_of(uow: UnitOfWork, request: FreightRequest) -> int | None:
    """The haulier whose quote was accepted."""
    if request.quote_id is None:
        return None
    found = await uow.get(FreightQuote, request.quote_id)
    return found.haulier_id if found is not None else None


async def post(uow: UnitOfWork, request_id: int, haulier_id: int, kind: str,
               position: str = "", eta: date | None = None, cmr_path: str | None = None,
               cmr_mime: str | None = None) -> None:
    """The booked haulier's update: loaded (the deal's goods ship), on the way (a position or
    an ETA), delivered with the CMR photo (the deal is delivered); both parties are told."""
    request = await get(uow, request_id, haulier_id)
    if await haulier_of(uow, request) != haulier_id:
        raise NotAllowed(_("Only the booked haulier posts updates."))
    target = rules.next_state(request.status, kind, cmr_path is not None)
    if kind == "on_the_way" and not position.strip() and eta is None:
        raise Conflict(_("Say where the load is or when it arrives."))
    deal = await uow.get(Deal, request.deal_id)
    assert deal is not None
    if kind == "loaded" and deal.status not in (DealState.TO_SHIP, *SHIPPED_OR_LATER):
        raise Conflict(_("The goods are not paid yet: load once the deal is paid."))
    values: dict[str, object] = {}
    if kind == "on_the_way":
        values = {"position": position.strip()[:120] or None, "eta": eta or request.eta}
    elif kind == "delivered":
        values = {"cmr_path": cmr_path, "cmr_mime": cmr_mime}
    if not await _move(uow, request_id, (request.status,), target, **values):
        raise Conflict(_("That transport moved on a moment ago; look at it again."))
    uow.session.add(FreightUpdate(request_id=request_id, kind=kind,
                                  position=position.strip()[:120] or None, eta=eta,
                                  at=uow.clock.now()))
    await _ship_deal(uow, deal, kind, haulier_id)
    uow.emit(FreightMoved(request_id, target))


async def _ship_deal(uow: UnitOfWork, deal: Deal, kind: str, haulier_id: int) -> None:
    """Loaded ships the deal and delivered delivers it, as the seller's own steps would (taken
    for the seller, skipped when the seller already took them)."""
    shipment = await uow.get(Shipment, deal.id)
    now = uow.clock.now()
    if kind == "loaded" and deal.status == DealState.TO_SHIP:
        await deals.take(uow, deal.id, "mark-shipped", deal.seller_id)
        name = await uow.session.scalar(select(Account.display_name).where(Account.id == haulier_id))
        if shipment is None:
            uow.session.add(Shipment(deal_id=deal.id, carrier=(name or "?")[:80],
                                     status=ShipmentStatus.DISPATCHED, tracking=None,
                                     expected_at=None, updated_at=now))
    elif kind == "on_the_way" and shipment is not None:
        shipment.status, shipment.updated_at = ShipmentStatus.IN_TRANSIT, now
    elif kind == "delivered":
        if deal.status == DealState.SHIPPED:
            await deals.take(uow, deal.id, "mark-delivered", deal.seller_id)
        if shipment is not None:
            shipment.status, shipment.updated_at = ShipmentStatus.DELIVERED, now


async def cancel(uow: UnitOfWork, request_id: int, actor_id: int) -> None:
    """The party who asked cancels the transport before loading: open quotes lose, and a
    freight paid is refunded (one still unpaid is closed)."""
    request = await get(uow, request_id, actor_id)
    if request.asked_by != actor_id:
        raise NotAllowed(_("Only the party who asked for transport cancels it."))
    was = request.status
    if was not in rules.CANCELLABLE or not await _move(
            uow, request_id, rules.CANCELLABLE, FreightState.CANCELLED):
        raise Conflict(_("The goods are loaded: the transport can no longer be cancelled."))
    await _lose_open(uow, request_id)
    if was != FreightState.OPEN:
        uow.emit(FreightSettled(request_id, reference(request_id), "refund"))
    uow.emit(FreightMoved(request_id, FreightState.CANCELLED))


async def _lose_open(uow: UnitOfWork, request_id: int) -> None:
    await uow.session.execute(update(FreightQuote).where(
        FreightQuote.request_id == request_id, FreightQuote.status == QuoteState.OPEN).values(
        status=QuoteState.LOST, updated_at=uow.clock.now()))


async def confirm(uow: UnitOfWork, request_id: int, actor_id: int) -> None:
    """The receiver (the deal's buyer) confirms the delivery the haulier posted: the freight
    is released to the haulier."""
    request = await get(uow, request_id, actor_id)
    deal = await uow.get(Deal, request.deal_id)
    if deal is None or deal.buyer_id != actor_id:
        raise NotAllowed(_("Only the receiver confirms the delivery."))
    await _complete(uow, request_id)


async def _complete(uow: UnitOfWork, request_id: int) -> None:
    if not await _move(uow, request_id, (FreightState.DELIVERED,), FreightState.COMPLETED):
        raise Conflict(_("The haulier hasn't posted the delivery yet."))
    uow.emit(FreightSettled(request_id, reference(request_id), "release"))
    uow.emit(FreightMoved(request_id, FreightState.COMPLETED))


async def on_deal_confirmed(uow: UnitOfWork, deal_id: int) -> None:
    """In the deal's transaction: the deal's delivery confirmed releases a delivered
    transport's freight."""
    found = (await uow.session.execute(select(FreightRequest.id).where(
        FreightRequest.deal_id == deal_id,
        FreightRequest.status == FreightState.DELIVERED))).scalar()
    if found is not None and await _move(uow, found, (FreightState.DELIVERED,),
                                         FreightState.COMPLETED):
        uow.emit(FreightSettled(found, reference(found), "release"))
        uow.emit(FreightMoved(found, FreightState.COMPLETED))


async def on_deal_ended(uow: UnitOfWork, deal_id: int) -> None:
    """In the deal's transaction: a deal cancelled (or refunded) before its goods were loaded
    cancels its transport, and a freight paid is refunded."""
    found = (await uow.session.execute(select(FreightRequest.id, FreightRequest.status).where(
        FreightRequest.deal_id == deal_id,
        FreightRequest.status.in_(rules.CANCELLABLE)))).first()
    if found is None:
        return
    request_id, was = found
    if await _move(uow, request_id, rules.CANCELLABLE, FreightState.CANCELLED):
        await _lose_open(uow, request_id)
        if was != FreightState.OPEN:
            uow.emit(FreightSettled(request_id, reference(request_id), "refund"))
        uow.emit(FreightMoved(request_id, FreightState.CANCELLED))


async def close_due(uow: UnitOfWork) -> list[int]:
    """Requests whose window opened with no quote accepted close (a periodic job); their open
    quotes lose. Returns their ids."""
    now = uow.clock.now()
    due = list((await uow.session.execute(select(FreightRequest.id).where(
        FreightRequest.status == FreightState.OPEN, FreightRequest.closes_at <= now)
        .order_by(FreightRequest.id))).scalars())
    closed = []
    for request_id in due:
        if await _move(uow, request_id, (FreightState.OPEN,), FreightState.CLOSED):
            await _lose_open(uow, request_id)
            uow.emit(FreightMoved(request_id, FreightState.CLOSED))
            closed.append(request_id)
    return closed
