"""A seller says whether the price is fixed or open to offers right where the price is asked,
one tap, with their last listing's choice offered to keep (in chat, the catalogue in memory)."""

from __future__ import annotations

from tests.catalog.helpers import answer_form
from tests.catalog.in_memory import market, member
from tests.support.chat import ChatUser


async def _start(sam: ChatUser) -> None:
    await sam.say("/sell")
    await sam.tap("Wood pellets")
    await answer_form(sam, ["500 t", "230"])


async def test_the_price_is_followed_by_a_one_tap_fixed_or_open_to_offers_question():
    chat, stock = market()
    sam = member(chat, stock, "sam")
    await _start(sam)
    assert "Fixed price or open to offers?" in sam.texts(), sam.texts()
    assert {"Fixed price", "Open to offers"} <= set(sam.labels())
    await sam.tap("Open to offers")
    await answer_form(sam, ["Riga", ["Pickup"]])
    assert "(negotiable)" in sam.texts(), sam.texts()
    await sam.tap("Publish")
    assert [listing.negotiable for listing in stock.listings.values()] == [True]

    await _start(sam)  # the next listing offers the last choice to keep
    assert "Keep “Open to offers”" in sam.labels(), sam.labels()
    await sam.tap("Fixed price")
    await sam.tap("Keep")  # the place
    await sam.tap("Done")  # the delivery options as they were
    assert "(fixed)" in sam.texts(), sam.texts()
