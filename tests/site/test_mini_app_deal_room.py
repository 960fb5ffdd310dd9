"""The Mini App's deal room over HTTP: a party opens a deal from My deals and takes each of their
steps there — accept the terms (billing details first, as the chat asks them), pay on the pay
page, ship with the chat's shipment details, confirm delivery and quality, rate — through the
chat's core services, so the other party hears as from the chat. Only the deal's two parties
read it; a step that is not theirs, or no longer possible, is refused with the deal as it is
now; nothing is read without Telegram's initData, and the terms' PDF only by a link signed
for its reader."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.tables import Deal
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.deals.chat_helpers import agreed_between, status_of
from tests.site.test_mini_app import defaults, signed
from tests.support.outbox import told, told_texts

SELLER, BUYER, STRANGER = 7101, 7102, 7103
BILLING = {"legal_name": "Bea Buyer SIA", "street": "Brivibas 1", "postcode": "LV-1010",
           "town": "Riga", "country": "LV"}


async def _people(app: Any) -> tuple[Any, Any]:
    seller = await make_account(app, str(SELLER), channel="telegram")
    buyer = await make_account(app, str(BUYER), channel="telegram", roles=("buyer",))
    return seller, buyer


async def _agreed(app: Any, seller: Any, buyer: Any) -> int:
    """A deal the seller agreed to on the buyer's offer: its terms wait for both."""
    listing = await publish(app, seller, negotiable="yes", min_order="20", quantity="500")
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing, buyer.id, Terms(
            Decimal("100"), Money.parse("220", "EUR"), "EXW", "Riga port"))
        deal = await offers.accept(uow, offer.id, seller.id)
        await uow.commit()
        return int(deal.id)


async def _shipped(app: Any, seller: Any, buyer: Any) -> int:
    """A deal paid into escrow and shipped (through the services)."""
    listing = await publish(app, seller, negotiable="yes", min_order="20", quantity="500")
    deal_id = await agreed_between(app, listing, buyer.id, seller.id, "100", "220")
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, seller.id, "DSV", "CMR-77", None)
        await uow.commit()
    return deal_id


def _link(html: str, start: str) -> str:
    return start + html.split(f'href="{start}')[1].split('"')[0]


async def test_each_party_takes_their_steps_in_the_room_and_the_other_hears_in_the_chat(
        site_app, web, clock):
    seller, buyer = await _people(site_app)
    deal_id = await _agreed(site_app, seller, buyer)
    bea, sam = signed(clock, BUYER), signed(clock, SELLER)
    mine = await web.get("/app/part/deals", headers=bea)
    assert f'href="/app/deals/{deal_id}"' in mine.text  # My deals opens the room

    room = await web.get(f"/app/part/deals/{deal_id}", headers=bea)
    assert room.status_code == 200 and room.headers["x-app-location"] == f"/app/deals/{deal_id}"
    # The frozen terms in her words and figures (a Latvian account: “220,00 €”).
    for words in (f"Deal #{deal_id}", "You are the buyer", "Wood pellets, ENplus A1", "100 t",
                  "220,00\xa0€ per t", "EXW", "Riga port", "Escrow through Agora", "📄 Terms (PDF)"):
        assert words in room.text, words
    assert f'href="/app/deals/{deal_id}/sign-terms"' in room.text
    assert "Mark shipped" not in room.text and "/pay/" not in room.text  # not hers, not yet

    # Accepting asks the billing details first, as the chat does; a missing one is named.
    step = await web.get(f"/app/part/deals/{deal_id}/sign-terms", headers=bea)
    assert 'name="street"' in step.text and "Accept version 1" in step.text
    sha = defaults(step.text)["sha256"]
    wrong = await web.post(f"/app/part/deals/{deal_id}/sign-terms", headers=bea,
                           data={**BILLING, "street": "", "sha256": sha})
    assert wrong.status_code == 400 and "is required" in wrong.text
    accepted = await web.post(f"/app/part/deals/{deal_id}/sign-terms", headers=bea,
                              data={**BILLING, "sha256": sha})
    assert accepted.status_code == 200
    assert "Waiting for the other party to accept the same version" in accepted.text
    assert await told(site_app, seller.id, "accepted version 1 of the terms")
    seller_step = await web.get(f"/app/part/deals/{deal_id}/sign-terms", headers=sam)
    both = await web.post(f"/app/part/deals/{deal_id}/sign-terms", headers=sam, data={
        **defaults(seller_step.text), **BILLING, "legal_name": "Sam Seller SIA"})
    assert "payment is open" in both.text, both.text
    assert await told(site_app, buyer.id, "Both accepted the terms. Pay")

    # Paying opens the pay page, outside the app.
    room = await web.get(f"/app/part/deals/{deal_id}", headers=bea)
    pay = _link(room.text, "https://agora.example/pay/")
    assert 'rel="external' in room.text.split(pay)[1][:40]
    page = await web.get(pay.removeprefix("https://agora.example"))
    assert page.status_code == 200 and "000,00" in page.text
    escrow = await site_app.payments.by_reference(deals.reference(deal_id))
    await site_app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")

    # The seller ships with the chat's shipment details; the buyer hears it in the chat.
    room = await web.get(f"/app/part/deals/{deal_id}", headers=sam)
    assert f'href="/app/deals/{deal_id}/mark-shipped"' in room.text
    form = await web.get(f"/app/part/deals/{deal_id}/mark-shipped", headers=sam)
    assert 'name="carrier"' in form.text and 'name="tracking"' in form.text
    shipped = await web.post(f"/app/part/deals/{deal_id}/mark-shipped", headers=sam,
                             data={"carrier": "DSV", "tracking": "CMR-77", "expected": ""})
    assert "Marked shipped; the buyer is told" in shipped.text and "via DSV (CMR-77)" in shipped.text
    assert await told(site_app, buyer.id, "Your goods are on the way")

    # The buyer confirms delivery and quality: both hear the deal completed.
    room = await web.get(f"/app/part/deals/{deal_id}", headers=bea)
    assert f'href="/app/deals/{deal_id}/confirm-receipt"' in room.text
    assert f'href="/app/deals/{deal_id}/report-quality"' in room.text  # as the chat allows
    ask = await web.get(f"/app/part/deals/{deal_id}/confirm-receipt", headers=bea)
    assert "the goods arrived as agreed" in ask.text
    done = await web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=bea)
    assert "Done; the other party is told" in done.text and "Status: completed" in done.text
    assert await told(site_app, seller.id, "Deal completed: the escrow is released")
    assert await told(site_app, buyer.id, "Deal completed. Your carbon receipt")
    assert "/invoices/" in done.text and "Payment receipt" in done.text  # her receipt
    assert "Carbon receipt" in done.text

    rated = await web.post(f"/app/part/deals/{deal_id}/rate", headers=bea,
                           data={"stars": "5", "comment": ""})
    assert "Thank you. Your rating shows" in rated.text
    assert f"/app/deals/{deal_id}/rate" not in rated.text  # rated once
    assert await status_of(site_app, deal_id) == "completed"
    # The seller rates too, from the same room.
    assert f'href="/app/deals/{deal_id}/rate"' in (
        await web.get(f"/app/part/deals/{deal_id}", headers=sam)).text


