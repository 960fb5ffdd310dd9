"""A profile certificate changed (core.certificates: added, renewed, removed, or past its last
valid day): the published listings whose claims it backs are re-read by search, which counts a
backed claim only while its certificate is valid (`core.catalog.documents.counted_claims`)."""

from __future__ import annotations

from core.catalog.events import ListingChanged
from core.catalog.rules import ListingState
from core.catalog.sql_stock import stock_of
from core.catalog.stock import Stock
from core.certificates.events import CertificateChanged
from core.storage.uow import UnitOfWork


async def backed_listings_changed(uow: UnitOfWork | Stock, event: CertificateChanged
                                  ) -> list[int]:
    """Mark the sellers' published listings claiming the certificate's scheme changed: a
    `ListingChanged` each (this worker's index after the commit, the others' by the change
    feed) and their `updated_at` now (their page changed, for the sitemap; and a process
    without the change feed — a second `agora chat` on one SQLite file — finds them by it).
    The ids marked."""
    stock = stock_of(uow)
    marked = []
    for listing in await stock.some(sorted(await stock.listing_ids_of(event.seller_ids))):
        if listing.status == ListingState.PUBLISHED and \
                event.scheme in (listing.certifications or []):
            listing.updated_at = stock.now()
            stock.emit(ListingChanged(listing.id, listing.status))
            marked.append(listing.id)
    return marked


async def on_certificate_changed(uow: UnitOfWork, event: CertificateChanged) -> None:
    """The in-transaction handler (core.catalog.wiring)."""
    await backed_listings_changed(uow, event)
