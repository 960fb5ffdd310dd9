"""XRechnung: an e-invoice to a buyer in Germany is written as XRechnung 3.0 (UBL and CII),
passing the EN 16931 schematron and KoSIT's XRechnung schematron with no fatal assertion
(tests/payments/einvoice_checks.py) — for goods paid by transfer, by card in escrow and on
terms, and for a consultant's session — with the buyer company's Leitweg-ID as its buyer
reference; while the seller's phone is not known the buyer gets the EN 16931 invoice; others'
invoices and the Factur-X PDF stay EN 16931. The facts here are built by hand from the same
rules the documents use (test_einvoice_categories.py); the journey at the end draws one from a
paid deal on the database."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from core.accounts import billing, xrechnung_details
from core.accounts.intents import AccountIntent
from core.errors import DomainError
from core.issuer import ISSUER, Issuer
from core.money.model import Money
from payments import einvoice_facts, einvoices, xrechnung
from payments.einvoice_facts import Facts, Seat
from payments.lines import Subject, with_vat
from payments.tables import Escrow, TransferAccount
from tests.payments.einvoice_checks import (
    RAM,
    UBL_RULES,
    XRECHNUNG_RULES,
    broken_rules,
    is_xrechnung,
    valid,
)
from tests.payments.fakes import MemoryPapers
from tests.payments.helpers import BUYER, people, register
from tests.payments.test_einvoice_categories import (
    BOB_DE,
    BOB_LV,
    DEAL,
    SUE,
    SUE_ALONE,
    document,
    sale,
)
from tests.support.outbox import told_buttons, told_texts

UBL = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
CONTACT = {"contact": "Sue Ozola", "phone": "+371 2000 0000", "email": "sue@example.com"}
LEITWEG = "04011000-1234512345-06"


def german(facts: Facts, leitweg_id: str | None = None, **seller: str | None) -> Facts:
    """The facts of a sale to Bob Energie GmbH of Berlin (its clerk's email; its Leitweg-ID
    if given), from Sue with her contact."""
    return replace(facts, seller=replace(facts.seller, **(CONTACT | seller)),
                   buyer=replace(facts.buyer, email="bob@example.com", leitweg_id=leitweg_id))


def both(facts: Facts) -> tuple[bytes, bytes]:
    """The UBL and the CII, each an XRechnung passing the schema and both schematrons."""
    ubl, cii = einvoices.xml(facts, "ubl"), einvoices.xml(facts)
    assert is_xrechnung(ubl) and is_xrechnung(cii)
    return valid(ubl, "ubl-2.1"), valid(cii, "factur-x")


def ubl_text(xml: bytes, path: str) -> list[str]:
    return etree.fromstring(xml).xpath(f"//{path}/text()", namespaces=UBL)


def test_goods_paid_by_transfer_are_an_xrechnung_naming_the_account_and_the_seller_contact():
    paid = TransferAccount(holder="Agora SIA", iban="DE89370400440532013000", bic="COBADEFFXXX",
                           reference="AGORA-7")
    ubl, cii = both(replace(german(sale(SUE, BOB_DE, [DEAL.line(123_450)])), paid_into=paid))
    assert ubl_text(ubl, "cbc:PaymentMeansCode") == ["58"]
    assert ubl_text(ubl, "cbc:PaymentID") == ["AGORA-7"]
    assert ubl_text(ubl, "cbc:Telephone") == ["+371 2000 0000"]
    assert ubl_text(ubl, "cbc:BuyerReference") == ["deal:1"]  # no Leitweg-ID: the deal's
    root = etree.fromstring(cii)
    where = "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:"
    assert root.xpath(f"{where}CityName/text()", namespaces=RAM) == ["Berlin"]
    assert root.xpath(f"{where}PostcodeCode/text()", namespaces=RAM) == ["10115"]
    assert root.xpath("//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID/text()",
                      namespaces=RAM) == ["bob@example.com"]


def test_goods_paid_by_card_in_escrow_carry_the_leitweg_id_as_the_buyer_reference():
    escrow = Escrow(amount=11_900, vat=1_900, vat_rate="19", currency="EUR")  # a domestic sale
    facts = sale(replace(SUE, country="DE", vat_id="DE136695976", postcode="10115",
                         town="Berlin"), BOB_DE, with_vat(escrow, 11_900, DEAL.line),
                 vat_line=True)
    ubl, cii = both(german(facts, LEITWEG))
    assert ubl_text(ubl, "cbc:PaymentMeansCode") == [xrechnung.ONLINE]  # paid at checkout
    assert ubl_text(ubl, "cbc:BuyerReference") == [LEITWEG]
    assert etree.fromstring(ubl).xpath("//cbc:EndpointID[@schemeID='0204']/text()",
                                       namespaces=UBL) == [LEITWEG]
    assert f"<ram:BuyerReference>{LEITWEG}</ram:BuyerReference>".encode() in cii


def test_an_invoice_on_terms_to_a_german_buyer_is_an_xrechnung_due_by_sepa_transfer():
    note = json.dumps({"due_on": "2026-12-24", "days": 30, "holder": "Sue SIA",
                       "iban": "LV80BANK0000435195001", "bic": "HABALV22",
                       "reference": "RF18AGORA1"})
    facts = sale(SUE, BOB_DE, [DEAL.line(50_000)], kind="terms")
    ubl, _ = both(german(replace(facts, invoice=document("terms", facts.invoice.lines,
                                                         note=note))))
    assert ubl_text(ubl, "cbc:PaymentMeansCode") == ["58"]
    assert ubl_text(ubl, "cbc:DueDate") == ["2026-12-24"]


def test_a_consultants_session_for_a_german_client_is_an_xrechnung():
    alone = billing.Billing("Bob Bauer", "Hauptstraße 5", "10115", "Berlin", "DE")
    ubl, cii = both(german(sale(SUE, alone, [Subject("booking:7").line(12_100)],
                                supply="services")))
    assert ubl_text(ubl, "cbc:PaymentMeansCode") == [xrechnung.ONLINE]
    assert b"ShipToTradeParty" not in cii  # a service: no delivery


def test_a_credit_note_to_a_german_buyer_is_an_xrechnung_naming_the_receipt():
    receipt = document("payment", [DEAL.line(10_000)])
    credit = document("credit_note", [DEAL.line(3_000)], "CN-2026-000001")
    paid = TransferAccount(iban="DE89370400440532013000", bic="COBADEFFXXX", reference="A-7")
    facts = german(replace(sale(SUE, BOB_DE, receipt.lines), invoice=credit, preceding=receipt,
                           paid_into=paid))
    ubl, cii = both(facts)
    assert ubl_text(ubl, "cbc:PaymentMeansCode") == [xrechnung.ONLINE]  # back the way it came
    assert b">381</ram:TypeCode>" in cii and b"RC-2026-000001" in cii


def test_a_consultant_not_registered_for_vat_states_a_rate_of_0_to_a_german_client():
    _, cii = both(german(sale(SUE_ALONE, BOB_DE, [Subject("booking:8").line(9_000)],
                                supply="services")))
    assert b"<ram:CategoryCode>O</ram:CategoryCode>" in cii
    root = etree.fromstring(cii)  # BR-DE-14 asks the breakdown's rate, BR-O-05 none per line
    assert root.xpath("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
                      "ram:RateApplicablePercent/text()", namespaces=RAM) == ["0"]
    assert not root.xpath("//ram:SpecifiedLineTradeSettlement//ram:RateApplicablePercent",
                          namespaces=RAM)


async def test_a_commission_invoice_to_a_german_seller_is_an_xrechnung_once_agoras_contact_is_set(
        monkeypatch):
    """Agora invoices its commission to Sue Handel GmbH of Berlin (reverse charged): EN 16931
    until the issuer's post code, town, phone and email are set, then an XRechnung cleared
    against the payout it was kept from (97)."""
    papers = MemoryPapers()
    bob, sue = papers.person("bob"), papers.person("sue")
    papers.bill(sue, legal_name="Sue Handel GmbH", street="Hauptstraße 5", postcode="10115",
                town="Berlin", country="DE", vat_id="DE136695976")
    agora = Issuer("Agora SIA", "Brīvības iela 2", "LV40003000001", "LV", Decimal("21"))
    monkeypatch.setitem(ISSUER, "issuer", agora)
    invoice = papers.commission_invoice(papers.receipt(bob, sue, 10_000, "deal:1"), 500)
    facts = await einvoice_facts.facts_of(papers, invoice)
    assert xrechnung.missing(facts) == ["seller phone", "seller email", "seller post code",
                                        "seller city"]
    assert not is_xrechnung(valid(einvoices.xml(facts, "ubl"), "ubl-2.1"))
    monkeypatch.setitem(ISSUER, "issuer", replace(
        agora, postcode="LV-1010", town="Rīga", phone="+371 6700 0000",
        email="invoices@agora.example.com"))
    ubl, cii = both(await einvoice_facts.facts_of(papers, invoice))
    assert ubl_text(ubl, "cbc:PaymentMeansCode") == [xrechnung.NETTED]
    assert b"<ram:CategoryCode>AE</ram:CategoryCode>" in cii
    assert ubl_text(ubl, "cbc:ElectronicMail") == ["invoices@agora.example.com"]


def test_without_the_sellers_phone_a_german_buyer_gets_the_en16931_invoice():
    """Never an XRechnung its rules reject: until the seller gives a phone, the same invoice
    as EN 16931 — the one it would be without XRechnung's rules."""
    facts = german(sale(SUE, BOB_DE, [DEAL.line(123_450)]), phone=None)
    assert xrechnung.missing(facts) == ["seller phone"]
    consumer = replace(facts, buyer=Seat("Bob Bauer", "DE", email="bob@example.com"))
    assert xrechnung.missing(consumer) == ["seller phone", "buyer post code", "buyer city"]
    ubl = einvoices.xml(facts, "ubl")
    assert not is_xrechnung(ubl) and ubl == einvoices.xml(facts, "ubl", german=False)
    valid(ubl, "ubl-2.1")
    assert broken_rules(ubl, UBL_RULES) == []


