"""Picks from a known history on the database: what scores first and why, in words, and what
is never picked (one's own listing; a country alone). The scoring's other cases run on
in-memory sources (`test_picks.py`); `test_sources_contract.py` holds the two alike."""

from __future__ import annotations

from core.recommend.picks import recommend
from tests.catalog.helpers import make_account
from tests.recommend.fakes import latvian_pellets_come_first
from tests.recommend.helpers import (
    bought,
    listing,
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
    latvian_pellets_come_first(picks, bought=(first, second), latvian=latvian, polish=polish,
                               not_offered=(own, biogas_riga))
