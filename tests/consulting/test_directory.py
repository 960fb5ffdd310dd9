"""The consultant directory: typo-tolerant search over names, expertise, keywords and bio;
filters and sorts; reputation and completed sessions lift the rank; at most two featured
consultants a page, marked, until their promotion ends. The clock starts on Friday 20 November
2026 at 12:00 UTC.

The search runs on an in-memory listing (no database), its consultants put live by the
profiles' use cases on an in-memory roster; `test_listing_contract.py` holds the listing to the
SQL one. On the database: the index following each commit (below), and the seekers' search in
chat (`test_consultant_chat.py`)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.catalog.media import FileStore
from core.consulting.profiles import rules
from core.consulting.profiles import service as profiles
from core.consulting.profiles.directory import Directory, DirectoryQuery
from tests.consulting import helpers
from tests.consulting.fakes import MemoryListing, live_consultant

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



@pytest.fixture
def listing() -> MemoryListing:
    return MemoryListing()


@pytest.fixture
def store(tmp_path) -> FileStore:
    return FileStore(tmp_path / "files")


async def consultant(listing: MemoryListing, store: FileStore, name: str, **fields) -> int:
    """A registered consultant named `name`, live with a complete profile."""
    account_id = listing.roster.person(len(listing.names) + 1)
    listing.names[account_id] = name.title()
    return await live_consultant(listing.roster, store, account_id, **fields)


async def four(listing, store) -> dict[str, int]:
    """The four consultants of PEOPLE, live."""
    return {name: await consultant(listing, store, name, **fields)
            for name, fields in PEOPLE.items()}


async def search(listing, **query) -> list[str]:
    page = await Directory().search(listing, DirectoryQuery(**query), "Europe/Riga")
    return [card.name.lower() for card in page.cards]


def rate(listing, consultant_id, stars_total, ratings, sessions=0):
    """Published ratings and completed sessions (what the reviews and sessions keep)."""
    listing.roster.kept[consultant_id].update(stars_total=stars_total, ratings=ratings,
                                              sessions_completed=sessions)


@pytest.mark.parametrize(("words", "first"), [
    ("pelet qualty", "ann"), ("biogass", "carl"), ("anerobic digestion", "carl"),
    ("complaince", "dina"), ("Emil", "emil"), ("enplus", "ann"), ("red iii", "dina"),
    ("chips", "emil"),
])
async def test_a_search_with_typos_finds_the_consultant(listing, store, words, first):
    await four(listing, store)
    found = await search(listing, text=words)
    assert found and found[0] == first


async def test_filters_narrow_by_category_price_language_and_rating(listing, store):
    ids = await four(listing, store)
    assert await search(listing, category="biomass-sourcing") == ["emil"]
    assert set(await search(listing, price_min=13000, price_max=16000)) == {"carl"}  # per hour
    assert set(await search(listing, price_max=12000)) == {"ann", "emil"}  # €120/h: Emil's 30 min
    assert set(await search(listing, language="fr")) == {"dina"}
    assert await search(listing, language="ja") == []
    rate(listing, ids["carl"], 50, 10)
    rate(listing, ids["ann"], 30, 10)  # the market's mean is 4.0 stars
    assert await search(listing, min_rating=Decimal("4.4")) == ["carl"]


async def test_online_now_and_free_within_days_read_the_live_state(listing, store):
    ids = await four(listing, store)
    await profiles.set_online(listing.roster, ids["dina"], True)
    await profiles.save(listing.roster, ids["carl"], days_off=[
        (listing.now() + timedelta(days=d)).date().isoformat() for d in range(0, 5)])
    assert await search(listing, online_now=True) == ["dina"]
    listing.roster.at += timedelta(minutes=31)
    assert await search(listing, online_now=True) == []
    assert "carl" not in await search(listing, free_within_days=3, per_page=10)
    assert "carl" in await search(listing, free_within_days=7, per_page=10)


async def test_a_held_time_is_not_free(listing, store):
    ann = await consultant(listing, store, "ann", weekly_hours={"fri": [["13:00", "17:00"]]},
                           notice_minutes=0, buffer_minutes=0)
    [card] = (await Directory().search(listing, DirectoryQuery(), "UTC")).cards
    assert card.next_free == listing.now()  # 14:00 in Riga, within her Friday hours
    listing.held[ann] = [(listing.now(), listing.now() + timedelta(hours=1))]  # a booking
    [card] = (await Directory().search(listing, DirectoryQuery(), "UTC")).cards
    assert card.next_free == listing.now() + timedelta(hours=1)


async def test_sorts_by_price_and_by_rating(listing, store):
    ids = await four(listing, store)
    assert await search(listing, sort="price") == ["ann", "emil", "carl", "dina"]
    rate(listing, ids["emil"], 48, 10)
    rate(listing, ids["ann"], 4, 1)
    assert (await search(listing, sort="rating"))[0] == "emil"


async def test_reputation_and_completed_sessions_lift_an_equal_match(listing, store):
    twin = {"headline": "Pellet quality auditor", "categories": ["pellet-quality"]}
    a = await consultant(listing, store, "ann", **twin)
    b = await consultant(listing, store, "bea", **twin)
    assert (await search(listing, text="pellet quality"))[0] == "ann"
    rate(listing, b, 49, 10, sessions=40)
    assert (await search(listing, text="pellet quality"))[0] == "bea"
    assert a != b


async def test_at_most_two_featured_a_page_marked_and_counted_until_they_end(listing, store):
    ids = [await consultant(listing, store, f"c{n}", categories=["pellet-quality"])
           for n in range(7)]
    for consultant_id in ids[2:7]:
        listing.promote(consultant_id, "pellet-quality", listing.now(),
                        rules.ends_at(listing.now(), 7))
    pages = []
    for page in range(3):
        result = await Directory().search(listing, DirectoryQuery(
            category="pellet-quality", page=page, per_page=3), "Europe/Riga")
        pages.append([(c.consultant_id, c.featured) for c in result.cards])
    assert result.total == 7 and result.pages == 3
    assert [sum(featured for _, featured in cards) for cards in pages] == [2, 2, 1]
    for cards in pages:
        assert sum(featured for _, featured in cards) <= 2
        flags = [featured for _, featured in cards]
        assert flags == sorted(flags, reverse=True)  # featured open the page
    shown = [i for cards in pages for i, _ in cards]
    assert sorted(shown) == sorted(ids)  # everyone once
    counts = sorted(p.impressions for p in listing.promotions)
    assert sum(counts) == sum(f for cards in pages for _, f in cards)
    listing.roster.at += timedelta(days=7)
    result = await Directory().search(listing, DirectoryQuery(category="pellet-quality"),
                                      "Europe/Riga")
    assert not any(card.featured for card in result.cards)  # ended by themselves


async def test_a_card_shows_the_next_free_slot_in_the_seekers_zone(listing, store):
    await consultant(listing, store, "ann")
    page = await Directory().search(listing, DirectoryQuery(text="ann"), "America/New_York")
    [card] = page.cards
    assert card.next_free is not None and str(card.next_free.tzinfo) == "America/New_York"
    assert card.rate == "€80.00 per 60-minute session" and card.rating is None  # no ratings yet


async def test_the_directory_follows_profiles_after_each_commit(app):
    assert app.directory is not None
    ann = await helpers.consultant(app, "ann")
    async with app.uow() as uow:
        await app.directory.load(uow)
    assert len(app.directory.index) == 1
    kim = await helpers.consultant(app, "kim")
    assert len(app.directory.index) == 2
    async with app.uow() as uow:
        await profiles.leave_directory(uow, ann.id)
        await uow.commit()
    async with app.uow() as uow:
        page = await app.directory.search(uow, DirectoryQuery(), "UTC")
    assert [c.consultant_id for c in page.cards] == [kim.id]
