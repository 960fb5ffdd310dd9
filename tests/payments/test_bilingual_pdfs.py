"""Legal documents in their reader's language with the English beside it: a receipt for a
German buyer and a deal's terms for a German party read “Zahler / Payer”, their sentences in
German over the English, amounts as written in Germany, names as their owners wrote them; the
terms' fingerprint stays the hash of their canonical JSON, whatever the language. A document
sent with a notice is drawn for its recipient. A receipt is drawn from its facts in memory
(`MemoryPapers`, tests/payments/fakes.py).

The expected words come from the German catalogue: a sentence it does not translate yet is
expected in English alone (as `bilingual` prints it)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from pypdf import PdfReader

from core import i18n
from core.accounts.billing import Party
from core.deals.after_sale.carbon_receipt import CarbonReceipt, render_carbon_receipt
from core.deals.terms import service as deal_terms
from core.deals.terms.pdf import render_terms
from core.i18n import current_language, translations
from core.money.model import READER_LOCALE
from core.money.reading import reading
from core.notifications.delivery import Attachment
from core.notifications.dispatcher import OutboxDispatcher
from core.notifications.outbox import notify
from tests.payments.fakes import MemoryPapers
from tests.support.accounts import registered
from tests.support.pdf import pdf_pages, pdf_text

GERMAN = SimpleNamespace(language="de", country="DE")
JANIS = Party("Jānis Bērziņš", ("Brīvības iela 1", "LV-1010 Rīga", "Latvia"), "LV40003521600")
MULLER = Party("Müller Energie GmbH", ("Hauptstraße 5", "10115 Berlin", "Germany"), "DE136695976")
BODY = {"buyer_id": 2, "seller_id": 1, "listing_id": 3, "offer_id": 4, "product": "pellets",
        "title": "ENplus A1 wood pellets", "unit": "t", "quantity": "100", "unit_price": "220.00",
        "currency": "EUR", "incoterm": "DAP", "place": "Łódź", "payment_method": "escrow",
        "quality": [{"name": "moisture", "limit": "10", "is_maximum": True,
                     "penalty": "2% of the price per point above"}]}
REVERSE_CHARGE = ("VAT reverse charge: intra-Community supply of goods, exempt under Article "
                  "138, Council Directive 2006/112/EC; the buyer accounts for the VAT (Article "
                  "200)")


@pytest.fixture(autouse=True)
def german_offered(monkeypatch):
    monkeypatch.setitem(i18n.LANGUAGES, "de", "Deutsch")


def german(message: str, **values: Any) -> str:
    """`message` as the German catalogue has it (English while it has none)."""
    text = translations("de").gettext(message)
    return text.format(**values) if values else text


def both(message: str, sep: str = " / ", **values: Any) -> str:
    """What a legal document prints for `message` to a German reader."""
    english = message.format(**values) if values else message
    local = german(message, **values)
    return english if local == english else f"{local}{sep}{english}"


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


async def test_a_german_buyers_receipt_is_in_german_with_the_english_beside_it():
    from payments import invoice_pdf

    papers = MemoryPapers()  # the receipt's facts in memory (tests/payments/fakes.py)
    seller = papers.person("janis", language="en", country="LV")
    papers.bill(seller, legal_name="Jānis Bērziņš", street="Brīvības iela 1", postcode="LV-1010",
                town="Rīga", country="LV", vat_id="LV40003521600")
    buyer = papers.person("jonas", language="de", country="DE")
    papers.bill(buyer, legal_name="Müller Energie GmbH", street="Hauptstraße 5",
                postcode="10115", town="Berlin", country="DE", vat_id="DE136695976")
    pdf = await invoice_pdf.pdf_of(papers, papers.receipt(buyer, seller, 123_450, "deal:7"))
    text = flat(pdf_text(pdf))
    for label in ("Payment receipt", "Date", "Reference", "Payer", "Payee", "Item", "Amount",
                  "Total", "VAT"):
        assert both(label) in text, label
    assert flat(both("VAT ID: {vat_id}", vat_id="DE136695976")) in text
    assert flat(both("deal #{number}", sep="\n", number=7)) in text  # the line, English under it
    assert flat(both(REVERSE_CHARGE, sep="\n")) in text
    assert both("Page {number} of {count}", number=1, count=1) in text
    # Amounts as written in Germany; names and addresses as their owners wrote them.
    assert "1.234,50 €" in text and "Müller Energie GmbH" in text and "Brīvības iela 1" in text


def test_the_terms_for_a_german_party_carry_both_languages_and_the_same_fingerprint():
    sha = deal_terms.fingerprint(BODY)
    parties = {"Seller": JANIS, "Buyer": MULLER}
    english_pdf = render_terms(BODY, sha, 2, parties, deal_id=12)
    with reading(GERMAN):
        german_pdf = render_terms(BODY, sha, 2, parties, deal_id=12)
    text = flat(pdf_text(german_pdf))
    for label in ("Seller", "Buyer", "Terms", "Product", "Quantity", "Unit price", "Payment",
                  "Quality limits", "Version"):
        assert both(label) in text, label
    assert both("Terms of deal {deal}", deal=12) in text
    assert both("Through Agora's escrow") in text
    assert flat(both("at most {limit}; penalty: {penalty}", limit="10%",
                     penalty="2% of the price per point above")) in text
    assert "ENplus A1 wood pellets" in text and "Łódź" in text  # as the parties wrote them
    # The fingerprint is the terms' own, not the wording's: one JSON, one hash, every page.
    assert sha == deal_terms.fingerprint(BODY)
    embedded = {PdfReader(io.BytesIO(pdf)).attachments["terms-v2.json"][0]
                for pdf in (english_pdf, german_pdf)}
    assert len(embedded) == 1
    for page in pdf_pages(german_pdf):
        assert f"SHA-256 {sha}" in flat(page)
    if german("Seller") != "Seller":
        assert german("Seller") not in pdf_text(english_pdf)


def test_the_carbon_receipt_is_in_the_readers_language_alone():
    receipt = CarbonReceipt(12, JANIS, MULLER, "pellets", Decimal(100), "t", Decimal("4.8"),
                            date(2026, 12, 20))
    with reading(GERMAN):
        text = flat(pdf_text(render_carbon_receipt(receipt)))
    assert german("Delivered") in text and german("Wood pellets") in text
    if german("Delivered") != "Delivered":
        assert both("Delivered") not in text  # not a legal document: no English beside it
    assert "126.144,0 kg" in text  # figures as written in Germany


async def test_a_document_sent_with_a_notice_is_drawn_for_its_recipient(app):
    account = await registered(app, "77", channel="telegram", display_name="Jonas",
                               language="de", country="DE")
    async with app.uow() as uow:
        await notify(uow, account.id, "Terms", attachment={"kind": "doc", "key": "1"})
        await uow.commit()
    drawn_for = []

    async def doc(key: str) -> Attachment:
        drawn_for.append((current_language(), READER_LOCALE.get()))
        return Attachment("doc.pdf", b"%PDF", "application/pdf")

    class Sender:
        async def send(self, address, payload, files=()) -> None:
            pass

    worker = OutboxDispatcher(app.sessions, app.clock, {"telegram": Sender()},
                              attachments={"doc": doc})
    assert await worker.run_once() == 1
    assert drawn_for == [("de", "de_DE")]


async def test_each_party_receives_the_receipt_in_their_own_language():
    from payments import invoice_pdf

    papers = MemoryPapers()  # the receipt's facts in memory (tests/payments/fakes.py)
    seller = papers.person("janis", language="pl", country="PL")
    papers.bill(seller, legal_name="Jan Kowalski", street="ul. Długa 1", postcode="00-001",
                town="Warszawa", country="PL")
    buyer = papers.person("jonas", language="de", country="DE")
    papers.bill(buyer, legal_name="Müller Energie GmbH", street="Hauptstraße 5",
                postcode="10115", town="Berlin", country="DE")
    invoice = papers.receipt(buyer, seller, 123_450)
    copies = {}
    for who in (buyer, seller):
        with reading(papers.accounts[who]):  # as the outbox draws it
            copies[who] = flat(pdf_text(await invoice_pdf.pdf_of(papers, invoice)))
    by_default = flat(pdf_text(await invoice_pdf.pdf_of(papers, invoice)))  # no one: the payer
    assert both("Payment receipt") in copies[buyer] and "1.234,50 €" in copies[buyer]
    polish = translations("pl").gettext("Payment receipt")
    assert polish != "Payment receipt" and f"{polish} / Payment receipt" in copies[seller]
    assert "1 234,50 €" in copies[seller] and both("Payment receipt") not in copies[seller]
    assert by_default == copies[buyer]
