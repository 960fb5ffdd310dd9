"""Demo trades for the price indices, for `agora demo seed`: ten weeks of completed deals in
ENplus A1 pellets loaded in Latvia on FCA terms, each week between four of the demo sellers and
four of the demo traders, so that the Baltic index (`pellets-a1-baltic-fca`) has a published
history on a fresh start. Every listing says it is demo history; rows are written directly,
with the carbon record a completed deal gets, from a seeded random generator."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, select

from core.catalog.gazetteer import major
from core.catalog.tables import Listing
from core.catalog.taxonomy import mwh_per_unit, price_per_mwh_minor
from core.deals.carbon.book import carbon_book_of
from core.deals.carbon.totals import entry_for
from core.deals.tables import Deal, Offer
from core.indices.definitions import INDICES
from core.indices.tables import IndexValue
from core.market.index_publish import publish_due, publish_week
from core.market.index_rules import Unpublished, week_start
from core.money.model import Money
from core.storage.uow import UnitOfWork, UowFactory

WEEKS = 10
PER_WEEK = 4  # deals a week, each between a seller and a trader of its own
EUR_PER_T = 228  # around which the demo's Baltic pellets trade


async def seed_index_trades(uow: UnitOfWork, rng: random.Random, seller_ids: list[int],
                            buyer_ids: list[int]) -> int:
    """Write the weeks of trades; returns how many deals."""
    riga = next(p for p in major() if p.country == "LV")
    energy = mwh_per_unit("pellets", "t")
    monday = week_start(uow.clock.now())
    deals = 0
    for back in range(WEEKS, 0, -1):
        level = EUR_PER_T * (1 + 0.004 * (WEEKS - back)) * rng.uniform(0.98, 1.02)
        start = monday - timedelta(weeks=back)
        for seller, buyer in zip(rng.sample(seller_ids, PER_WEEK), rng.sample(buyer_ids, PER_WEEK),
                                 strict=True):
            at = datetime(start.year, start.month, start.day, 10, tzinfo=UTC) + \
                timedelta(days=rng.randint(0, 4))
            price = Money.parse(Decimal(level * rng.uniform(0.97, 1.03)).quantize(Decimal("0.01")),
                                "EUR").amount
            await _trade(uow, riga.city, riga.lat, riga.lon, seller, buyer, price, energy,
                         rng.choice((22, 44, 66)), at)
            deals += 1
    return deals


async def _trade(uow: UnitOfWork, city: str, lat: float, lon: float, seller: int, buyer: int,
                 price: int, energy: Decimal, tonnes: int, at: datetime) -> None:
    listing = Listing(
        seller_id=seller, status="sold_out", product_type="pellets", grade="ENplus A1",
        title=f"ENplus A1 pellets, {city} (demo)", description="Demo history.",
        quantity_milli=tonnes * 1000, min_order_milli=None, unit="t", price_minor=price,
        currency="EUR", negotiable=True, delivery=["FCA"], delivery_radius_km=None,
        incoterm_place=city, city=city, country="LV", latitude=lat, longitude=lon,
        available_from=at - timedelta(days=10), valid_until=at + timedelta(days=20),
        specs={}, certifications=["enplus"], energy_mwh_per_unit=str(energy),
        price_mwh_minor=price_per_mwh_minor(price, energy), published_at=at - timedelta(days=10),
        expires_at=at + timedelta(days=20), created_at=at - timedelta(days=10), updated_at=at)
    uow.add(listing)
    await uow.session.flush()
    offer = Offer(listing_id=listing.id, buyer_id=buyer, seller_id=seller, made_by="buyer",
                  status="accepted", quantity_milli=tonnes * 1000, price_minor=price,
                  currency="EUR", incoterm="FCA", place=city, expires_at=at,
                  decided_at=at - timedelta(days=2), created_at=at - timedelta(days=3))
    uow.add(offer)
    await uow.session.flush()
    deal = Deal(offer_id=offer.id, listing_id=listing.id, buyer_id=buyer, seller_id=seller,
                status="completed", quantity_milli=tonnes * 1000, price_minor=price,
                currency="EUR", created_at=at - timedelta(days=2), updated_at=at)
    uow.add(deal)
    await uow.session.flush()
    await carbon_book_of(uow).keep(entry_for(deal.id, buyer, seller, "pellets", Decimal(tonnes),
                                             "t", energy, at))


async def publish_demo_weeks(uow_factory: UowFactory) -> int:
    """Publish the indices' weeks the demo trades fill in, right after the seed, rather than at
    the weekly job's next run. A server started before the seed may already have stored those
    past weeks as having no trades at all; only such weeks — nothing was traded, so nothing was
    priced from them — are computed again, now with the demo's trades. A week stored with trades
    (published or withheld) keeps its value: the revision policy holds for every real week."""
    async with uow_factory() as uow:
        empty = (await uow.session.execute(select(IndexValue.index_code, IndexValue.week).where(
            IndexValue.unpublished == Unpublished.NO_TRADES.value))).all()
        await uow.session.execute(delete(IndexValue).where(
            IndexValue.unpublished == Unpublished.NO_TRADES.value))
        for code, week in empty:
            if code in INDICES:
                await publish_week(uow, INDICES[code], week, tell=False)
        await uow.commit()
    return len(empty) + await publish_due(uow_factory)
