"""Listing statuses and their transitions, each guarded in the database (conditional update)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from core.actions import Action
from core.catalog import alerts, rules
from core.catalog.events import (
    ListingApproved,
    ListingAwaitsReview,
    ListingChanged,
    ListingPublished,
    ListingRejected,
)
from core.catalog.intents import ListingIntent
from core.catalog.listing_card import ListingCard, card_of, listing_card
from core.catalog.listings import own_listing
from core.catalog.rules import ListingState
from core.catalog.sql_stock import stock_of
from core.catalog.stock import Stock
from core.catalog.tables import Listing
from core.errors import Conflict, InvalidField, NotAllowed, NotFound
from core.i18n import N_, _, present
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork

STATUS_LABELS = {
    "draft": N_("Draft"), "pending_review": N_("Pending review"), "published": N_("Published"),
    "paused": N_("Paused"), "sold_out": N_("Sold out"), "expired": N_("Expired"), "closed": N_("Closed"),
}


@dataclass(frozen=True)
class Waiting:
    """A listing in the moderation queue, as its line shows it."""

    id: int
    title: str
    city: str
    updated_at: datetime  # waiting since: submitted, or changed while live


# action: (statuses it may start from, status it leads to)
TRANSITIONS = {
    "pause": (("published",), "paused"),
    "resume": (("paused",), "published"),
    "sold": (("published", "paused"), "sold_out"),
    "renew": (("published", "paused", "expired", "sold_out"), "published"),
    "close": (("draft", "pending_review", "published", "paused", "sold_out", "expired"), "closed"),
}


async def _move(uow: UnitOfWork | Stock, listing_id: int, sources: tuple[str, ...], target: str,
                **values: object) -> None:
    """UPDATE … WHERE status IN sources; exactly one row must change, else it moved under us."""
    stock = stock_of(uow)
    if not await stock.change(listing_id, sources, status=target, updated_at=stock.now(),
                              **values):
        raise Conflict(_("That listing changed in the meantime; please look at it again."))


async def _require_moderator(stock: Stock, actor_id: int | None) -> None:
    if not await stock.may(actor_id, "moderate"):
        raise NotAllowed(_("That is for administrators."))


async def submit(uow: UnitOfWork | Stock, listing_id: int, seller_id: int) -> str:
    """Publish a draft, or queue it for review when moderation is on; returns the new status."""
    stock = stock_of(uow)
    listing = await own_listing(stock, listing_id, seller_id)
    await _require_documents(stock, listing)
    rules.check_currency(listing.currency, await stock.currencies(seller_id))
    target = rules.submitted(stock.policy.listing_moderation)
    await _move(stock, listing_id, ("draft",), target, reject_reason=None)
    if target == "published":
        await _published(stock, listing_id)
    else:
        stock.emit(ListingAwaitsReview(listing_id))
    return target


async def _require_documents(stock: Stock, listing: Listing) -> None:
    """Each claim is proven: by a valid certificate on the seller's profile (its document is
    there), or else by a document on the listing."""
    if not listing.certifications:
        return  # nothing to prove: no need to look for documents
    held = {one.scheme for one in await stock.certified(listing.seller_id) if one.valid}
    unproven = [code for code in listing.certifications if code not in held]
    if unproven:
        rules.check_documents(unproven, has_document=await stock.has_document(listing.id))


async def _published(stock: Stock, listing_id: int) -> None:
    now = stock.now()
    listing = await stock.listing(listing_id, fresh=True)
    assert listing is not None
    expires = rules.expires_at(listing.valid_until, now)
    listing.published_at, listing.expires_at, listing.reminded_at = now, expires, None
    stock.emit(ListingPublished(listing_id))
    await alerts.on_published(stock, listing)


async def approve(uow: UnitOfWork | Stock, listing_id: int, actor_id: int | None
                  ) -> ListingCard:
    """A moderator lets a listing in; the seller is told. Returns the listing as it is now."""
    stock = stock_of(uow)
    await _require_moderator(stock, actor_id)
    await _move(stock, listing_id, ("pending_review",), "published")
    await _published(stock, listing_id)
    stock.emit(ListingApproved(listing_id))
    await stock.audit(actor_id, "listing-approved", f"listing:{listing_id}")
    return listing_card(await _get(stock, listing_id))


async def reject(uow: UnitOfWork | Stock, listing_id: int, reason: str, actor_id: int | None
                 ) -> ListingCard:
    """A moderator sends a listing back to draft with a reason the seller sees. Returns the
    listing as it is now."""
    stock = stock_of(uow)
    await _require_moderator(stock, actor_id)
    reason = reason.strip()
    if not rules.reason_fits(reason):
        raise InvalidField("reason", _("Give the seller a reason of 5 to 500 characters."))
    await _move(stock, listing_id, ("pending_review",), "draft", reject_reason=reason)
    stock.emit(ListingRejected(listing_id, reason))
    await stock.audit(actor_id, "listing-rejected", f"listing:{listing_id}", reason)
    return listing_card(await _get(stock, listing_id))


async def for_review(uow: UnitOfWork | Stock, listing_id: int, actor_id: int | None) -> Listing:
    """A listing as a moderator reviews it (any state but closed)."""
    stock = stock_of(uow)
    await _require_moderator(stock, actor_id)
    listing = await stock.listing(listing_id)
    if listing is None or listing.status == ListingState.CLOSED:
        raise NotFound(_("That listing is gone."))
    return listing


async def review_card(uow: UnitOfWork, listing_id: int, actor_id: int | None) -> ListingCard:
    """The whole card (files and seller) of a listing a moderator reviews (`for_review`)."""
    return await card_of(uow, await for_review(uow, listing_id, actor_id))


async def act(uow: UnitOfWork | Stock, listing_id: int, seller_id: int, action: str) -> str:
    """pause / resume / sold / renew / close, by the seller; returns the new status."""
    stock = stock_of(uow)
    listing = await own_listing(stock, listing_id, seller_id)
    sources, target = TRANSITIONS[action]
    now = stock.now()
    extra: dict[str, object] = {}
    if action == "resume":
        rules.check_resume(listing.expires_at, now)
    if action == "renew":
        until = rules.renewed_until(now, stock.policy.listing_days)
        extra = {"valid_until": until, "expires_at": until,
                 "reminded_at": None, "published_at": now}
    was = listing.status  # read before the move, which updates the listing it holds
    await _move(stock, listing_id, sources, target, **extra)
    if rules.republished(action, was):
        stock.emit(ListingPublished(listing_id))
    else:
        stock.emit(ListingChanged(listing_id, target))
    return target


async def expire_due(uow: UnitOfWork) -> list[int]:
    """Expire listings whose time is up and tell their sellers; returns their ids."""
    now = uow.clock.now()
    due = list((await uow.session.execute(select(Listing).where(
        Listing.status.in_((ListingState.PUBLISHED, ListingState.PAUSED)),
        Listing.expires_at <= now))).scalars())
    done = []
    for listing in due:
        try:
            async with uow.nested():
                await _move(uow, listing.id, ("published", "paused"), "expired")
        except Conflict:
            continue
        uow.emit(ListingChanged(listing.id, "expired"))
        async with addressed_to(uow, listing.seller_id):
            await notify(uow, listing.seller_id,
                         _("⌛ Your listing “{title}” has expired.", title=listing.title),
                         buttons=[[_renew_button(listing.id)]])
        done.append(listing.id)
    return done


async def remind_due(uow: UnitOfWork) -> list[int]:
    """Remind sellers a few days before a listing expires (once per listing)."""
    now = uow.clock.now()
    stmt = select(Listing).where(Listing.status == ListingState.PUBLISHED, Listing.reminded_at.is_(None),
                                 Listing.expires_at <= rules.reminder_from(now), Listing.expires_at > now)
    reminded = []
    for listing in (await uow.session.execute(stmt)).scalars():
        changed = await uow.session.execute(
            update(Listing).where(Listing.id == listing.id, Listing.reminded_at.is_(None))
            .values(reminded_at=now))
        if changed.rowcount == 1:  # type: ignore[attr-defined]
            when = _day(listing.expires_at)
            async with addressed_to(uow, listing.seller_id):
                await notify(uow, listing.seller_id, _("⏰ Your listing “{title}” expires on "
                                                       "{when}. Renew it to keep it in search.",
                                                       title=listing.title, when=when),
                             buttons=[[_renew_button(listing.id)]])
            reminded.append(listing.id)
    return reminded


def _renew_button(listing_id: int) -> Action:
    return Action(ListingIntent.RENEW_LISTING, _("Renew for 30 days"), str(listing_id))


def _day(moment: datetime | None) -> str:
    return present.day(moment) if moment else "—"


async def _get(stock: Stock, listing_id: int) -> Listing:
    listing = await stock.listing(listing_id, fresh=True)
    if listing is None:
        raise NotFound(_("That listing doesn't exist any more."))
    return listing


async def pending(uow: UnitOfWork | Stock, actor_id: int | None) -> list[Waiting]:
    """Listings waiting for a moderator, oldest first (for moderators and admins only)."""
    stock = stock_of(uow)
    await _require_moderator(stock, actor_id)
    return [Waiting(row.id, row.title, row.city, row.updated_at)
            for row in await stock.in_review()]
