"""Reminders before a deadline, from the declared `Timer.remind` offsets: the party who must act
hears what is due and by when, in their own time zone, once per timer and offset (recorded in
`process_reminders`, so two workers or two runs never send one twice)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from core.accounts.tables import Account
from core.actions import Action
from core.catalog.tables import Listing
from core.deals import deals
from core.deals.intents import DealIntent
from core.deals.notices.timers import offer_summary, when_for
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal, Offer
from core.deals.terms import service as deal_terms
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify
from core.notifications.quiet_hours import quiet_until
from core.process import timers
from core.process.deals import BUYER, OFFER_PROCESS, PROCESSES
from core.process.model import Process
from core.process.tables import ProcessTimer
from core.storage.uow import UnitOfWork

# How far ahead of a deadline any reminder goes: the timers worth looking at.
HORIZON = max((o for p in PROCESSES.values() for t in p.timers for o in t.remind),
              default=timedelta(0))


@dataclass(frozen=True)
class Reminder:
    """One person's reminder: its text, given the deadline as they read it (written in their
    language when it is sent), and one button."""

    account_id: int
    text: Callable[[str], Awaitable[str]]
    action: Action


async def remind(uow: UnitOfWork, timer_id: int) -> int:
    """Send the reminders now due before this timer's deadline; returns how many went."""
    timer = await uow.get(ProcessTimer, timer_id, populate_existing=True)
    now = uow.clock.now()
    if timer is None or timer.done_at is not None or timer.due_at <= now:
        return 0
    passed = [o for o in _offsets(timer) if timer.due_at - o <= now]
    fresh = [o for o in passed if await timers.mark_reminded(uow, timer.id, o)]
    if not fresh:
        return 0  # not yet, or sent before: one reminder however many offsets passed at once
    wanted = await _who(uow, timer)
    for reminder in wanted:
        when = await when_for(uow, reminder.account_id, timer.due_at)
        urgent = await _held_past(uow, reminder.account_id, timer.due_at)
        async with addressed_to(uow, reminder.account_id):
            await notify(uow, reminder.account_id, await reminder.text(when),
                         buttons=[[reminder.action]], urgent=urgent)
    return len(wanted)


async def _held_past(uow: UnitOfWork, account_id: int, deadline: datetime) -> bool:
    """Whether the person's quiet hours would hold a reminder until after its deadline (then
    it goes at once)."""
    account = await uow.get(Account, account_id)
    if account is None:
        return False
    until = quiet_until(uow.clock.now(), account.quiet_start, account.quiet_end,
                        account.timezone or "UTC")
    return until is not None and until >= deadline


def _offsets(timer: ProcessTimer) -> tuple[timedelta, ...]:
    """The declared reminder offsets of this timer (none if it is no longer declared)."""
    process: Process | None = PROCESSES.get(timer.process)
    for declared in process.timers_in(timer.state) if process else []:
        if declared.fires == timer.fires:
            return declared.remind
    return ()


async def _who(uow: UnitOfWork, timer: ProcessTimer) -> list[Reminder]:
    """Who hears what, by process and state; nobody when the subject moved on."""
    if timer.process == OFFER_PROCESS.name:
        offer = await uow.get(Offer, timer.subject_id)
        return await _offer_open(uow, offer) if offer and offer.status == timer.state else []
    deal = await uow.get(Deal, timer.subject_id)
    write = _DEAL.get(timer.state)
    if deal is None or deal.status != timer.state or write is None:
        return []
    return await write(uow, deal)


async def _offer_open(uow: UnitOfWork, offer: Offer) -> list[Reminder]:
    """The party who must answer (not the one who made it)."""
    answerer = offer.seller_id if offer.made_by == BUYER else offer.buyer_id
    price = str(Money(offer.price_minor, offer.currency))  # (amounts read as they always have)

    async def text(when: str) -> str:
        return _("⏳ An offer of {what} waits for your answer. Answer by {when}, or it expires.",
                 what=await offer_summary(uow, offer, price), when=when)

    return [Reminder(answerer, text, Action(DealIntent.VIEW_OFFER, N_("View the offer"),
                                            str(offer.id)))]


