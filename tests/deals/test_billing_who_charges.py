"""Only the one who charges is asked their VAT rate: a seller at their first deal is, a buyer
with a VAT number is not (their invoices carry the seller's rate). The seller's question runs
in memory; the buyer's goes on to the terms' document, which the database keeps."""

from __future__ import annotations

from decimal import Decimal

from core.accounts.service import find_account
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.money.model import Money
from tests.deals.chat_helpers import last_notice, trading_pair


async def _accepted_offer(app, listing_id: int) -> None:
    async with app.uow() as uow:
        bob = await find_account(uow, "terminal", "bob")
        sam = await find_account(uow, "terminal", "sam")
        offer = await offers.make_offer(uow, listing_id, bob.id, Terms(
            Decimal(100), Money.parse("220", "EUR"), "EXW", "Riga port"))
        await offers.accept(uow, offer.id, sam.id)
        await uow.commit()


async def _billing_up_to_the_vat_number(user, vat: str, opened: bool = False) -> None:
    if not opened:
        await user.tap("accept the terms")
    await user.tap("Keep")  # legal name
    await user.say("Street 1")
    await user.say("10148")
    await user.tap("Keep")  # town
    await user.tap("Keep")  # country
    await user.say(vat)


async def test_a_buyer_with_a_vat_number_is_not_asked_which_rate_they_charge(app):
    _sam, bob, listing_id = await trading_pair(app)
    await _accepted_offer(app, listing_id)
    await last_notice(app, bob, "accepted: deal #")
    await _billing_up_to_the_vat_number(bob, "EE100931558")
    assert "VAT rate" not in bob.texts() and "Billing details saved" in bob.texts()


async def test_a_seller_with_a_vat_number_is_asked_the_rate_they_charge():
    """In chat on the in-memory deal book (tests/deals/in_memory.py): the offer just accepted,
    Sam opens the terms from his notice's button."""
    from conversations.messages import Choice
    from core.process.deals import DealState
    from tests.deals.in_memory import deal_chat, person

    chat, book = deal_chat()
    deal_id = book.sale(DealState.AGREED)
    sam = person(chat, "sam")
    await sam.send(Choice(f"@do:deal_step:{deal_id}:accept-terms"))
    await _billing_up_to_the_vat_number(sam, "LV40003521600", opened=True)
    assert "VAT rate you charge (%)?" in sam.texts()