async def test_a_step_that_is_not_yours_or_no_longer_possible_is_refused_with_the_deal_now(
        site_app, web, clock):
    seller, buyer = await _people(site_app)
    await make_account(site_app, str(STRANGER), channel="telegram", roles=("buyer",))
    deal_id = await _shipped(site_app, seller, buyer)
    sam, bea, other = signed(clock, SELLER), signed(clock, BUYER), signed(clock, STRANGER)

    theirs = await web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=sam)
    assert theirs.status_code == 403 and "Only the other party can do that" in theirs.text
    assert "Status: shipped" in theirs.text  # the deal as it is
    for ask in (web.get(f"/app/part/deals/{deal_id}", headers=other),
                web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=other)):
        refused = await ask
        assert refused.status_code == 404 and "Riga port" not in refused.text
    assert await status_of(site_app, deal_id) == "shipped"

    first = await web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=bea)
    assert first.status_code == 200
    again = await web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=bea)
    assert again.status_code == 409 and "no longer possible" in again.text
    assert "Status: completed" in again.text and "/rate" in again.text  # what is possible now
    stale = await web.get(f"/app/part/deals/{deal_id}/mark-shipped", headers=sam)
    assert stale.status_code == 409 and "no longer possible" in stale.text
    async with site_app.uow() as uow:
        assert (await uow.session.get(Deal, deal_id)).status == "completed"
    assert len(await told_texts(site_app, seller.id, "Deal completed")) == 1  # told once


async def test_terms_changed_since_they_were_read_are_not_accepted(site_app, web, clock):
    from core.deals.terms import service as terms

    seller, buyer = await _people(site_app)
    deal_id = await _agreed(site_app, seller, buyer)
    bea = signed(clock, BUYER)
    read = await web.get(f"/app/part/deals/{deal_id}/sign-terms", headers=bea)
    async with site_app.uow() as uow:  # the seller proposes version 2 meanwhile
        await terms.propose_change(uow, deal_id, seller.id, {"place": "Liepaja port"})
        await uow.commit()
    refused = await web.post(f"/app/part/deals/{deal_id}/sign-terms", headers=bea,
                             data={**defaults(read.text), **BILLING})
    assert refused.status_code == 409 and "Those terms were changed" in refused.text
    assert "Liepaja port" in refused.text  # the terms as they are now


async def test_the_room_and_its_documents_need_telegrams_signature(site_app, web, clock):
    seller, buyer = await _people(site_app)
    deal_id = await _agreed(site_app, seller, buyer)
    for path in (f"/app/part/deals/{deal_id}", f"/app/part/deals/{deal_id}/sign-terms"):
        assert (await web.get(path)).status_code == 401
        assert (await web.get(path, headers=signed(clock, BUYER, ago=timedelta(hours=2)))
                ).status_code == 401
    assert (await web.post(f"/app/part/deals/{deal_id}/sign-terms",
                           data={"sha256": "x"})).status_code == 401
    room = await web.get(f"/app/part/deals/{deal_id}", headers=signed(clock, BUYER))
    terms_pdf = _link(room.text, "https://agora.example/app/documents/").removeprefix(
        "https://agora.example")
    got = await web.get(terms_pdf)
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    forged = terms_pdf.replace(f"-{buyer.id}-", f"-{seller.id}-")
    assert (await web.get(forged)).status_code == 404
    clock.advance(hours=2)
    assert (await web.get(terms_pdf)).status_code == 404  # the link lasts an hour
