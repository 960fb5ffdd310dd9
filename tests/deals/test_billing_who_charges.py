"""Only the one who charges is asked their VAT rate: a seller at their first deal is, a buyer
with a VAT number is not (their invoices carry the seller's rate). Both run in chat on the
in-memory deal book (the terms' PDF read through the deal's folder)."""

from __future__ import annotations

from dataclasses import replace

from conversations.messages import Choice
from core.process.deals import DealState
from tests.deals.in_memory import deal_chat, person


async def _billing_up_to_the_vat_number(user, vat: str, opened: bool = False) -> None:
    if not opened:
        await user.tap("accept the terms")
    await user.tap("Keep")  # legal name
    await user.say("Street 1")
    await user.say("10148")
    await user.tap("Keep")  # town
    await user.tap("Keep")  # country
    await user.say(vat)


async def test_a_buyer_with_a_vat_number_is_not_asked_which_rate_they_charge():
    """In chat on the in-memory deal book: the offer just accepted, Bob (in Tallinn, as on the
    database) opens the terms from his notice's button and reads their PDF after his billing."""
    chat, book = deal_chat()
    deal_id = book.sale(DealState.AGREED)
    held = chat.turns.members["terminal", "bob"]
    chat.turns.members["terminal", "bob"] = replace(held, country="EE", city="Tallinn")
    bob = person(chat, "bob")
    await bob.send(Choice(f"@do:deal_step:{deal_id}:accept-terms"))
    await _billing_up_to_the_vat_number(bob, "EE100931558", opened=True)
    assert "VAT rate" not in bob.texts() and "Billing details saved" in bob.texts()


async def test_a_seller_with_a_vat_number_is_asked_the_rate_they_charge():
    """In chat on the in-memory deal book (tests/deals/in_memory.py): the offer just accepted,
    Sam opens the terms from his notice's button."""
    chat, book = deal_chat()
    deal_id = book.sale(DealState.AGREED)
    sam = person(chat, "sam")
    await sam.send(Choice(f"@do:deal_step:{deal_id}:accept-terms"))
    await _billing_up_to_the_vat_number(sam, "LV40003521600", opened=True)
    assert "VAT rate you charge (%)?" in sam.texts()
