"""EN 16931 e-invoices: each document Agora can state a VAT category for carries its CII XML in
a PDF/A-3 (Factur-X), and gives it as UBL 2.1 on request; each XML passes the official XML
schema and the EN 16931 schematron (its business rules, run with Saxon), and says the same
total, VAT and reverse-charge note as the PDF. A sale on which the seller charges VAT states it
at the seller's rate (tests/deals/test_sale_vat.py for goods, below for a session).

These prove the facts are derived right from the parties' billing details: end to end for goods
and the documents a refund and a payout issue (on the database), from a document's facts in
memory for a commission invoice and a session's receipt (`MemoryPapers`, tests/payments/fakes.py,
held to the database by test_papers_contract.py); the XML of each VAT category is checked on
facts built by hand, without a database (test_einvoice_categories.py)."""

from __future__ import annotations

import io
from decimal import Decimal

import httpx
import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import select

from bots.server import create_app
from core.accounts import billing
from core.issuer import ISSUER, Issuer
from core.money.model import Money
from payments import einvoice_facts, einvoices, invoice_pdf, invoices, issued
from payments.tables import Invoice
from tests.payments.einvoice_checks import RAM, amounts, embedded_xml, valid
from tests.payments.fakes import MemoryPapers
from tests.payments.helpers import ADMIN, BUYER, held_escrow
from tests.support.pdf import pdf_text
from tests.support.servers import serve


