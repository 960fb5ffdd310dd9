"""A year of demo market history for `agora demo seed`: completed deals on past listings of a
few products in a few countries, month by month (a seasonal price with a slow drift and
noise), the searches and saved searches buyers made, and offers that came to nothing — enough
for the market charts and a forecast. Rows are written directly (this is history, not use
cases), from a seeded random generator, so the same seed gives the same history."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from decimal import Decimal

from bots.demo_buyers import DEMO
from bots.demo_index import seed_index_trades
from core.accounts.service import ChannelIdentity, Registration, register
from core.catalog.gazetteer import Place, major
from core.catalog.tables import Listing, SavedSearch, SearchLog
from core.catalog.taxonomy import TYPES, mwh_per_unit, price_per_mwh_minor
from core.deals.tables import Deal, Offer
from core.market.series import month_starts
from core.money.model import Money
from core.storage.uow import UnitOfWork

# product: (EUR per MWh around which it trades, seasonal swing, yearly drift)
PRODUCTS = {"pellets": (55, 0.10, 0.06), "chips": (29, 0.08, 0.03), "hvo": (165, 0.02, -0.05)}
COUNTRIES = ("LV", "DE", "PL")
MONTHS = 12
BUYERS = 6


async def seed_history(uow: UnitOfWork, rng: random.Random, seller_ids: list[int]) -> int:
    """Write the history; returns how many completed deals it holds."""
    buyers = []
    for i in range(BUYERS):
        country = COUNTRIES[i % len(COUNTRIES)]
        buyer = await register(uow, ChannelIdentity(DEMO, f"trader-{i}", f"trader-{i}"),
                               Registration(display_name=f"Demo trader {i + 1}",
                                            company=f"Heat & Power {i + 1}",
                                            email=f"trader{i}@demo.agora", roles=["buyer"],
                                            country=country),
                               email_verified=True)
        buyers.append(buyer.id)
    now = uow.clock.now()
    starts = month_starts(now, MONTHS)[:-1]
    places = {c: [p for p in major() if p.country == c] for c in COUNTRIES}
    deals = 0
    for code, (base, swing, drift) in PRODUCTS.items():
        for country in COUNTRIES:
            level = base * rng.uniform(0.92, 1.08)
            for n, start in enumerate(starts):
                season = 1 + swing * math.cos(2 * math.pi * (start.month - 1) / 12)
                per_mwh = level * season * (1 + drift * n / 12)
                deals += await _month(uow, rng, code, country, start, now, per_mwh,
                                      places[country], seller_ids, buyers)
            local = [b for i, b in enumerate(buyers) if COUNTRIES[i % len(COUNTRIES)] == country]
            _demand(uow, rng, code, country, starts, now, local)
    # The price index's weeks (their own generator: the history above stays as it was).
    await seed_index_trades(uow, random.Random(len(seller_ids)), seller_ids, buyers)
    return deals


def _eur(amount: Decimal) -> int:
    """Euros as minor units (cents)."""
    return Money.parse(amount.quantize(Decimal("0.01")), "EUR").amount


def _at(rng: random.Random, start: datetime, now: datetime) -> datetime:
    """A moment in the month that starts at `start`, never in the future."""
    end = min(now, (start + timedelta(days=32)).replace(day=1))
    return start + (end - start) * rng.uniform(0.02, 0.98)


async def _month(uow: UnitOfWork, rng: random.Random, code: str, country: str,
                 start: datetime, now: datetime, per_mwh: float, places: list[Place],
                 sellers: list[int], buyers: list[int]) -> int:
    kind = TYPES[code]
    unit = kind.units[0]
    energy = mwh_per_unit(code, unit)
    place = rng.choice(places)
    seller = rng.choice(sellers)
    published = _at(rng, start, now) - timedelta(days=10)
    ask = _eur(Decimal(per_mwh * rng.uniform(1.0, 1.08)) * energy)
    listing = Listing(
        seller_id=seller, status="sold_out", product_type=code, grade=None,
        title=f"{kind.label} lot, {place.city}"[:100], description="Demo history.",
        quantity_milli=rng.choice((500, 1000, 2000)) * 1000, min_order_milli=None, unit=unit,
        price_minor=ask, currency="EUR", negotiable=True, delivery=["DAP"],
        delivery_radius_km=None, incoterm_place=place.city, city=place.city, country=country,
        latitude=place.lat, longitude=place.lon, available_from=published,
        valid_until=published + timedelta(days=45), specs={}, certifications=[],
        energy_mwh_per_unit=str(energy), price_mwh_minor=price_per_mwh_minor(ask, energy),
        published_at=published, expires_at=published + timedelta(days=45), created_at=published,
        updated_at=min(now, published + timedelta(days=35)))
    uow.add(listing)
    await uow.session.flush()
    made = rng.randint(2, 5)
    for n in range(made + rng.randint(0, 2)):
        done = n < made
        at = _at(rng, start, now)
        price = _eur(Decimal(per_mwh * rng.uniform(0.94, 1.06)) * energy)
        offer = Offer(listing_id=listing.id, buyer_id=rng.choice(buyers), seller_id=seller,
                      made_by="buyer", status="accepted" if done else "declined",
                      quantity_milli=rng.choice((20, 40, 80, 120)) * 1000, price_minor=price,
                      currency="EUR", expires_at=at - timedelta(days=3) + timedelta(days=2),
                      decided_at=at - timedelta(days=3), created_at=at - timedelta(days=4))
        uow.add(offer)
        if done:
            await uow.session.flush()
            uow.add(Deal(offer_id=offer.id, listing_id=listing.id, buyer_id=offer.buyer_id,
                         seller_id=seller, status="completed", quantity_milli=offer.quantity_milli,
                         price_minor=price, currency="EUR", created_at=at - timedelta(days=3),
                         updated_at=at))
    return made


def _demand(uow: UnitOfWork, rng: random.Random, code: str, country: str,
            starts: list[datetime], now: datetime, buyers: list[int]) -> None:
    words = {"pellets": "pellets", "chips": "wood chips", "hvo": "hvo"}[code]
    for start in starts:
        season = 1.5 if start.month in (9, 10, 11, 12, 1) and code != "hvo" else 1.0
        for _ in range(int(rng.randint(4, 14) * season)):
            uow.add(SearchLog(account_id=rng.choice(buyers), text=words, product_type=None,
                              country=country, created_at=_at(rng, start, now)))
        if rng.random() < 0.4:
            uow.add(SavedSearch(account_id=rng.choice(buyers),
                                query={"text": words, "currency": "EUR"}, mode="digest",
                                active=rng.random() < 0.7, created_at=_at(rng, start, now)))
