"""A seller says whether the price is fixed or open to offers right where the price is asked,
one tap, with their last listing's choice offered to keep."""

from __future__ import annotations

from sqlalchemy import select

from core.catalog.tables import Listing
from tests.catalog.helpers import answer_form, make_account
from tests.support.chat import ChatUser


async def _start(sam: ChatUser) -> None:
    await sam.say("/sell")
    await sam.tap("Wood pellets")
    await answer_form(sam, ["500 t", "230"])


async def test_the_price_is_followed_by_a_one_tap_fixed_or_open_to_offers_question(app):
    await make_account(app, "sam")
    sam = ChatUser(app, "sam")
    await _start(sam)
    assert "Fixed price or open to offers?" in sam.texts(), sam.texts()
    assert {"Fixed price", "Open to offers"} <= set(sam.labels())
    await sam.tap("Open to offers")
    await answer_form(sam, ["Riga", ["Pickup"]])
    assert "(negotiable)" in sam.texts(), sam.texts()
    await sam.tap("Publish")
    async with app.uow() as uow:
        assert (await uow.session.execute(select(Listing.negotiable))).scalar_one() is True

    await _start(sam)  # the next listing offers the last choice to keep
    assert "Keep “Open to offers”" in sam.labels(), sam.labels()
    await sam.tap("Fixed price")
    await sam.tap("Keep")  # the place
    await sam.tap("Done")  # the delivery options as they were
    assert "(fixed)" in sam.texts(), sam.texts()
