"""Payment on terms in chat: the offer's payment offers "on terms" only to a buyer whose
company Agora approved for it; the seller's offer card says it; once both accept the terms the
deal card says the goods ship first and, once shipped, when the invoice is due."""

from __future__ import annotations

from sqlalchemy import select

from core.deals.after_sale import service as after_sale
from core.deals.tables import Deal, Offer
from tests.deals.chat_helpers import last_notice
from tests.deals.test_pay_on_terms import approved_company
from tests.support.chat import ChatUser

ON_TERMS = "On terms: invoice due 30 days after shipment (bank transfer)"


async def payment_choices(chat: ChatUser, listing_id: int) -> list[str]:
    """Open an offer, then its details up to the payment question: the choices offered."""
    await chat.say(f"/view {listing_id}")
    await chat.tap("Make an offer")
    await chat.say("20")
    await chat.say("200")
    await chat.tap("Change details")
    for _ in range(4):  # Incoterm, place, delivery from, delivery by: as they are
        await chat.tap("Keep")
    assert "Payment?" in chat.texts()
    return chat.labels()


async def test_an_approved_company_buyer_offers_on_terms_and_the_deal_card_says_what_it_means(
        app):
    sam, _alice, _anna, _fred, _bob, _root, listing_id, _company = await approved_company(app)
    outsider = ChatUser(app, "bob")
    assert not any("On terms" in label for label in await payment_choices(outsider, listing_id))

    buyer = ChatUser(app, "anna")
    assert ON_TERMS in await payment_choices(buyer, listing_id)
    await buyer.tap(ON_TERMS)
    await buyer.tap("Keep")  # open for 48 hours
    assert f"Payment: {ON_TERMS}" in buyer.texts()
    await buyer.tap("Send")
    assert "Sent (offer #" in buyer.texts()
    seller = ChatUser(app, "sam")
    assert f"Payment: {ON_TERMS}" in await last_notice(app, seller, "Offer #")
    await seller.tap("Accept")
    async with app.uow() as uow:
        offer = (await uow.session.execute(select(Offer))).scalar_one()
        deal = (await uow.session.execute(select(Deal))).scalar_one()
        assert (offer.payment_method, deal.payment_days) == ("net30", 30)
        deal_id = deal.id
    for party in (buyer, seller):  # both accept the terms in chat (billing details known)
        await last_notice(app, party, "agreed, paid on terms")
        await party.tap("accept the terms")
        await party.tap("Accept version 1")
    assert "Both parties have: ship the goods; the buyer's invoice goes out" in seller.texts()
    await last_notice(app, buyer, "with payment on terms")
    await buyer.tap("Open the deal")
    card = buyer.texts()
    assert "terms accepted — waiting for the seller to ship (paid on terms)" in card
    assert "on terms: the invoice comes when the goods ship, due 30 days later" in card
    assert "💳 Pay" not in buyer.labels()  # nothing to pay before the invoice
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", None, None)
        await uow.commit()
    await last_notice(app, buyer, "Your invoice for deal")
    assert "💳 Pay" in buyer.labels() and "🧾 Invoice" in buyer.labels()
    await last_notice(app, buyer, "with payment on terms")
    await buyer.tap("Open the deal")
    assert "invoiced on terms, due on" in buyer.texts()
    assert "💳 Pay" in buyer.labels()
    await buyer.tap("💳 Pay")  # the invoice is paid like any payment: by card or transfer
    assert "Payment of 4 840,00 € for deal #" in buyer.texts().replace("\xa0", " ")
    assert "🏦 Pay by bank transfer" in buyer.labels()
    assert "🤝 Arrange payment directly" not in buyer.labels()  # an invoice is paid to Agora


async def test_accepting_a_deal_on_terms_says_the_invoice_follows_the_goods_not_a_payment(app):
    _sam, _alice, _anna, _fred, _bob, _root, listing_id, _company = await approved_company(app)
    buyer, seller = ChatUser(app, "anna"), ChatUser(app, "sam")
    await payment_choices(buyer, listing_id)
    await buyer.tap(ON_TERMS)
    await buyer.tap("Keep")  # open for 48 hours
    await buyer.tap("Send")
    await last_notice(app, seller, "Offer #")
    await seller.tap("Accept")
    accepted = seller.texts()
    assert "paid on terms" in accepted and "due 30 days later" in accepted
    assert "payment opens" not in accepted
    await last_notice(app, buyer, "agreed, paid on terms")
    await buyer.tap("accept the terms")
    await buyer.tap("Accept version 1")
    told = await last_notice(app, seller, "accepted version 1")
    assert "Payment opens" not in told
    assert "you ship; the buyer's invoice goes out as you mark the goods shipped, due 30 days " \
        "later" in told
