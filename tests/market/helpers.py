"""Known market rows: completed deals at chosen prices per MWh on chosen days, written
directly (history, not use cases)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from config.container import Container
from core.catalog.tables import Listing
from core.deals.tables import Deal, Offer


async def deal(app: Container, listing_id: int, buyer_id: int, per_mwh: str, tonnes: int,
               at: datetime, *, status: str = "completed", currency: str = "EUR") -> None:
    """A deal on the listing at `per_mwh` (major units) for `tonnes`, last moved at `at`."""
    async with app.uow() as uow:
        listing = (await uow.session.execute(
            select(Listing).where(Listing.id == listing_id))).scalar_one()
        price = int(Decimal(per_mwh) * 100 * Decimal(listing.energy_mwh_per_unit))
        offer = Offer(listing_id=listing_id, buyer_id=buyer_id, seller_id=listing.seller_id,
                      made_by="buyer", status="accepted", quantity_milli=tonnes * 1000,
                      price_minor=price, currency=currency, expires_at=at,
                      decided_at=at - timedelta(days=1), created_at=at - timedelta(days=2))
        uow.add(offer)
        await uow.session.flush()
        uow.add(Deal(offer_id=offer.id, listing_id=listing_id, buyer_id=buyer_id,
                     seller_id=listing.seller_id, status=status,
                     quantity_milli=tonnes * 1000, price_minor=price, currency=currency,
                     created_at=at - timedelta(days=1), updated_at=at))
        await uow.commit()


async def monthly(app: Container, listing_id: int, buyer_id: int, now: datetime,
                  prices: list[str | None]) -> None:
    """One deal of 10 t in each past month (the last entry is the current month)."""
    for back, price in enumerate(reversed(prices)):
        if price is not None:
            year, month = now.year, now.month - back
            while month < 1:
                year, month = year - 1, month + 12
            await deal(app, listing_id, buyer_id, price, 10, datetime(year, month, 10, 12,
                                                                       tzinfo=now.tzinfo))