@pytest.fixture(autouse=True)
def issuer(request, monkeypatch):
    """Agora with its VAT number, set after the app (which sets the issuer from settings)."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app")
    monkeypatch.setitem(ISSUER, "issuer", Issuer("Agora SIA", "Brīvības iela 2, LV-1010 Rīga",
                                                 "LV40003000001", "LV", Decimal("21")))


async def _billed(app, account_id: int, **details: str) -> None:
    async with app.uow() as uow:
        await billing.set_billing(uow, account_id, **details)
        await uow.commit()


async def _document(app, kind: str) -> Invoice:
    async with app.uow() as uow:
        found = (await uow.session.execute(select(Invoice).where(Invoice.kind == kind)
                                           .order_by(Invoice.id.desc()))).scalars().first()
        uow.session.expunge_all()
        return found


async def test_a_cross_border_goods_receipt_is_a_factur_x_intra_community_supply(app):
    view = await held_escrow(app, 123_450)  # bob (buyer) pays sue (seller) for deal #1
    await _billed(app, view.payee_id, legal_name="Sue SIA", street="Brīvības iela 1",
                  postcode="LV-1010", town="Rīga", country="LV", vat_id="LV40003521600")
    await _billed(app, view.payer_id, legal_name="Bob Energie GmbH", street="Hauptstraße 5",
                  postcode="10115", town="Berlin", country="DE", vat_id="DE136695976")
    receipt = await _document(app, "payment")
    _, pdf = await app.payments.invoice_pdf(receipt.number)
    xml = valid(embedded_xml(pdf), "factur-x")
    root = etree.fromstring(xml)
    assert root.xpath("//ram:ApplicableTradeTax/ram:CategoryCode/text()", namespaces=RAM)[0] == "K"
    assert amounts(xml) == {"TaxBasisTotalAmount": "1234.50", "TaxTotalAmount": "0.00",
                            "GrandTotalAmount": "1234.50"}
    note = root.xpath("//ram:ApplicableTradeTax/ram:ExemptionReason/text()", namespaces=RAM)[0]
    text = " ".join(pdf_text(pdf).replace("\xa0", " ").split())
    assert note.startswith("VAT reverse charge: intra-Community supply") and note in text
    for printed in ("Total without VAT €1,234.50", "VAT amount €0.00",
                    "Total with VAT €1,234.50"):
        assert printed in text, printed
    # The same invoice as UBL 2.1, for a buyer who asks for XRechnung's syntax: the PDF
    # gives its address, which the server answers.
    address = invoices.link(receipt, ubl=True)
    assert address in "".join(text.split())
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        ubl = await http.get(base + address.removeprefix(issued.SITE["url"].rstrip("/")))
        cii = await http.get(f"{base}/invoices/{receipt.token}.xml")
    assert ubl.status_code == 200 and f'{receipt.number}-ubl.xml' in ubl.headers[
        "content-disposition"]
    valid(ubl.content, "ubl-2.1")
    assert b"<cbc:PayableAmount currencyID=\"EUR\">0.00</cbc:PayableAmount>" in ubl.content
    assert cii.content == xml  # the XML embedded in the PDF, as a file of its own


async def test_a_domestic_commission_invoice_states_the_vat_it_includes_in_pdf_and_xml():
    papers = MemoryPapers()  # the documents' facts in memory (tests/payments/fakes.py)
    bob, sue = papers.person("bob"), papers.person("sue")
    papers.bill(sue, legal_name="Sue SIA", street="Iela 1", postcode="LV-1010", town="Rīga",
                country="LV")
    receipt = papers.receipt(bob, sue, 10_000, "deal:1")
    invoice = papers.commission_invoice(receipt, 500)  # a 5 % commission: €5.00, VAT 21 % included
    pdf = await invoice_pdf.pdf_of(papers, invoice)
    xml = valid(embedded_xml(pdf), "factur-x")
    assert amounts(xml) == {"TaxBasisTotalAmount": "4.13", "TaxTotalAmount": "0.87",
                            "GrandTotalAmount": "5.00"}
    root = etree.fromstring(xml)
    assert root.xpath("//ram:ApplicableTradeTax/ram:RateApplicablePercent/text()",
                      namespaces=RAM)[0] == "21"
    text = " ".join(pdf_text(pdf).replace("\xa0", " ").split())
    for printed in ("Total without VAT €4.13", "VAT amount €0.87", "Total with VAT €5.00"):
        assert printed in text, printed
    valid(await ubl_of(papers, invoice), "ubl-2.1")


async def test_a_reverse_charged_commission_and_a_credit_note_are_e_invoices_too(app):
    view = await held_escrow(app, 10_000)
    await _billed(app, view.payee_id, legal_name="Sue Handel GmbH", street="Hauptstraße 5",
                  postcode="10115", town="Berlin", country="DE", vat_id="DE136695976")
    await _billed(app, view.payer_id, legal_name="Bob Inc.", street="1 Main St",
                  postcode="10001", town="New York", country="US")
    await app.payments.refund(view.id, Money(3_000, "EUR"), ADMIN)  # goods exported: G
    await app.payments.release(view.id, BUYER)
    commission = await _document(app, "commission")
    xml = valid((await app.payments.invoice_xml(commission.token, "cii"))[1], "factur-x")
    assert b"<ram:CategoryCode>AE</ram:CategoryCode>" in xml
    assert b"VATEX-EU-AE" in xml
    credit = await _document(app, "credit_note")
    _, pdf = await app.payments.invoice_pdf(credit.number)
    xml = valid(embedded_xml(pdf), "factur-x")
    assert b"<rsm:TypeCode>381</rsm:TypeCode>" in xml.replace(b"ram:TypeCode", b"rsm:TypeCode")
    receipt = await _document(app, "payment")
    assert receipt.number.encode() in xml and b"<ram:CategoryCode>G</ram:CategoryCode>" in xml
    valid((await app.payments.invoice_xml(credit.token, "ubl"))[1], "ubl-2.1")


async def test_goods_paid_before_vat_was_added_to_prices_keep_their_words_and_draw_no_e_invoice(
        app):
    """An escrow opened without the seller's VAT (before prices had VAT added, or opened
    directly as here) whose parties' details now say VAT applies: the receipt says so and is
    no e-invoice, since its lines carry no VAT (tests/deals/test_sale_vat.py: the deal's way)."""
    view = await held_escrow(app, 10_000)
    for account_id, name in ((view.payee_id, "Sue SIA"), (view.payer_id, "Bob SIA")):
        await _billed(app, account_id, legal_name=name, street="Iela 1", postcode="LV-1010",
                      town="Rīga", country="LV", vat_id="LV40003521600")
    receipt = await _document(app, "payment")
    _, pdf = await app.payments.invoice_pdf(receipt.number)
    assert "factur-x.xml" not in PdfReader(io.BytesIO(pdf)).attachments
    assert "invoiced by the seller (Agora does not calculate VAT)" in " ".join(
        pdf_text(pdf).split())
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        none = await http.get(f"{base}/invoices/{receipt.token}.xml?syntax=ubl")
    assert none.status_code == 404 and "no e-invoice" in none.text


async def test_a_domestic_session_receipt_states_the_vat_its_price_includes():
    """A consultant's session is priced as the client pays it: the VAT a registered
    consultant charges is part of it, stated on the receipt and in its e-invoice (S)."""
    papers = MemoryPapers()
    client, consultant = papers.person("bob"), papers.person("sue")
    for account_id, name, vat in ((consultant, "Sue Konsultācijas SIA", "LV40003521600"),
                                  (client, "Bob Bērziņš", None)):
        papers.bill(account_id, legal_name=name, street="Iela 1", postcode="LV-1010",
                    town="Rīga", country="LV", vat_id=vat)
    # captured: the receipt of €121.00, 15 % of it Agora's commission
    receipt = papers.receipt(client, consultant, 12_100, "booking:7", kind="session",
                             commission=1_815)
    pdf = await invoice_pdf.pdf_of(papers, receipt)
    xml = valid(embedded_xml(pdf), "factur-x")
    assert amounts(xml) == {"TaxBasisTotalAmount": "100.00", "TaxTotalAmount": "21.00",
                            "GrandTotalAmount": "121.00"}
    assert b"<ram:CategoryCode>S</ram:CategoryCode>" in xml
    valid(await ubl_of(papers, receipt), "ubl-2.1")


async def test_a_session_for_a_client_who_gave_no_billing_details_is_invoiced_to_a_consumer():
    """A session's client need give no billing details: the receipt names them as a consumer
    (their name and country, all EN 16931 asks of a buyer), so it is an e-invoice too; a
    consultant without a VAT number charges none (O)."""
    papers = MemoryPapers()
    # the client's profile says where they live, nothing more
    client, consultant = papers.person("bob", country="LV"), papers.person("sue")
    papers.bill(consultant, legal_name="Sue Lapa", street="Iela 1", postcode="LV-1010",
                town="Rīga", country="LV")
    receipt = papers.receipt(client, consultant, 9_000, "booking:8", kind="session",
                             commission=1_350)
    pdf = await invoice_pdf.pdf_of(papers, receipt)
    xml = valid(embedded_xml(pdf), "factur-x")
    assert b"<ram:CategoryCode>O</ram:CategoryCode>" in xml
    assert amounts(xml)["GrandTotalAmount"] == "90.00"
    buyer = etree.fromstring(xml).xpath("//ram:BuyerTradeParty", namespaces=RAM)[0]
    assert buyer.xpath("ram:PostalTradeAddress/ram:CountryID/text()", namespaces=RAM) == ["LV"]
    valid(await ubl_of(papers, receipt), "ubl-2.1")


async def ubl_of(papers: MemoryPapers, invoice: Invoice) -> bytes:
    """The document's e-invoice as UBL, as `/invoices/{token}.xml?syntax=ubl` gives it
    (payments.service.invoice_xml)."""
    facts = await einvoice_facts.facts_of(papers, invoice)
    assert facts is not None
    return einvoices.xml(facts, "ubl")