def test_a_buyer_outside_germany_keeps_the_en16931_invoice():
    facts = german(sale(SUE, BOB_LV, [DEAL.line(9_000)]))
    assert not xrechnung.applies(facts)
    for syntax in ("ubl", "cii"):
        xml = einvoices.xml(facts, syntax)
        assert not is_xrechnung(xml) and xml == einvoices.xml(facts, syntax, german=False)


def test_the_xrechnung_rules_are_really_applied():
    """KoSIT's rules catch what EN 16931's let through: no seller contact (BR-DE-2)."""
    ubl, _ = both(german(sale(SUE, BOB_DE, [DEAL.line(123_450)])))
    start, end = ubl.index(b"<cac:Contact>"), ubl.index(b"</cac:Contact>") + 14
    broken = broken_rules(ubl[:start] + ubl[end:], XRECHNUNG_RULES["ubl-2.1"])
    assert any(rule.startswith("BR-DE-2") for rule in broken)


def test_a_phone_and_a_leitweg_id_are_checked():
    assert xrechnung_details.check_phone(" +49 30  1234567 ") == "+49 30 1234567"
    assert xrechnung_details.check_leitweg_id("991-33333test-33") == "991-33333TEST-33"
    for wrong in ("12", "call me"):
        with pytest.raises(DomainError):
            xrechnung_details.check_phone(wrong)
    for wrong in ("04011000-1234512345-07", "ABC-12", "04011000"):
        with pytest.raises(DomainError):
            xrechnung_details.check_leitweg_id(wrong)


