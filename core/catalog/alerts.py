"""Saved searches and alerts: matched when a listing is published, sent at once or daily."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.accounts.tables import Account
from core.actions import Action
from core.catalog import saved_search_rules
from core.catalog.alert_notices import alert_buttons
from core.catalog.documents import doc_of
from core.catalog.intents import ListingIntent
from core.catalog.query import SearchQuery
from core.catalog.rules import ListingState
from core.catalog.saved_search_rules import DIGEST_HOUR
from core.catalog.search_index import SearchIndex
from core.catalog.sql_stock import stock_of
from core.catalog.stock import Stock
from core.catalog.tables import AlertHit, Listing, SavedSearch
from core.errors import Conflict, NotFound
from core.i18n import _, n_
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Saved:
    """One of someone's saved searches, as they manage it."""

    id: int
    query: SearchQuery
    mode: str  # instant | digest


def _saved(row: SavedSearch) -> Saved:
    return Saved(row.id, SearchQuery.from_dict(row.query), row.mode)


async def save_search(uow: UnitOfWork | Stock, account_id: int, query: SearchQuery, mode: str
                      ) -> Saved:
    """Keep a search for alerts (instant or daily digest)."""
    stock = stock_of(uow)
    saved_search_rules.check_may_save(len(await stock.searches(account_id)))
    row = SavedSearch(account_id=account_id, query=query.as_dict(), mode=mode, active=True,
                      created_at=stock.now())
    await stock.put_search(row)
    return _saved(row)


async def saved_searches(uow: UnitOfWork | Stock, account_id: int) -> list[Saved]:
    return [_saved(row) for row in await stock_of(uow).searches(account_id)]


async def own_search(uow: UnitOfWork | Stock, account_id: int, saved_id: int) -> Saved:
    """One of the account's active saved searches; NotFound for anyone else's."""
    return _saved(await _own_row(stock_of(uow), account_id, saved_id))


async def _own_row(stock: Stock, account_id: int, saved_id: int) -> SavedSearch:
    row = await stock.saved(saved_id)
    if row is None or row.account_id != account_id or not row.active:
        raise NotFound(_("That saved search doesn't exist any more."))
    return row


async def unsubscribe(uow: UnitOfWork | Stock, account_id: int, saved_id: int) -> Saved:
    """Stop a saved search's alerts (from the button on any alert)."""
    row = await stock_of(uow).saved(saved_id)
    if row is None or row.account_id != account_id:
        raise NotFound(_("That saved search doesn't exist any more."))
    row.active = False
    return _saved(row)


async def set_mode(uow: UnitOfWork | Stock, account_id: int, saved_id: int, mode: str) -> Saved:
    """Alerts at once (“instant”) or in the daily digest."""
    saved_search_rules.check_alert_mode(mode)
    row = await _own_row(stock_of(uow), account_id, saved_id)
    row.mode = mode
    return _saved(row)


async def on_published(uow: UnitOfWork | Stock, listing: Listing) -> int:
    """Record a hit for every saved search the new listing matches (not the seller's own);
    instant ones are alerted with their hit. A search hears of a listing once: its hit is
    unique, so an edited or renewed listing alerts nobody twice."""
    stock = stock_of(uow)
    probe = SearchIndex()
    held = await stock.certified(listing.seller_id) if listing.certifications else ()
    probe.add(doc_of(listing, await stock.rating(listing.seller_id), held))
    hits = 0
    for saved in await stock.searches_besides(listing.seller_id):
        if not probe.search(SearchQuery.from_dict(saved.query)):
            continue
        if await stock.hit(saved, listing):
            hits += 1
    return hits


async def send_digests(uow: UnitOfWork, hour: int = DIGEST_HOUR) -> int:
    """Each digest search's matches, at `hour` o'clock in its buyer's own time zone, at most
    once a local day (run hourly; the day's outbox key guards against a second send)."""
    now = uow.clock.now()
    stmt = (select(AlertHit, SavedSearch, Listing, Account.timezone)
            .join(SavedSearch, SavedSearch.id == AlertHit.saved_search_id)
            .join(Listing, Listing.id == AlertHit.listing_id)
            .join(Account, Account.id == SavedSearch.account_id)
            .where(AlertHit.sent_at.is_(None), SavedSearch.active.is_(True),
                   Listing.status == ListingState.PUBLISHED).order_by(AlertHit.id))
    by_search: dict[int, list[tuple[AlertHit, SavedSearch, Listing]]] = defaultdict(list)
    days: dict[int, str] = {}
    for hit, saved, listing, zone in (await uow.session.execute(stmt)).all():
        day = saved_search_rules.digest_day(now, zone, hour)
        if day is not None:
            by_search[saved.id].append((hit, saved, listing))
            days[saved.id] = day
    sent = 0
    for saved_id, rows in by_search.items():
        try:
            async with uow.nested():
                await _send_digest(uow, rows, f"digest:{saved_id}:{days[saved_id]}")
                await uow.flush()
        except (IntegrityError, Conflict):
            continue  # another worker sends it, or today's digest went out already
        sent += 1
    return sent


async def _send_digest(uow: UnitOfWork, rows: list[tuple[AlertHit, SavedSearch, Listing]],
                       key: str) -> None:
    saved = rows[0][1]
    ids = [hit.id for hit, _saved, _listing in rows]
    claimed = await uow.session.execute(
        update(AlertHit).where(AlertHit.id.in_(ids), AlertHit.sent_at.is_(None))
        .values(sent_at=uow.clock.now()))
    if claimed.rowcount != len(ids):  # type: ignore[attr-defined]
        raise Conflict(_("another worker is sending this digest"))
    lines = [f"• {listing.title} — {listing.city}" for _hit, _saved, listing in rows[:10]]
    async with addressed_to(uow, saved.account_id):
        more = ("\n" + n_("…and {n} more", "…and {n} more", len(rows) - 10)) if len(rows) > 10 else ""
        what = SearchQuery.from_dict(saved.query).describe()
        buttons = [[Action(ListingIntent.VIEW_LISTING, _("View {title}", title=listing.title[:30]),
                           str(listing.id))]
                   for _hit, _saved, listing in rows[:3]] + alert_buttons(None, saved.id)
        head = n_("📰 Daily digest for {what}: {n} new", "📰 Daily digest for {what}: {n} new", len(rows),
                  what=what)
        await notify(uow, saved.account_id, head + "\n" + "\n".join(lines) + more, buttons=buttons,
                     dedupe_key=key)


