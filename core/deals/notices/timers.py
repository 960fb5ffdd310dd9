"""Notices of what the deal and offer timers did: an offer that expired unanswered (both parties
hear), a dispute still undecided at its deadline (every admin hears, again each day). Text and
buttons builders, named by the transitions of core.process.deals (core.deals.notices.book)."""

from __future__ import annotations

from datetime import datetime, timedelta

from core import clock
from core.actions import Action, ActionRows
from core.catalog.tables import Listing
from core.deals.folder import folder_of
from core.deals.intents import DealIntent
from core.deals.tables import Dispute, Offer
from core.i18n import N_, _, n_, present
from core.money.model import Money
from core.notifications.outbox import account_of, addressed_to
from core.process.deals import MAKER
from core.process.notices import Moved
from core.storage.uow import UnitOfWork


def local_time(moment: datetime, zone_name: str | None) -> str:
    """A moment as a person reads it in their own zone and language: “Mon 4 Nov, 14:00
    (Europe/Riga)”."""
    return clock.local_time(moment, zone_name)


async def when_for(uow: UnitOfWork, account_id: int, moment: datetime) -> str:
    """`moment` in this account's time zone (as the notices read it: core.notifications)."""
    account = await account_of(uow, account_id)
    return local_time(moment, account.timezone if account is not None else None)


def age(delta: timedelta) -> str:
    """How long something has waited, in days and hours (“3 days”, “1 day 5 hours”)."""
    days, hours = delta.days, delta.seconds // 3600
    parts = ([n_("{n} day", "{n} days", days)] if days else []) + \
        ([n_("{n} hour", "{n} hours", hours)] if hours else [])
    return " ".join(parts) or _("less than an hour")


async def offer_summary(uow: UnitOfWork, offer: Offer, price: str | None = None) -> str:
    """“120 t of “ENplus A1 pellets” at €220.00 per t” (the price as given, if it is)."""
    listing = await uow.get(Listing, offer.listing_id)
    title, unit = (listing.title, present.unit_word(listing.unit)) if listing else \
        (_("a listing"), _("unit"))
    price = price or str(Money(offer.price_minor, offer.currency))
    return _("{quantity} {unit} of “{title}” at {price} per {unit}",
             quantity=present.number(present.thousandths(offer.quantity_milli)), unit=unit,
             title=title, price=price)


async def offer_expired(uow: UnitOfWork, moved: Moved, role: str, party: int) -> str:
    """To each party: the offer closed unanswered (the maker's own, or the one they did not
    answer); either may start again."""
    offer = moved.subject
    async with addressed_to(uow, party):
        what = await offer_summary(uow, offer)
        return (_("⌛ Your offer of {what} expired: it was not answered in time.", what=what)
                if party == moved.parties[MAKER]
                else _("⌛ The offer of {what} expired: you did not answer it in time.", what=what))


async def view_offer(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return [[Action(DealIntent.VIEW_OFFER, N_("View the offer"), str(moved.subject.id))]]


async def _dispute(uow: UnitOfWork, deal_id: int) -> Dispute | None:
    return await folder_of(uow).dispute_of(deal_id)  # one a deal


async def dispute_escalated(uow: UnitOfWork, moved: Moved, role: str, admin_id: int) -> str:
    """To every admin: a dispute still undecided, with the deal, the reason and its age."""
    deal = moved.subject
    dispute = await _dispute(uow, deal.id)
    since = dispute.created_at if dispute is not None else deal.updated_at
    async with addressed_to(uow, admin_id):
        reason = f"“{dispute.reason}”" if dispute is not None else _("no reason was recorded")
        return _("🛡 The dispute over deal #{id} is still undecided after {age}: {reason}. The "
                 "buyer and the seller are waiting.", id=deal.id, age=age(uow.clock.now() - since),
                 reason=reason)


async def decide_dispute(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    """Decide the dispute (or, when none was recorded, view the deal)."""
    dispute = await _dispute(uow, moved.subject.id)
    return [[Action(DealIntent.DECIDE_DISPUTE, N_("Decide the dispute"), str(dispute.id))
             if dispute is not None else Action(DealIntent.VIEW_DEAL, N_("View the deal"),
                                                str(moved.subject.id))]]