async def test_the_seller_of_a_sale_to_a_german_buyer_is_asked_for_a_phone_until_given(app):
    """The notice handing the seller the receipt asks for the phone, with its button, only
    where a German buyer's XRechnung needs it and only until the seller gives one."""
    bob, sue = await people(app)
    carl = await register(app, "carl", ["buyer"])
    async with app.uow() as uow:
        for who, details in ((sue, SUE), (bob, BOB_DE), (carl, replace(BOB_LV, vat_id=None))):
            await billing.set_billing(uow, who, legal_name=details.legal_name,
                                      street=details.street, postcode=details.postcode,
                                      town=details.town, country=details.country,
                                      vat_id=details.vat_id)
        await uow.commit()

    async def sold_to(buyer: int, reference: str) -> list[str]:
        view = await app.payments.open("goods", "bioenergy", reference, buyer, sue,
                                       Money(10_000, "EUR"), BUYER)
        await app.payments.pay_with_test_card(view.id, "4242 4242 4242 4242")
        told = await told_texts(app, sue, "payment of €100.00")
        assert len(told) == int(reference[-1])  # the seller heard of each sale
        return told[-1:]

    asks = "books XRechnung e-invoices"
    assert asks not in " ".join(await sold_to(carl, "deal:1"))  # a buyer in Latvia
    assert asks in " ".join(await sold_to(bob, "deal:2"))
    assert (AccountIntent.INVOICE_PHONE.value, "") in await told_buttons(app, sue, asks)
    assert asks not in " ".join(await told_texts(app, bob))  # the buyer is not asked
    async with app.uow() as uow:
        await xrechnung_details.set_phone(uow, sue, "+371 2000 0000")
        await uow.commit()
    assert asks not in " ".join(await sold_to(bob, "deal:3"))
