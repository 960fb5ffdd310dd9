"""Which sellers a request for supply reaches: those with a published listing of the product
(those who deliver to the place first, nearest first), those who sold it before and those
whose saved alerts are for it — never the buyer or a suspended account."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog.gazetteer import haversine_km
from core.catalog.rules import ListingState
from core.catalog.tables import Listing, SavedSearch
from core.deals import request_rules
from core.deals.tables import Deal, SupplyRequest
from core.storage.uow import UnitOfWork


async def matching_sellers(uow: UnitOfWork, request: SupplyRequest, limit: int | None
                           ) -> list[int]:
    """Sellers who fit the request, best matched first, each once, never the buyer or a
    suspended account: those with a published listing of the product (those who deliver to the
    place first, nearest first), then those who sold the product before, then sellers whose
    saved alerts are for it."""
    found: dict[int, None] = {}
    for seller_id in await _listing_sellers(uow, request):
        found.setdefault(seller_id)
    sold = select(Deal.seller_id).join(Listing, Listing.id == Deal.listing_id).where(
        Listing.product_type == request.product_type).distinct()
    for seller_id in (await uow.session.execute(sold.order_by(Deal.seller_id))).scalars():
        found.setdefault(seller_id)
    alerted = await uow.session.execute(select(Account.id, Account.roles).join(
        SavedSearch, SavedSearch.account_id == Account.id).where(
        SavedSearch.active.is_(True),
        SavedSearch.query["product_type"].as_string() == request.product_type)
        .order_by(Account.id))
    for seller_id, roles in alerted.all():
        if "seller" in (roles or []):  # a buyer's alert is for buying, not supplying
            found.setdefault(seller_id)
    found.pop(request.buyer_id, None)
    suspended = set((await uow.session.execute(select(Account.id).where(
        Account.id.in_(list(found)), Account.suspended_at.is_not(None)))).scalars())
    ordered = [seller_id for seller_id in found if seller_id not in suspended]
    return ordered if limit is None else ordered[:limit]


async def _listing_sellers(uow: UnitOfWork, request: SupplyRequest) -> list[int]:
    """Sellers of the product with a published listing: first those whose delivery reaches the
    place, then the rest (the buyer may collect, or they quote other terms), nearest first."""
    rows = (await uow.session.execute(select(
        Listing.seller_id, Listing.delivery, Listing.delivery_radius_km, Listing.latitude,
        Listing.longitude).where(Listing.product_type == request.product_type,
                                 Listing.status == ListingState.PUBLISHED))).all()
    best: dict[int, tuple[bool, float]] = {}
    for seller_id, options, radius, lat, lon in rows:
        distance = haversine_km(request.latitude, request.longitude, lat, lon) \
            if request.latitude is not None and request.longitude is not None else None
        rank = (not request_rules.reaches([str(o) for o in options or []], radius, distance,
                                          request.incoterm), distance or 0.0)
        best[seller_id] = min(best.get(seller_id, rank), rank)
    return sorted(best, key=lambda seller_id: (best[seller_id], seller_id))
