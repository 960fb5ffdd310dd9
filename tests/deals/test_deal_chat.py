"""A whole deal in chat, through the engine: ask the seller, offer, counter twice, accept,
terms accepted by both, pay in the sandbox, ship, deliver, confirm, release, rate both ways —
and what each side was told at every step."""

from __future__ import annotations

from sqlalchemy import select

from core.deals.ratings.tables import Rating
from core.deals.tables import Deal
from core.money.model import Money
from tests.deals.chat_helpers import give_billing, last_notice, trading_pair


async def test_a_negotiated_deal_runs_from_question_to_ratings_in_chat(app):
    sam, bob, listing_id = await trading_pair(app)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Ask the seller")
    await bob.say("Is it bagged? Call me on +371 2612 3456")
    assert "Contact details were hidden" in bob.texts()
    text = await last_notice(app, sam, "Is it bagged")
    assert "+371" not in text and "hidden until a deal is agreed" in text
    await sam.tap("Reply")
    await sam.say("Yes, 15 kg bags on pallets.")
    assert "Yes, 15 kg bags" in await last_notice(app, bob, "15 kg")

    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.say("100")  # quantity
    await bob.say("200")  # price per tonne
    assert "100 t × 200,00\xa0€" in bob.texts()
    await bob.tap("Send")
    assert "Sent (offer #" in bob.texts()
    card = await last_notice(app, sam, "Offer #")
    assert "= 20\xa0000,00\xa0€" in card and "commission" in card and "/MWh" in card
    await sam.tap("Counter")
    await sam.tap("Keep")  # quantity stays
    await sam.say("225")
    await sam.tap("Send")
    card = await last_notice(app, bob, "Counter-offer")
    assert "Changed since the last round: price" in card
    await bob.tap("Counter")
    await bob.tap("Keep")
    await bob.say("215")
    await bob.tap("Send")
    await last_notice(app, sam, "215,00")
    await sam.tap("Accept")
    assert "deal #" in sam.texts()

    terms_notice = await last_notice(app, bob, "accepted: deal #")
    assert "terms are attached" in terms_notice
    await bob.tap("accept the terms")
    await bob.tap("Keep")  # the legal name
    await bob.say("Pärnu mnt 10")
    await bob.say("10148")
    await bob.tap("Keep")
    await bob.tap("Keep")
    await bob.say("LV123")  # a VAT number that is not Latvian nor valid: asked again
    assert "VAT" in bob.texts()
    await bob.tap("Skip")
    assert "Billing details saved" in bob.texts()
    await bob.tap("Accept version 1")
    assert "Waiting for the other party" in bob.texts()
    await last_notice(app, sam, "accepted: deal #")
    await sam.tap("accept the terms")
    await give_billing(sam, "Brīvības iela 1", "LV-1010", "LV40003521600")
    assert "the seller charges VAT 21% on this sale (4\xa0515,00\xa0€), so the buyer pays " \
        "26\xa0015,00\xa0€" in sam.texts(), sam.texts()
    await sam.tap("Accept version 1")
    assert "Both parties have" in sam.texts()

    # Sam charges Latvian VAT (21 %) to Bob in Tallinn, who has no VAT number: on top.
    await last_notice(app, bob, "Pay 26\xa0015,00\xa0€ into escrow")
    await bob.tap("Pay")
    await bob.say("4242 4242 4242 4242")
    assert "Paid" in bob.texts()
    async with app.uow() as uow:
        status, seller_id = (await uow.session.execute(select(Deal.status, Deal.seller_id))).one()
    assert status == "to_ship"
    assert "Ship by" in await last_notice(app, sam, "Ship by")

    await sam.tap("Mark shipped")
    await sam.say("DSV")
    await sam.say("CMR-77")
    await sam.tap("Skip")
    assert "Marked shipped" in sam.texts()
    await last_notice(app, bob, "on the way")
    await bob.tap("Confirm delivery")
    await bob.tap("Yes: the goods arrived")
    assert "Done" in bob.texts()
    wallet = await app.payments.wallet(seller_id)
    price, vat = Money.parse("21500", "EUR"), Money.parse("4515", "EUR")
    assert wallet.paid_out == [price + vat - app.payments.commission_for("bioenergy", price)]

    await last_notice(app, bob, "Deal completed")
    await bob.tap("Rate")
    await bob.tap("★★★★★")
    for _ in range(3):
        await bob.tap("Skip")
    await bob.tap("Skip")
    assert "rating shows once" in bob.texts()
    await last_notice(app, sam, "Deal completed")
    await sam.tap("Rate")
    await sam.tap("★★★★")
    await sam.tap("Skip")
    await sam.tap("Skip")
    await sam.say("Paid on time, thanks")
    assert "May Agora quote your comment on its website?" in sam.texts()
    await sam.tap("No")  # offered after a comment, one tap either way
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(Rating.published_at, Rating.quote_ok))).all()
    assert len(rows) == 2 and all(published for published, _ in rows)
    assert not any(quote_ok for _, quote_ok in rows)
    await bob.say(f"/view {listing_id}")
    assert "★ " in bob.texts() and "from 1 rating · 1 deal completed" in bob.texts()
