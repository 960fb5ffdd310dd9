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


# The price indices: trades written as a completed deal (with its completion, as the carbon
# record keeps it) on a listing, on an agreed delivery term.
async def index_trade(app: Container, listing_id: int, buyer_id: int, per_t: str, tonnes: int,
                      at: datetime, *, incoterm: str = "FCA") -> None:
    """A deal of `tonnes` at `per_t` (major units) on `incoterm`, completed at `at`."""
    from core.deals.carbon.tables import CarbonRecord

    async with app.uow() as uow:
        listing = (await uow.session.execute(
            select(Listing).where(Listing.id == listing_id))).scalar_one()
        price = int(Decimal(per_t) * 100)
        offer = Offer(listing_id=listing_id, buyer_id=buyer_id, seller_id=listing.seller_id,
                      made_by="buyer", status="accepted", quantity_milli=tonnes * 1000,
                      price_minor=price, currency="EUR", incoterm=incoterm, expires_at=at,
                      decided_at=at - timedelta(days=3), created_at=at - timedelta(days=4))
        uow.add(offer)
        await uow.session.flush()
        deal = Deal(offer_id=offer.id, listing_id=listing_id, buyer_id=buyer_id,
                    seller_id=listing.seller_id, status="completed",
                    quantity_milli=tonnes * 1000, price_minor=price, currency="EUR",
                    created_at=at - timedelta(days=3), updated_at=at)
        uow.add(deal)
        await uow.session.flush()
        uow.add(CarbonRecord(deal_id=deal.id, buyer_id=buyer_id, seller_id=listing.seller_id,
                             product_type=listing.product_type, quantity_milli=tonnes * 1000,
                             unit=listing.unit, energy_mwh_per_unit=listing.energy_mwh_per_unit,
                             end_use="heat", comparator_g_mj="80", product_g_mj="7",
                             avoided_g=0, completed_at=at, created_at=at))
        await uow.commit()


async def baltic_pellets(app: Container, weeks: dict[datetime, list[str]]) -> dict[str, int]:
    """Three Latvian sellers of ENplus A1 pellets and three buyers; in each week given (its
    Wednesday), seller n sells to buyer n 10 t at the n-th price."""
    from tests.catalog.helpers import make_account, publish

    ids: dict[str, int] = {}
    for n in range(3):
        seller = await make_account(app, f"seller{n}", roles=("seller",))
        buyer = await make_account(app, f"buyer{n}", roles=("buyer",))
        ids[f"listing{n}"] = await publish(app, seller, price="230")
        ids[f"buyer{n}"] = buyer.id
    for at, prices in weeks.items():
        for n, per_t in enumerate(prices):
            await index_trade(app, ids[f"listing{n}"], ids[f"buyer{n}"], per_t, 10, at)
    return ids


async def published_index(app: Container) -> dict[str, int]:
    """The Baltic ENplus A1 index computed (the clock on 20 November): weeks 45 and 46
    published, week 44 withheld (one seller alone), the weeks before without trades."""
    from datetime import UTC

    from core.market.index_publish import publish_due

    ids = await baltic_pellets(app, {datetime(2026, 11, 4, 12, tzinfo=UTC): ["200", "210", "220"],
                                     datetime(2026, 11, 11, 12, tzinfo=UTC): ["210", "212.5",
                                                                              "214"]})
    await index_trade(app, ids["listing0"], ids["buyer0"], "190", 40,
                      datetime(2026, 10, 28, 12, tzinfo=UTC))
    await publish_due(app.uow)
    return ids
