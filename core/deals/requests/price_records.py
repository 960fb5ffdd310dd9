"""The anonymised price record a tender or auction leaves at its close: the product, the buyer's
country (the region the goods go to; a seller's lot's winner's), the month, the awarded price
per unit and per MWh (by the listing's energy content) and the volume — never who bid, won or
bought. Market analytics and the public market pages read them beside completed deals (core.market)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.catalog.taxonomy import price_per_mwh_minor
from core.deals.requests import auction_rules
from core.deals.requests.tables import PriceRecord, RequestBid
from core.deals.tables import SupplyRequest
from core.storage.uow import UnitOfWork


async def record(uow: UnitOfWork, request: SupplyRequest, bid: RequestBid) -> PriceRecord:
    """Keep what the request was awarded at (one record per request: a next bid awarded after
    the first award ended replaces it)."""
    old = (await uow.session.execute(select(PriceRecord).where(
        PriceRecord.request_id == request.id))).scalar()
    if old is not None:
        await uow.session.delete(old)
        await uow.session.flush()
    listing = await uow.get(Listing, bid.listing_id)
    # The buyer's country: a buyer's request's own, a seller's lot's winner's (its bidder).
    lot = request.side == auction_rules.SELLER
    buyer = await uow.get(Account, bid.seller_id if lot else request.buyer_id)
    energy = Decimal((listing.energy_mwh_per_unit if listing else None) or "0")
    now = uow.clock.now()
    row = PriceRecord(
        request_id=request.id, product_type=request.product_type,
        country=buyer.country if buyer else None, month=date(now.year, now.month, 1),
        currency=request.currency, price_minor=bid.price_minor, unit=request.unit,
        price_mwh_minor=price_per_mwh_minor(bid.price_minor, energy),
        volume_kwh=int(Decimal(request.quantity_milli) * energy), recorded_at=now)
    uow.add(row)
    return row
