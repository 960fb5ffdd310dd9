"""The listing conversation as a new seller meets it: only what applies is asked, defaults are
one tap, Cancel inside an edit returns to the preview, and what Cancel says is true: in chat with
the catalogue and its search index in memory (`in_memory.market`); the same form on the database
in `test_listing_terminal.py`."""

from __future__ import annotations

from conversations.messages import Choice, ListPage
from tests.catalog.fakes import MemoryStock, published
from tests.catalog.helpers import PELLETS, answer_form, list_pellets
from tests.catalog.in_memory import account_of, market, member
from tests.support.chat import ChatUser


async def seller() -> tuple[ChatUser, MemoryStock]:
    chat, stock = market()
    sam = member(chat, stock, "sam")
    await sam.say("/sell")
    await sam.tap("Wood pellets")
    return sam, stock


def statuses(stock: MemoryStock) -> list[str]:
    return [listing.status for listing in stock.listings.values()]


async def test_pickup_only_asks_neither_a_radius_nor_an_incoterms_place():
    sam, _stock = await seller()
    await answer_form(sam, ["500 t", "230", "Fixed price", "Riga", ["Pickup"]])
    assert "Preview" in sam.texts() and "Incoterms place" not in sam.texts()


async def test_a_number_far_out_of_range_gets_the_fields_own_message():
    sam, _stock = await seller()
    await sam.say("1e99")
    assert "Quantity available must be a number" in sam.texts()
    assert "Quantity available?" in sam.texts()


async def test_the_second_listing_starts_from_the_first_ones_place_and_delivery():
    user = member(*market(), "sam")
    await list_pellets(user, details={})
    await user.say("/sell")
    await user.tap("Wood chips")
    await user.say("900 loose m3")
    await user.say("18")
    assert "Keep “Fixed price”" in user.labels()  # the first listing's choice
    await user.tap("Keep")
    assert "Keep “Riga, Latvia”" in user.labels()
    await user.tap("Keep")
    assert "✓ Pickup" in user.labels() and "✓ EXW" in user.labels()
    await user.tap("Done")
    assert "Keep “Riga port”" in user.labels()
    await user.tap("Keep")
    assert "Preview" in user.texts()


async def test_cancel_inside_an_edit_returns_to_the_preview_and_keeps_the_draft():
    sam, stock = await seller()
    await answer_form(sam, PELLETS)
    await sam.tap("Add details")
    await sam.tap("Title")
    await sam.tap("Cancel")
    assert "Edit cancelled — nothing changed." in sam.texts() and "Preview" in sam.texts()
    assert statuses(stock) == ["draft"]


async def test_discarding_a_new_listing_deletes_its_draft_and_says_so():
    sam, stock = await seller()
    await answer_form(sam, PELLETS)
    await sam.say("/cancel")
    assert "Discard" in sam.texts()
    await sam.tap("Discard")
    assert "Cancelled a new listing. The draft was deleted." in sam.texts()
    assert statuses(stock) == ["closed"]


async def test_keeping_it_as_a_draft_says_where_to_find_it():
    sam, _stock = await seller()
    await answer_form(sam, PELLETS)
    await sam.tap("Keep as draft")
    assert "Saved as a draft. Find it under “My listings”." in sam.texts()


async def test_a_card_opened_from_results_has_one_back_and_watching_edits_it_in_place():
    chat, stock = market()
    member(chat, stock, "sam")
    await published(stock, account_of(chat, "sam"))
    bob = member(chat, stock, "bob", roles=("buyer",))
    await bob.say("/search pellets")
    page = next(r for r in bob.last if isinstance(r, ListPage))
    await bob.send(Choice(page.items[0].button.data))
    assert bob.labels().count("◀ Back") == 1 and "✔ Done" not in bob.labels()
    replies = await bob.send(Choice(bob.button("Save to watchlist").data))
    assert len(replies) == 1 and "Saved to your watchlist" in bob.texts()
    assert "Remove from watchlist" in " ".join(bob.labels())
