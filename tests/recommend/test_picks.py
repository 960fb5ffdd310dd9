"""Picks from known histories on in-memory sources (no database): what scores first and why, in
words; what is never picked. The same scoring on the database: `test_scoring.py`, and in chat
`test_picks_in_chat.py`; `test_sources_contract.py` holds the two sources alike."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.catalog.query import SearchQuery
from core.recommend.picks import recommend
from core.recommend.sources import SellerRating
from tests.recommend.fakes import MemorySources, latvian_pellets_come_first

ANN, SELLA, OTTO = 1, 10, 11


@pytest.fixture
def sources() -> MemorySources:
    return MemorySources()


async def test_a_buyer_who_bought_pellets_in_latvia_twice_is_offered_latvian_pellets_first(
        sources):
    sources.ratings = {SELLA: SellerRating(48, 12), OTTO: SellerRating(31, 12)}
    first = sources.add_listing(SELLA, "pellets", "Riga", price="230")
    second = sources.add_listing(SELLA, "pellets", "Daugavpils", price="240")
    sources.add_deal(ANN, first, days_ago=40)
    sources.add_deal(ANN, second, days_ago=10)
    latvian = sources.add_listing(SELLA, "pellets", "Daugavpils", price="235")
    polish = sources.add_listing(OTTO, "pellets", "Warsaw", price="235")
    biogas_riga = sources.add_listing(SELLA, "biogas", "Riga", price="60")
    own = sources.add_listing(ANN, "pellets", "Riga", price="230")

    picks = await recommend(sources, ANN, limit=10)
    latvian_pellets_come_first(picks, bought=(first, second), latvian=latvian, polish=polish,
                               not_offered=(own, biogas_riga))


async def test_recent_deals_count_more_than_old_ones(sources):
    sources.add_deal(ANN, sources.add_listing(SELLA, "chips", "Hamburg"), days_ago=700)
    sources.add_deal(ANN, sources.add_listing(SELLA, "briquettes", "Hamburg"), days_ago=5)
    chips = sources.add_listing(SELLA, "chips", "Hamburg")
    briquettes = sources.add_listing(SELLA, "briquettes", "Hamburg")
    order = [p.item_id for p in await recommend(sources, ANN)]
    assert order.index(briquettes) < order.index(chips)


async def test_a_cancelled_deal_says_nothing(sources):
    sources.add_deal(ANN, sources.add_listing(SELLA, "chips", "Hamburg"), days_ago=5,
                     status="cancelled")
    sources.add_listing(SELLA, "chips", "Hamburg")
    assert await recommend(sources, ANN) == []


async def test_sold_out_expired_and_paused_listings_are_never_picked(sources):
    sources.add_deal(ANN, sources.add_listing(SELLA, "pellets", "Riga"), days_ago=3)
    sold = sources.add_listing(SELLA, "pellets", "Riga")
    paused = sources.add_listing(SELLA, "pellets", "Riga")
    empty = sources.add_listing(SELLA, "pellets", "Riga")
    sources.listings[sold].status = "sold_out"
    sources.listings[paused].status = "paused"
    sources.listings[empty].left_milli = 0
    picked = {p.item_id for p in await recommend(sources, ANN)}
    assert picked and picked.isdisjoint({sold, paused, empty})
    sources.at += timedelta(days=120)  # every listing's time is up (valid 60 days)
    assert await recommend(sources, ANN) == []


async def test_saved_searches_watchlist_and_searches_give_their_own_reasons(sources):
    riga = SearchQuery(product_type="chips", lat=56.9496, lon=24.1052, max_km=100)
    sources.add_saved(ANN, riga.as_dict())
    watched = sources.add_listing(SELLA, "biochar", "Hamburg", title="Biochar for soil, big bags",
                                  price="900")
    sources.add_watch(ANN, watched)
    sources.add_search(ANN, "uco")
    sources.add_search(ANN, "uco", days_ago=2)
    chips = sources.add_listing(SELLA, "chips", "Daugavpils")
    biochar = sources.add_listing(SELLA, "biochar", "Hamburg", price="900")
    uco = sources.add_listing(SELLA, "uco", "Warsaw", price="900")
    picks = {p.item_id: p for p in await recommend(sources, ANN)}
    assert "you saved a search for wood chips near Riga" in picks[chips].reasons
    assert "you watched “Biochar for soil, big bags”" in picks[biochar].reasons
    assert watched not in picks  # already on the watchlist
    assert "you searched for used cooking oil twice" in picks[uco].reasons


async def test_a_session_leads_to_live_consultants_of_that_field_never_to_oneself(sources):
    met = sources.add_consultant(20, "Mia", ["pellet-quality"])
    live = sources.add_consultant(21, "Leo", ["pellet-quality", "logistics"], stars=(49, 10))
    sources.add_consultant(22, "Off", ["pellet-quality"], live=False)
    sources.add_consultant(23, "Far", ["legal"])
    sources.add_consultant(ANN, "Ann", ["pellet-quality"])  # she advises too
    sources.add_session(ANN, met, days_ago=12)
    picks = [p for p in await recommend(sources, ANN) if p.kind == "consultant"]
    assert [p.item_id for p in picks] == [live]
    assert picks[0].title == "Leo — Leo advises"
    assert picks[0].reasons == ("you had a session on pellet quality & certification",
                                "rated 4.9★")


async def test_a_held_out_deal_counts_only_before_the_cutoff(sources):
    bought = sources.add_listing(SELLA, "chips", "Hamburg")
    sources.add_deal(ANN, bought, days_ago=2)
    chips = sources.add_listing(SELLA, "chips", "Hamburg")
    assert {p.item_id for p in await recommend(sources, ANN)} == {bought, chips}
    assert await recommend(sources, ANN, before=sources.at - timedelta(days=3)) == []


async def test_someone_without_history_gets_no_picks(sources):
    sources.add_listing(SELLA, "pellets", "Riga")
    assert await recommend(sources, ANN) == []
