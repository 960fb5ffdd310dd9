"""`agora demo seed` loads a catalogue a newcomer can search at once."""

from __future__ import annotations

from sqlalchemy import func, select

from bots.demo import seed
from core.catalog.media import FileStore
from core.catalog.query import SearchQuery
from core.catalog.tables import Listing, SellerStats
from core.catalog.taxonomy import TYPES
from core.storage.tables import OutboxMessage


async def test_the_demo_seed_publishes_over_200_listings_of_every_type_across_europe(app):
    async with app.uow() as uow:
        assert await seed(uow, FileStore(app.settings.data_dir)) == 240
        await uow.commit()
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(
            Listing.product_type, Listing.city, Listing.country, Listing.status)
            .where(Listing.status != "sold_out"))).all()  # sold out: the market's history
        rated = (await uow.session.execute(select(func.count()).select_from(SellerStats))).scalar()
        assert len(rows) == 240 and {r.status for r in rows} == {"published"}
        assert {r.product_type for r in rows} == set(TYPES)
        assert len({r.city for r in rows}) > 80 and len({r.country for r in rows}) > 20
        assert rated == 40
        found = await app.catalog.search(uow, SearchQuery(text="pelets"))
        assert found.total > 0
        assert await seed(uow, FileStore(app.settings.data_dir)) == 0  # only once
        emails = (await uow.session.execute(select(func.count()).select_from(OutboxMessage)
                                            .where(OutboxMessage.channel == "email"))).scalar()
        assert emails == 0  # demo sellers get no verification codes


async def test_demo_prices_look_like_a_real_market(app):
    from bots.demo import TYPICAL_EUR_PER_MWH
    from core.catalog.listings import problems
    from core.money.model import Money

    async with app.uow() as uow:
        await seed(uow, FileStore(app.settings.data_dir), count=120, sellers=10, history=False)
        await uow.commit()
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(Listing))).scalars().all()
        now = app.clock.now()
        assert all(problems(row, now) == [] for row in rows)  # what the listing form enforces
        for row in rows:
            low, high = TYPICAL_EUR_PER_MWH[row.product_type]
            if row.price_mwh_minor is not None:
                assert Money.parse(str(low - 1), "EUR").amount <= row.price_mwh_minor \
                    <= Money.parse(str(high + 1), "EUR").amount, (row.title, row.price_mwh_minor)