async def _agreed(uow: UnitOfWork, deal: Deal) -> list[Reminder]:
    """Both parties, except one who already accepted the current terms."""
    version = await deal_terms.current(uow, deal.id)
    done = {deal.buyer_id: version and version.buyer_accepted_at,
            deal.seller_id: version and version.seller_accepted_at}

    async def text(when: str) -> str:
        return _("📝 Deal #{id} ({title}): accept the terms by {when}, or it is cancelled.",
                 id=deal.id, title=await _title(uow, deal), when=when)

    return [Reminder(party, text, _view(deal)) for party, accepted in done.items() if not accepted]


async def _awaiting_payment(uow: UnitOfWork, deal: Deal) -> list[Reminder]:
    total = str(deals.payable(deal))  # with the seller's VAT, if any

    async def text(when: str) -> str:
        return _("💳 Deal #{id} ({title}): pay {total} by {when}, or the deal is cancelled.",
                 id=deal.id, title=await _title(uow, deal), total=total, when=when)

    return [Reminder(deal.buyer_id, text, _view(deal))]


async def _to_ship(uow: UnitOfWork, deal: Deal) -> list[Reminder]:
    async def text(when: str) -> str:
        if deal.payment_days and deal.terms_paid_at is None:  # on terms, unpaid: no refund
            return _("🚚 Deal #{id} ({title}): ship by {when}. If it has not shipped by then, "
                     "the deal is cancelled.", id=deal.id, title=await _title(uow, deal),
                     when=when)
        return _("🚚 Deal #{id} ({title}): ship by {when}. If it has not shipped by then, the "
                 "deal is cancelled and the buyer refunded.", id=deal.id,
                 title=await _title(uow, deal), when=when)

    return [Reminder(deal.seller_id, text, _view(deal))]


async def _delivered(uow: UnitOfWork, deal: Deal) -> list[Reminder]:
    async def text(when: str) -> str:
        return _("📦 Deal #{id} ({title}): confirm the delivery or report the measured quality. "
                 "If you say nothing, delivery is confirmed on {when}.", id=deal.id,
                 title=await _title(uow, deal), when=when)

    return [Reminder(deal.buyer_id, text, _view(deal))]


async def _completed(uow: UnitOfWork, deal: Deal) -> list[Reminder]:
    """Whichever party has not rated the other yet."""
    rated = set((await uow.session.execute(select(Rating.rater_id).where(
        Rating.deal_id == deal.id))).scalars())
    # (the buyer rates the seller, the seller the buyer)
    others = {deal.buyer_id: (N_("⭐ Deal #{id} ({title}): rate the seller by {when}; both ratings "
                                 "are shown then."), N_("Rate the seller")),
              deal.seller_id: (N_("⭐ Deal #{id} ({title}): rate the buyer by {when}; both ratings "
                                  "are shown then."), N_("Rate the buyer"))}

    def text(said: str) -> Callable[[str], Awaitable[str]]:
        async def written(when: str) -> str:
            return _(said, id=deal.id, title=await _title(uow, deal), when=when)
        return written

    return [Reminder(party, text(said), Action(DealIntent.RATE_DEAL, label, str(deal.id)))
            for party, (said, label) in others.items() if party not in rated]


def _view(deal: Deal) -> Action:
    return Action(DealIntent.VIEW_DEAL, N_("View the deal"), str(deal.id))


async def _title(uow: UnitOfWork, deal: Deal) -> str:
    listing = await uow.get(Listing, deal.listing_id)
    return f"“{listing.title}”" if listing is not None else _("a listing")


_DEAL: dict[str, Callable[[UnitOfWork, Deal], Awaitable[list[Reminder]]]] = {
    "agreed": _agreed, "awaiting_payment": _awaiting_payment, "to_ship": _to_ship,
    "delivered": _delivered, "completed": _completed}
