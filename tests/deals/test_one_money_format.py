"""One reader, one money format: every amount a person sees in a deal journey — the offer's
preview, its card, the deal's notices — is written the way their invoices write it, and the
total previewed is the total the deal charges."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.deals.deals import total
from core.deals.tables import Deal
from core.money.model import Money
from tests.deals.chat_helpers import last_notice, told, trading_pair

# An amount followed by a currency code: the “23,000.00 EUR” form people should not see.
CODE_SUFFIXED = re.compile(r"\d[\d.,\s]*\s?(EUR|USD|GBP|SEK)\b")


async def test_a_deal_journey_shows_one_money_format_and_the_preview_total_is_the_deal_total(app):
    sam, bob, listing_id = await trading_pair(app, price="250.05", min_order="0.1")
    seen: list[str] = []
    await bob.say(f"/view {listing_id}")
    seen.append(bob.texts())
    await bob.tap("Make an offer")
    await bob.say("0.1")
    await bob.say("250.05")
    preview = bob.texts()
    seen.append(preview)
    # Bob lives in Estonia: amounts read “25,01 €” for him, as on his invoices.
    assert Money(2501, "EUR").format("et_EE") in preview, preview
    await bob.tap("Send")
    seen.append(bob.texts())
    card = await last_notice(app, sam, "Offer #")
    assert Money(2501, "EUR").format("lv_LV") in card, card  # Sam reads it the Latvian way
    await sam.tap("Accept")
    async with app.uow() as uow:
        deal = (await uow.session.execute(select(Deal))).scalar_one()
        assert total(deal) == Money(2501, "EUR")
    seen += [str(p.get("text")) for p in await told(app, "bob")]
    for text in seen:
        assert not CODE_SUFFIXED.search(text), text
        assert "€25.01" not in text and "€250.05" not in text, text


async def test_escrow_names_only_the_payment_methods_the_provider_accepts(app):
    """The sandbox takes a (test) card and a (test) bank transfer, and the offer says so; a
    provider taking cards only never has a bank transfer promised."""
    from core.deals.offers.facts import payment_words

    sam, bob, listing_id = await trading_pair(app)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.say("100")
    await bob.say("200")
    assert "Payment: Escrow through Agora (card or bank transfer)" in bob.texts(), bob.texts()
    await bob.tap("Send")
    card = await last_notice(app, sam, "Offer #")
    assert "Payment: Escrow through Agora" in card  # the seller's card names no method
    assert payment_words("escrow", ("card",)) == "Escrow through Agora (card)"
    assert payment_words("escrow", ()) == "Escrow through Agora"


