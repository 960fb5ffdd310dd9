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
            Listing.product_type, Listing.city, Listing.country, Listing.status))).all()
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
