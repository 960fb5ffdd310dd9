"""The consultant directory: typo-tolerant search over names, expertise, keywords and bio;
filters and sorts; reputation and completed sessions lift the rank; at most two featured
consultants a page, marked, until their promotion ends. The clock starts on Friday 20 November
2026 at 12:00 UTC."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from core.consulting.profiles import promotions
from core.consulting.profiles import service as profiles
from core.consulting.profiles.directory import Directory, DirectoryQuery
from core.consulting.tables import ConsultantProfile, Promotion
from tests.consulting.helpers import consultant
from tests.support.accounts import registered

PEOPLE = {
    "ann": {"headline": "Pellet quality auditor", "categories": ["pellet-quality"],
            "keywords": ["ENplus", "DINplus"], "languages": ["en", "lv"], "price": "80.00"},
    "carl": {"headline": "Biogas plant engineer", "categories": ["biogas-plants"],
             "keywords": ["anaerobic digestion"], "languages": ["de", "en"], "price": "150.00",
             "bio": "I design and commission biogas plants and digesters in Germany and Poland."},
    "dina": {"headline": "Biofuels compliance lawyer", "categories": ["biofuels-regulation", "legal"],
             "keywords": ["RED III", "sustainability certificates"], "languages": ["fr", "en"],
             "rate_kind": "minute", "price": "3.00",
             "bio": "Compliance with the Renewable Energy Directive for biofuel producers."},
    "emil": {"headline": "Wood chip logistics", "categories": ["logistics", "biomass-sourcing"],
             "keywords": ["rail", "barges"], "languages": ["lv", "ru"], "price": "60.00",
             "rate_kind": "session", "session_minutes": 30},
}


async def world(app) -> dict[str, int]:
    ids = {}
    for name, fields in PEOPLE.items():
        ids[name] = (await consultant(app, name, **fields)).id
    return ids


async def search(app, **query) -> list[str]:
    async with app.uow() as uow:
        page = await Directory().search(uow, DirectoryQuery(**query), "Europe/Riga")
        await uow.commit()
    return [card.name.lower() for card in page.cards]


async def rate(app, consultant_id, stars_total, ratings, sessions=0):
    async with app.uow() as uow:
        await uow.session.execute(update(ConsultantProfile).where(
            ConsultantProfile.account_id == consultant_id).values(
            stars_total=stars_total, ratings=ratings, sessions_completed=sessions))
        await uow.commit()


@pytest.mark.parametrize(("words", "first"), [
    ("pelet qualty", "ann"), ("biogass", "carl"), ("anerobic digestion", "carl"),
    ("complaince", "dina"), ("Emil", "emil"), ("enplus", "ann"), ("red iii", "dina"),
    ("chips", "emil"),
])
async def test_a_search_with_typos_finds_the_consultant(app, words, first):
    await world(app)
    found = await search(app, text=words)
    assert found and found[0] == first


async def test_filters_narrow_by_category_price_language_and_rating(app):
    ids = await world(app)
    assert await search(app, category="biomass-sourcing") == ["emil"]
    assert set(await search(app, price_min=13000, price_max=16000)) == {"carl"}  # per hour
    assert set(await search(app, price_max=12000)) == {"ann", "emil"}  # €120/h: Emil's 30 min
    assert set(await search(app, language="fr")) == {"dina"}
    assert await search(app, language="ja") == []
    await rate(app, ids["carl"], 50, 10)
    await rate(app, ids["ann"], 30, 10)  # the market's mean is 4.0 stars
    assert await search(app, min_rating=Decimal("4.4")) == ["carl"]


async def test_online_now_and_free_within_days_read_the_live_state(app, clock):
    ids = await world(app)
    async with app.uow() as uow:
        await profiles.set_online(uow, ids["dina"], True)
        await profiles.save(uow, ids["carl"], days_off=[
            (clock.now() + timedelta(days=d)).date().isoformat() for d in range(0, 5)])
        await uow.commit()
    assert await search(app, online_now=True) == ["dina"]
    clock.advance(minutes=31)
    assert await search(app, online_now=True) == []
    assert "carl" not in await search(app, free_within_days=3, per_page=10)
    assert "carl" in await search(app, free_within_days=7, per_page=10)


async def test_sorts_by_price_and_by_rating(app):
    ids = await world(app)
    assert await search(app, sort="price") == ["ann", "emil", "carl", "dina"]
    await rate(app, ids["emil"], 48, 10)
    await rate(app, ids["ann"], 4, 1)
    assert (await search(app, sort="rating"))[0] == "emil"


async def test_reputation_and_completed_sessions_lift_an_equal_match(app):
    twin = {"headline": "Pellet quality auditor", "categories": ["pellet-quality"]}
    a = await consultant(app, "ann", **twin)
    b = await consultant(app, "bea", **twin)
    assert (await search(app, text="pellet quality"))[0] == "ann"
    await rate(app, b.id, 49, 10, sessions=40)
    assert (await search(app, text="pellet quality"))[0] == "bea"
    assert a.id != b.id


async def test_at_most_two_featured_a_page_marked_and_counted_until_they_end(app, clock):
    root = await registered(app, "root")
    ids = [(await consultant(app, f"c{n}", categories=["pellet-quality"])).id for n in range(7)]
    async with app.uow() as uow:
        for consultant_id in ids[2:7]:
            await promotions.promote(uow, root.id, consultant_id, "pellet-quality", 7)
        await uow.commit()
    pages = []
    for page in range(3):
        async with app.uow() as uow:
            result = await Directory().search(uow, DirectoryQuery(
                category="pellet-quality", page=page, per_page=3), "Europe/Riga")
            await uow.commit()
        pages.append([(c.consultant_id, c.featured) for c in result.cards])
    assert result.total == 7 and result.pages == 3
    assert [sum(featured for _, featured in cards) for cards in pages] == [2, 2, 1]
    for cards in pages:
        assert sum(featured for _, featured in cards) <= 2
        flags = [featured for _, featured in cards]
        assert flags == sorted(flags, reverse=True)  # featured open the page
    shown = [i for cards in pages for i, _ in cards]
    assert sorted(shown) == sorted(ids)  # everyone once
    async with app.uow() as uow:
        counts = sorted(p.impressions for p in (await uow.session.execute(
            Promotion.__table__.select())).all())
    assert sum(counts) == sum(f for cards in pages for _, f in cards)
    clock.advance(days=7)
    async with app.uow() as uow:
        result = await Directory().search(uow, DirectoryQuery(category="pellet-quality"),
                                          "Europe/Riga")
    assert not any(card.featured for card in result.cards)  # ended by themselves


async def test_a_card_shows_the_next_free_slot_in_the_seekers_zone(app):
    await consultant(app, "ann")
    async with app.uow() as uow:
        page = await Directory().search(uow, DirectoryQuery(text="ann"), "America/New_York")
    [card] = page.cards
    assert card.next_free is not None and str(card.next_free.tzinfo) == "America/New_York"
    assert card.rate == "€80.00 per 60-minute session" and card.rating is None  # no ratings yet


async def test_the_directory_follows_profiles_after_each_commit(app):
    assert app.directory is not None
    ann = await consultant(app, "ann")
    async with app.uow() as uow:
        await app.directory.load(uow)
    assert len(app.directory.index) == 1
    kim = await consultant(app, "kim")
    assert len(app.directory.index) == 2
    async with app.uow() as uow:
        await profiles.leave_directory(uow, ann.id)
        await uow.commit()
    async with app.uow() as uow:
        page = await app.directory.search(uow, DirectoryQuery(), "UTC")
    assert [c.consultant_id for c in page.cards] == [kim.id]
