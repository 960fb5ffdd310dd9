"""Where a seller's price sits: competing live listings of the same product near each of the
seller's own, and the percentile of the seller's price per MWh among them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from core.catalog.gazetteer import haversine_km
from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.storage.uow import UnitOfWork

NEAR_KM = 500  # competitors within this distance of the seller's listing
SHOWN = 5  # nearest competitors listed
PERCENT = 100


@dataclass(frozen=True)
class Rival:
    listing_id: int
    title: str
    city: str
    country: str | None
    km: int
    price_mwh: int  # minor units


@dataclass(frozen=True)
class Standing:
    listing_id: int
    title: str
    city: str
    currency: str
    price_mwh: int
    nearby: int  # competing listings within NEAR_KM
    percentile: int | None  # share of nearby prices below the seller's (ties count half)
    low: int | None  # the range of nearby prices
    high: int | None
    rivals: list[Rival]  # the nearest few


def percentile(mine: int, others: list[int]) -> int | None:
    """The percentage of `others` cheaper than `mine`, equal prices counting half."""
    if not others:
        return None
    below = sum(1 for p in others if p < mine)
    same = sum(1 for p in others if p == mine)
    return round((below + same / 2) / len(others) * PERCENT)


def _live(uow: UnitOfWork, product_type: str) -> Select[Listing]:
    now = uow.clock.now()
    return select(Listing).where(
        Listing.status == ListingState.PUBLISHED, Listing.product_type == product_type,
        Listing.price_mwh_minor.is_not(None),
        (Listing.expires_at.is_(None)) | (Listing.expires_at > now))


def _price(listing: Listing) -> int:
    """A live listing's price per MWh (`_live` reads only priced ones)."""
    assert listing.price_mwh_minor is not None
    return listing.price_mwh_minor


async def standings(uow: UnitOfWork, seller_id: int, product_type: str,
                    radius_km: int = NEAR_KM) -> list[Standing]:
    """For each of the seller's live listings of the product: the competition near it."""
    rows = list((await uow.session.execute(_live(uow, product_type))).scalars())
    mine = [r for r in rows if r.seller_id == seller_id]
    others = [r for r in rows if r.seller_id != seller_id]
    found = []
    for own in mine:
        near = sorted(((haversine_km(own.latitude, own.longitude, r.latitude, r.longitude), r)
                       for r in others if r.currency == own.currency), key=lambda x: (x[0], x[1].id))
        near = [(km, r) for km, r in near if km <= radius_km]
        prices = [_price(r) for _, r in near]
        assert own.price_mwh_minor is not None
        found.append(Standing(
            own.id, own.title, own.city, own.currency, own.price_mwh_minor, len(near),
            percentile(own.price_mwh_minor, prices), min(prices, default=None),
            max(prices, default=None),
            [Rival(r.id, r.title, r.city, r.country, round(km), _price(r))
             for km, r in near[:SHOWN]]))
    return found
