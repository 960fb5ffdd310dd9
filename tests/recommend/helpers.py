"""Known histories for recommendation tests: listings, past deals, searches, bookings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bots.demo_buyers import past_deal
from config.container import Container
from core.accounts.tables import Account
from core.catalog.query import SearchQuery
from core.catalog.tables import Listing, SavedSearch, SearchLog, Watch
from core.consulting.tables import Booking, ConsultantProfile
from tests.catalog.helpers import make_account, publish

PLACES = {
    "Riga": {"city": "Riga", "country": "LV", "lat": 56.9496, "lon": 24.1052},
    "Daugavpils": {"city": "Daugavpils", "country": "LV", "lat": 55.8750, "lon": 26.5356},
    "Warsaw": {"city": "Warsaw", "country": "PL", "lat": 52.2297, "lon": 21.0122},
    "Hamburg": {"city": "Hamburg", "country": "DE", "lat": 53.5511, "lon": 9.9937},
}


async def listing(app: Container, seller: Account, product: str, town: str, **extra: Any) -> int:
    """A published listing of `product` in `town`."""
    unit = {"biogas": "mwh"}.get(product, "t")
    title = extra.pop("title", f"{product.title()} from {town}")
    return await publish(app, seller, product_type=product, title=title, grade=None,
                         unit=unit, min_order=None, location=PLACES[town], **extra)


async def bought(app: Container, buyer: Account, listing_id: int, days_ago: float) -> None:
    async with app.uow() as uow:
        row = await uow.session.get(Listing, listing_id)
        assert row is not None
        await past_deal(uow, buyer.id, row, uow.clock.now() - timedelta(days=days_ago))
        await uow.commit()


async def searched(app: Container, buyer: Account, product: str, days_ago: float = 1) -> None:
    async with app.uow() as uow:
        uow.add(SearchLog(account_id=buyer.id, text=product, product_type=product, country=None,
                          created_at=uow.clock.now() - timedelta(days=days_ago)))
        await uow.commit()


async def saved_near(app: Container, buyer: Account, product: str, town: str) -> None:
    where = PLACES[town]
    query = SearchQuery(product_type=product, lat=where["lat"], lon=where["lon"], max_km=100)
    async with app.uow() as uow:
        uow.add(SavedSearch(account_id=buyer.id, query=query.as_dict(), mode="digest",
                            active=True, created_at=uow.clock.now() - timedelta(days=2)))
        await uow.commit()


async def watching(app: Container, buyer: Account, listing_id: int) -> None:
    async with app.uow() as uow:
        uow.add(Watch(account_id=buyer.id, listing_id=listing_id,
                      created_at=uow.clock.now() - timedelta(days=3)))
        await uow.commit()


async def consultant(app: Container, name: str, categories: list[str], *, live: bool = True,
                     stars: tuple[int, int] = (0, 0)) -> Account:
    """A consultant profile (live or not) in these fields."""
    account = await make_account(app, name, roles=("consultant",))
    async with app.uow() as uow:
        now = uow.clock.now()
        uow.add(ConsultantProfile(account_id=account.id, headline=f"{name.title()} advises",
                                  categories=categories, live=live, stars_total=stars[0],
                                  ratings=stars[1], created_at=now, updated_at=now))
        await uow.commit()
    return account


async def had_session(app: Container, seeker: Account, expert: Account, days_ago: float,
                      status: str = "completed") -> None:
    async with app.uow() as uow:
        when = uow.clock.now() - timedelta(days=days_ago)
        uow.add(Booking(consultant_id=expert.id, seeker_id=seeker.id, kind="scheduled",
                        status=status, starts_at=when, minutes=60, rate_kind="session",
                        price_minor=10000, max_minor=10000, currency="EUR", created_at=when,
                        updated_at=when))
        await uow.commit()
