"""Carbon records as deals complete, and what a member reads of them.

A deal's "record-carbon" effect (core.process.deals, on every transition into completed) keeps
what its carbon receipt states (`core.deals.after_sale.carbon_receipt`), in the moving
transaction, once per deal: a completion delivered twice keeps one record. A deal whose listing
is gone has no energy content, so no receipt and no record; the deal completes all the same.
Deals completed before records were kept were recorded by the migration that made the table
(migrations/versions/0047c_carbon_records.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.deals.after_sale.sql_logbook import logbook_of
from core.deals.carbon.book import CarbonBook, carbon_book_of
from core.deals.carbon.totals import (
    CarbonEntry,
    MemberCarbon,
    entry_for,
    member_carbon,
    years,
)
from core.deals.events import DealMoved
from core.storage.uow import UnitOfWork

log = logging.getLogger("agora.carbon")


async def on_deal_completed(uow: UnitOfWork, event: DealMoved) -> None:
    """The deal's "record-carbon": what its carbon receipt states, kept once."""
    logbook = logbook_of(uow)
    deal = await logbook.stored_deal(event.deal_id)
    listing = await logbook.listing(deal.listing_id) if deal is not None else None
    if deal is None or listing is None:
        return  # its listing is gone: no energy content, nothing to count
    try:
        energy = Decimal(listing.energy_mwh_per_unit)
    except InvalidOperation:  # never a reason to hold the completion and its money back
        log.warning("deal %s: listing %s has no readable energy content; no carbon record",
                    deal.id, listing.id)
        return
    book = carbon_book_of(uow)
    await book.keep(entry_for(deal.id, deal.buyer_id, deal.seller_id, listing.product_type,
                              Decimal(deal.quantity_milli) / 1000, listing.unit, energy,
                              book.now()))


@dataclass(frozen=True)
class CarbonStanding:
    """What a member reads of their carbon: the totals and the years with a statement."""

    totals: MemberCarbon
    years: tuple[int, ...]  # the newest first

    @property
    def empty(self) -> bool:
        return self.totals.empty


async def standing(uow: UnitOfWork | CarbonBook, account_id: int, timezone: str | None
                   ) -> CarbonStanding:
    """The member's running totals (bought and supplied; this year in their zone, all time,
    by product) and the years of their records."""
    book = carbon_book_of(uow)
    entries = await book.entries(account_id)
    return CarbonStanding(member_carbon(entries, account_id, timezone, book.now()),
                          tuple(years(entries, timezone)))


async def entries_of(uow: UnitOfWork | CarbonBook, account_id: int) -> list[CarbonEntry]:
    return await carbon_book_of(uow).entries(account_id)


async def public_standing(uow: UnitOfWork | CarbonBook, account_id: int
                          ) -> CarbonStanding | None:
    """The member's totals for the public site, only if they allow it (None otherwise, or
    when there is nothing to show)."""
    book = carbon_book_of(uow)
    if not await book.shown_publicly(account_id):
        return None
    found = await standing(book, account_id, "UTC")
    return None if found.empty else found
