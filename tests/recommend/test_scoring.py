"""Picks from known histories: what scores first and why, in words; what is never picked."""

from __future__ import annotations

from core.catalog import lifecycle
from core.recommend.picks import recommend
from tests.catalog.helpers import make_account
from tests.recommend.helpers import (
    bought,
    consultant,
    had_session,
    listing,
    saved_near,
    searched,
    watching,
)


async def _picks(app, account_id, **kw):
    async with app.uow() as uow:
        return await recommend(uow, account_id, **kw)


async def test_a_buyer_who_bought_pellets_in_latvia_twice_is_offered_latvian_pellets_first(app):
    seller = await make_account(app, "terminal:sella", rating_x10=48)
    other = await make_account(app, "terminal:otto", country="PL", city="Warsaw", rating_x10=31)
    ann = await make_account(app, "ann", roles=("buyer", "seller"))
    first = await listing(app, seller, "pellets", "Riga", price="230")
    second = await listing(app, seller, "pellets", "Daugavpils", price="240")
    await bought(app, ann, first, days_ago=40)
    await bought(app, ann, second, days_ago=10)
    latvian = await listing(app, seller, "pellets", "Daugavpils", price="235")
    polish = await listing(app, other, "pellets", "Warsaw", price="235")
    biogas_riga = await listing(app, seller, "biogas", "Riga", price="60")
    own = await listing(app, ann, "pellets", "Riga", price="230")

    picks = await _picks(app, ann.id, limit=10)
    order = [p.item_id for p in picks]
    assert order.index(latvian) < order.index(polish)
    assert own not in order and biogas_riga not in order  # a country alone is no reason
    top = picks[0]
    assert top.kind == "listing" and top.item_id in (first, second, latvian)
    assert "you bought wood pellets in Latvia twice" in top.reasons
    assert any(r.startswith("near the ") and r.endswith("/MWh you paid") for r in top.reasons)
    assert "seller rated 4.8★" in top.reasons
    polish_pick = next(p for p in picks if p.item_id == polish)
    assert polish_pick.reasons[0] == "you bought wood pellets twice"


async def test_recent_deals_count_more_than_old_ones(app):
    seller = await make_account(app, "terminal:sella")
    ann = await make_account(app, "ann", roles=("buyer",))
    await bought(app, ann, await listing(app, seller, "chips", "Hamburg"), days_ago=700)
    await bought(app, ann, await listing(app, seller, "briquettes", "Hamburg"), days_ago=5)
    chips = await listing(app, seller, "chips", "Hamburg")
    briquettes = await listing(app, seller, "briquettes", "Hamburg")
    order = [p.item_id for p in await _picks(app, ann.id)]
    assert order.index(briquettes) < order.index(chips)


async def test_sold_out_expired_and_paused_listings_are_never_picked(app, clock):
    seller = await make_account(app, "terminal:sella")
    ann = await make_account(app, "ann", roles=("buyer",))
    await bought(app, ann, await listing(app, seller, "pellets", "Riga"), days_ago=3)
    sold = await listing(app, seller, "pellets", "Riga")
    paused = await listing(app, seller, "pellets", "Riga")
    async with app.uow() as uow:
        await lifecycle.act(uow, sold, seller.id, "sold")
        await lifecycle.act(uow, paused, seller.id, "pause")
        await uow.commit()
    assert {p.item_id for p in await _picks(app, ann.id)}.isdisjoint({sold, paused})
    clock.advance(days=120)  # every listing's time is up (valid 60 days, expiry not yet swept)
    assert await _picks(app, ann.id) == []


async def test_saved_searches_watchlist_and_searches_give_their_own_reasons(app):
    seller = await make_account(app, "terminal:sella")
    ann = await make_account(app, "ann", roles=("buyer",))
    await saved_near(app, ann, "chips", "Riga")
    watched = await listing(app, seller, "biochar", "Hamburg", title="Biochar for soil, big bags",
                            price="900")
    await watching(app, ann, watched)
    await searched(app, ann, "uco")
    await searched(app, ann, "uco", days_ago=2)
    chips = await listing(app, seller, "chips", "Daugavpils")
    biochar = await listing(app, seller, "biochar", "Hamburg", price="900")
    uco = await listing(app, seller, "uco", "Warsaw", price="900")
    picks = {p.item_id: p for p in await _picks(app, ann.id)}
    assert "you saved a search for wood chips near Riga" in picks[chips].reasons
    assert "you watched “Biochar for soil, big bags”" in picks[biochar].reasons
    assert watched not in picks  # already on the watchlist
    assert "you searched for used cooking oil twice" in picks[uco].reasons


async def test_a_session_leads_to_live_consultants_of_that_field_never_to_oneself(app):
    ann = await make_account(app, "ann", roles=("buyer", "consultant"))
    met = await consultant(app, "terminal:mia", ["pellet-quality"])
    live = await consultant(app, "terminal:leo", ["pellet-quality", "logistics"], stars=(49, 10))
    await consultant(app, "terminal:off", ["pellet-quality"], live=False)
    await consultant(app, "terminal:far", ["legal"])
    await had_session(app, ann, met, days_ago=12)
    async with app.uow() as uow:
        from core.consulting.tables import ConsultantProfile

        uow.add(ConsultantProfile(account_id=ann.id, categories=["pellet-quality"], live=True,
                                  created_at=uow.clock.now(), updated_at=uow.clock.now()))
        await uow.commit()
    picks = [p for p in await _picks(app, ann.id) if p.kind == "consultant"]
    assert [p.item_id for p in picks] == [live.id]
    assert picks[0].reasons == ("you had a session on pellet quality & certification",
                                "rated 4.9★")


async def test_someone_without_history_gets_no_picks(app):
    ann = await make_account(app, "ann", roles=("buyer",))
    assert await _picks(app, ann.id) == []
