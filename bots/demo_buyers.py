"""Demo buyers with a past: each has a favourite product and home country and a few closed deals
over the last year, mostly (not only) in that taste — so recommendations have a history to read
and can be measured (bench/recommend.py). Deterministic for a given seed."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select

from core.accounts.service import ChannelIdentity, Registration, register
from core.accounts.tables import Identity
from core.catalog.rules import ListingState
from core.catalog.tables import Listing, SearchLog
from core.deals.tables import Deal, Offer
from core.storage.uow import UnitOfWork

DEMO = "demo"  # the channel of every demo account's identity: what marks them demo


def demo_accounts() -> Select[int]:  # SQLAlchemy 2.1: Select[*columns]
    """The ids of the demo accounts (demo history is written on these only, never on a real
    member who listed before the seed)."""
    return select(Identity.account_id).where(Identity.channel == DEMO)


async def seed_buyers(uow: UnitOfWork, buyers: int = 40, seed_value: int = 7) -> int:
    """Buyers with 3 to 6 closed deals each on the published demo listings; returns how many."""
    done = (await uow.session.execute(select(func.count(Identity.id)).where(
        Identity.channel == DEMO, Identity.user_key.like("buyer-%")))).scalar_one()
    stock = list((await uow.session.execute(select(Listing).where(
        Listing.status == ListingState.PUBLISHED, Listing.seller_id.in_(demo_accounts()))
        .order_by(Listing.id))).scalars())
    if done or not stock:
        return 0
    rng = random.Random(seed_value)
    by_type: dict[str, list[Listing]] = defaultdict(list)
    for listing in stock:
        by_type[listing.product_type].append(listing)
    now = uow.clock.now()
    for i in range(buyers):
        favourite = rng.choice(sorted(by_type))
        home = rng.choice(by_type[favourite]).country
        account = await register(uow, ChannelIdentity(DEMO, f"buyer-{i}", f"buyer-{i}"),
                                 Registration(display_name=f"Demo buyer {i + 1}",
                                              company=f"Heat & Power {i + 1}",
                                              email=f"buyer{i}@demo.agora", roles=["buyer"],
                                              country=home), email_verified=True)
        account.weekly_picks = False  # a demo person has no chat to receive it
        days = sorted(rng.sample(range(5, 360), rng.randint(3, 6)), reverse=True)
        for ago in days:
            listing = _choose(rng, by_type, stock, favourite, home)
            when = now - timedelta(days=ago, hours=rng.randint(0, 9))
            await past_deal(uow, account.id, listing, when, rng)
        if i % 2 == 0:
            uow.add(SearchLog(account_id=account.id, text=favourite, product_type=favourite,
                              country=home, created_at=now - timedelta(days=days[0] + 3)))
    await uow.session.flush()
    return buyers


def _choose(rng: random.Random, by_type: dict[str, list[Listing]], stock: list[Listing],
            favourite: str, home: str | None) -> Listing:
    """Mostly the favourite product at home, sometimes anywhere, now and then anything."""
    roll = rng.random()
    near = [x for x in by_type[favourite] if x.country == home]
    if roll < 0.6 and near:
        return rng.choice(near)
    if roll < 0.85:
        return rng.choice(by_type[favourite])
    return rng.choice(stock)


async def past_deal(uow: UnitOfWork, buyer_id: int, listing: Listing, when: datetime,
              rng: random.Random | None = None) -> Deal:
    """A closed deal (and its accepted offer) at `when`, at about the listed price."""
    rng = rng or random.Random(listing.id)
    price = max(1, round(listing.price_minor * rng.uniform(0.92, 1.03)))
    quantity = max(1000, (listing.min_order_milli or 0), listing.quantity_milli // 10)
    offer = Offer(listing_id=listing.id, buyer_id=buyer_id, seller_id=listing.seller_id,
                  made_by="buyer", status="accepted", quantity_milli=quantity, price_minor=price,
                  currency=listing.currency, expires_at=when + timedelta(days=2), decided_at=when,
                  created_at=when)
    uow.add(offer)
    await uow.session.flush()
    deal = Deal(offer_id=offer.id, listing_id=listing.id, buyer_id=buyer_id, seller_id=listing.seller_id,
                status="closed", quantity_milli=quantity, price_minor=price,
                currency=listing.currency, created_at=when, updated_at=when)
    uow.add(deal)
    return deal
