"""XRechnung across channels: Bob buys on Slack for a German public authority — its company,
billed in Berlin, whose admin gives its Leitweg-ID on the company card (a modal that checks its
check digits) — from Sam on Telegram, and pays by card into escrow. Sam's notice of the
payment asks, this once, for the phone XRechnung names (until then Bob's e-invoice is
EN 16931); Sam gives it from the notice's button, and the same download links give Bob an
XRechnung (UBL and CII) carrying the Leitweg-ID as its buyer reference, passing the EN 16931
and KoSIT's XRechnung schematron, while the receipt's Factur-X PDF stays EN 16931. Sam then
sees the phone on his /profile and changes it there, checked as before."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.accounts import billing
from core.accounts.tables import Account
from core.companies import billing as company_billing
from core.companies import service as companies
from core.deals import deals
from payments.tables import Invoice
from tests.catalog.helpers import publish
from tests.deals.chat_helpers import agreed_between
from tests.payments.einvoice_checks import embedded_xml, is_xrechnung, valid
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER

LEITWEG = "991-33333TEST-33"


@pytest.mark.journey
async def test_a_german_public_buyer_gets_an_xrechnung_once_the_seller_gives_a_phone(world):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                           roles=("seller",), display_name="Sam", country="LV", city="Riga")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           display_name="Bob", country="DE", city="Berlin")
    async with app.uow() as uow:
        await billing.set_billing(uow, sam.id, legal_name="Sam Ozols SIA", street="Iela 1",
                                  postcode="LV-1010", town="Rīga", country="LV",
                                  vat_id="LV40003521600")
        await companies.found(uow, bob.id, "Bezirksamt Mitte")
        await company_billing.give(uow, bob.id, legal_name="Bezirksamt Mitte von Berlin",
                                   street="Karl-Marx-Allee 31", postcode="10178", town="Berlin",
                                   country="DE", vat_id="DE136695976")
        await uow.commit()

    # Bob, the company's admin, gives its Leitweg-ID on the company card (a modal on Slack).
    await world.bob.command("company")
    await world.bob_sees("Leitweg-ID (German public buyers): none")
    await world.bob_presses("Leitweg-ID")
    view = world.slack.calls_to("views.open")[-1]["view"]
    wrong = await world.bob.submit(view, {"leitweg_id": "991-33333TEST-34"})
    assert "check digits" in wrong.json()["errors"]["leitweg_id"]  # asked again, in the modal
    await world.bob_fills({"leitweg_id": LEITWEG.lower()})
    await world.bob_sees(f"Leitweg-ID saved: your XRechnung e-invoices carry {LEITWEG}")

    # Bob pays for the deal by card into escrow; until Sam gives a phone, EN 16931.
    listing_id = await publish(app, sam, quantity="500", min_order="20")
    deal_id = await agreed_between(app, listing_id, bob.id, sam.id)
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    mark = world.telegram.mark()
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        receipt = (await uow.session.execute(select(Invoice).where(
            Invoice.escrow_id == escrow.id, Invoice.kind == "payment"))).scalar_one()
    link = f"/invoices/{receipt.token}.xml"
    before = await world.http.get(f"{link}?syntax=ubl")
    assert not is_xrechnung(valid(before.content, "ubl-2.1"))

    # Sam's notice of the payment asks for the phone, once; he gives it from its button.
    told = await world.sam_told("books XRechnung e-invoices", mark)
    assert "until then the buyer gets the EN 16931 e-invoice" in told
    await world.sam.tap("Give my phone", "Your phone number")
    await world.sam.say("12", "A phone number has digits")  # asked again
    await world.sam.say("+371 2000 0000", "Your German buyers' e-invoices are XRechnung now")

    # The same links now give Bob an XRechnung with his Leitweg-ID, Sam's contact, his card.
    ubl = valid((await world.http.get(f"{link}?syntax=ubl")).content, "ubl-2.1")
    cii = valid((await world.http.get(link)).content, "factur-x")
    assert is_xrechnung(ubl) and is_xrechnung(cii)
    for needed in (f"<cbc:BuyerReference>{LEITWEG}</cbc:BuyerReference>",
                   "<cbc:Telephone>+371 2000 0000</cbc:Telephone>",
                   f'<cbc:EndpointID schemeID="0204">{LEITWEG}</cbc:EndpointID>',
                   "<cbc:PaymentMeansCode>68</cbc:PaymentMeansCode>"):
        assert needed.encode() in ubl, needed
    _, pdf = await app.payments.invoice_pdf(receipt.number)
    assert not is_xrechnung(valid(embedded_xml(pdf), "factur-x"))  # Factur-X: EN 16931

    # Sam sees the phone on his profile and changes it there, checked as when he gave it.
    await world.sam.say("/profile", "Phone for invoices: +371 2000 0000")
    await world.sam.tap("Edit phone for invoices", "Phone for invoices")
    await world.sam.say("12", "A phone number has digits")  # asked again
    await world.sam.say("+371  2000 0001", "Phone for invoices: +371 2000 0001")  # tidied
    async with app.uow() as uow:
        assert (await uow.get(Account, sam.id)).phone == "+371 2000 0001"
