"""`agora demo seed` loads a catalogue a newcomer can search at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bots.demo import seed
from core.catalog.media import FileStore
from core.catalog.query import SearchQuery
from core.catalog.tables import Listing, SellerStats
from core.catalog.taxonomy import TYPES
from core.notifications.tables import OutboxMessage

pytestmark = pytest.mark.one_database  # the seed's content, not a database's rules


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


async def _touching(app, account_id: int, listing_id: int) -> dict[str, int]:
    """Rows of every table that point at the account or the listing, by table and column."""
    from config.schema import metadata

    counts: dict[str, int] = {}
    async with app.uow() as uow:
        for table in metadata.sorted_tables:
            for column in table.columns:
                targets = {fk.target_fullname for fk in column.foreign_keys}
                value = (account_id if "accounts.id" in targets
                         else listing_id if "listings.id" in targets else None)
                if value is not None:
                    counts[f"{table.name}.{column.name}"] = (await uow.session.execute(
                        select(func.count()).select_from(table).where(column == value))).scalar()
    return counts


async def test_the_demo_seed_leaves_real_members_and_their_listings_alone(app):
    from core.accounts.tables import Account, Identity
    from core.deals.tables import Deal
    from tests.catalog.helpers import make_account, publish

    sam = await make_account(app, "sam")  # a real member who listed minutes before the seed
    listing_id = await publish(app, sam)
    before = await _touching(app, sam.id, listing_id)
    async with app.uow() as uow:
        await seed(uow, FileStore(app.settings.data_dir))
        await uow.commit()
    assert await _touching(app, sam.id, listing_id) == before
    async with app.uow() as uow:
        demo = set((await uow.session.execute(select(Identity.account_id).where(
            Identity.channel == "demo"))).scalars())
        deals = (await uow.session.execute(select(Deal.buyer_id, Deal.seller_id))).all()
        sellers = set((await uow.session.execute(select(Listing.seller_id))).scalars())
        names = (await uow.session.execute(select(Account.display_name, Account.email).where(
            Account.id.in_(demo)))).all()
    assert deals and all({buyer, seller} <= demo for buyer, seller in deals)
    assert sellers - demo == {sam.id}
    assert all(name.startswith("Demo ") and email.endswith("@demo.agora") for name, email in names)


async def test_a_misspelt_word_finds_what_the_right_spelling_finds_in_the_demo_catalogue(app):
    """"pelets" found 2 olive-cake listings where "pellets" found 24: every pellet listing
    must be found, and first."""
    async with app.uow() as uow:
        await seed(uow, FileStore(app.settings.data_dir))
        await uow.commit()
    async with app.uow() as uow:
        right = await app.catalog.search(uow, SearchQuery(text="pellets"), per_page=1000)
        typo = await app.catalog.search(uow, SearchQuery(text="pelets"), per_page=1000)
        spelt = [hit.listing_id for hit in right.hits]
        typed = [hit.listing_id for hit in typo.hits]
        assert right.total >= 20
        assert set(spelt) <= set(typed) and set(typed[:5]) <= set(spelt)
