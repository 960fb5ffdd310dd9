"""Notices of what the deal and offer timers did: an offer that expired unanswered (both parties
hear), a dispute still undecided at its deadline (every admin hears, again each day). Event
handlers registered in config.event_wiring, writing to the outbox in the emitting transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from core.accounts.tables import Account
from core.actions import Action, Intent
from core.catalog.tables import Listing
from core.deals.events import DealMoved, OfferExpired
from core.deals.tables import Deal, Dispute, Offer
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify, recipients
from core.operators.roles import admin_ids
from core.process.deals import BUYER
from core.storage.uow import UnitOfWork


def local_time(moment: datetime, zone_name: str | None) -> str:
    """A moment as a person reads it in their own zone: “Mon 24 Nov, 14:00 (Europe/Riga)”."""
    try:
        zone = ZoneInfo(zone_name) if zone_name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone, zone_name = UTC, "UTC"
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({zone_name or 'UTC'})"


async def when_for(uow: UnitOfWork, account_id: int, moment: datetime) -> str:
    """`moment` in this account's time zone."""
    account = await uow.session.get(Account, account_id)
    return local_time(moment, account.timezone if account is not None else None)


def age(delta: timedelta) -> str:
    """How long something has waited, in days and hours (“3 days”, “1 day 5 hours”)."""
    days, hours = delta.days, delta.seconds // 3600
    parts = [f"{n} {unit}{'' if n == 1 else 's'}"
             for n, unit in ((days, "day"), (hours, "hour")) if n]
    return " ".join(parts) or "less than an hour"


async def offer_summary(uow: UnitOfWork, offer: Offer) -> str:
    """“120 t of “ENplus A1 pellets” at €220.00 per t”."""
    listing = await uow.session.get(Listing, offer.listing_id)
    title, unit = (listing.title, listing.unit) if listing else ("a listing", "unit")
    quantity = (Decimal(offer.quantity_milli) / 1000).normalize()
    price = Money(offer.price_minor, offer.currency)
    return f"{quantity:f} {unit} of “{title}” at {price} per {unit}"


async def offer_expired(uow: UnitOfWork, event: OfferExpired) -> None:
    """Both parties hear that the offer closed unanswered; either may start again."""
    offer = await uow.session.get(Offer, event.offer_id)
    if offer is None:
        return
    await recipients(uow, {event.buyer_id, event.seller_id})
    maker = offer.buyer_id if offer.made_by == BUYER else offer.seller_id
    button = [[Action(Intent.VIEW_OFFER, "View the offer", str(offer.id))]]
    for party in (event.buyer_id, event.seller_id):
        async with addressed_to(uow, party):
            what = await offer_summary(uow, offer)
        text = (f"⌛ Your offer of {what} expired: it was not answered in time." if party == maker
                else f"⌛ The offer of {what} expired: you did not answer it in time.")
        await notify(uow, party, text, buttons=button)


async def on_deal_moved(uow: UnitOfWork, event: DealMoved) -> None:
    """The notices of the system's own deal steps that concern admins."""
    if event.transition == "escalate-dispute":
        await dispute_escalated(uow, event.deal_id)


async def dispute_escalated(uow: UnitOfWork, deal_id: int) -> None:
    """Every admin hears of a dispute still undecided: the deal, the reason and its age."""
    deal = await uow.session.get(Deal, deal_id)
    if deal is None:
        return
    dispute = (await uow.session.execute(select(Dispute).where(
        Dispute.deal_id == deal_id))).scalar_one_or_none()
    since = dispute.created_at if dispute is not None else deal.updated_at
    reason = f"“{dispute.reason}”" if dispute is not None else "no reason was recorded"
    button = (Action(Intent.DECIDE_DISPUTE, "Decide the dispute", str(dispute.id))
              if dispute is not None else Action(Intent.VIEW_DEAL, "View the deal", str(deal_id)))
    text = (f"🛡 The dispute over deal #{deal_id} is still undecided after "
            f"{age(uow.clock.now() - since)}: {reason}. The buyer and the seller are waiting.")
    for admin_id in await admin_ids(uow):
        await notify(uow, admin_id, text, buttons=[[button]])
