"""The XML of an e-invoice for each VAT category Agora states, without a database: the facts
are built by hand from the same rules the documents use (core.accounts.vat's treatment, the
commission's VAT, payments.lines), and each XML — CII and UBL 2.1 — must pass the official XML
schema and the EN 16931 schematron (tests/payments/einvoice_checks.py). That the facts are
derived right from the parties' billing details stays proven end to end on the database
(test_einvoices.py, tests/deals/test_sale_vat.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from lxml import etree

from core.accounts.billing import Billing
from core.accounts.service_vat import commission_vat
from core.accounts.vat import treatment
from core.money.model import Money
from payments import einvoices
from payments.commission_invoices import commission_document
from payments.einvoice_facts import Facts, Seat, Tax, kept_tax, sale_tax
from payments.lines import Subject, with_vat
from payments.tables import Escrow, Invoice
from tests.payments.einvoice_checks import CII_RULES, RAM, amounts, broken_rules, valid

WHEN = datetime(2026, 11, 24, tzinfo=UTC)
AGORA = Seat("Agora SIA", "LV", "Brīvības iela 2", "LV-1010", "Rīga", "LV40003000001",
             "LV40003000001")
SUE = Billing("Sue SIA", "Brīvības iela 1", "LV-1010", "Rīga", "LV", "LV40003521600")
SUE_ALONE = Billing("Sue Lapa", "Iela 1", "LV-1010", "Rīga", "LV")  # no VAT number
BOB_LV = Billing("Bob SIA", "Iela 3", "LV-1010", "Rīga", "LV", "LV40003999999")
BOB_DE = Billing("Bob Energie GmbH", "Hauptstraße 5", "10115", "Berlin", "DE", "DE136695976")
BOB_US = Billing("Bob Inc.", "1 Main St", "10001", "New York", "US")
DEAL = Subject("deal:1")


def seat(billing: Billing, member: int | None = None) -> Seat:
    return Seat(billing.legal_name, billing.country, billing.street, billing.postcode,
                billing.town, billing.vat_id, f"AGORA-{member}" if member else None)


def document(kind: str, lines: list, number: str = "RC-2026-000001", note: str | None = None
             ) -> Invoice:
    total = sum(int(line[1]) for line in lines)
    return Invoice(number=number, kind=kind, currency="EUR", total=total,
                   lines=[list(line) for line in lines], note=note, created_at=WHEN)


def sale(seller: Billing, buyer: Billing, lines: list, supply: str = "goods",
         vat_line: bool = False, kind: str = "payment") -> Facts:
    """The facts of a sale between members as einvoice_facts derives them from billing details."""
    invoice = document(kind, lines)
    tax = sale_tax(treatment(seller, buyer, supply), seller.vat_id,
                   Money(invoice.total, "EUR"), vat_line)
    assert tax is not None
    return Facts(invoice, seat(seller, 2), seat(buyer), tax, "deal:1", goods=supply == "goods")


def both(facts: Facts) -> bytes:
    """The CII XML, once it and the UBL twin pass the schema and the EN 16931 rules."""
    valid(einvoices.xml(facts, "ubl"), "ubl-2.1")
    return valid(einvoices.xml(facts), "factur-x")


def first(xml: bytes, path: str) -> str:
    return etree.fromstring(xml).xpath(f"//ram:{path}/text()", namespaces=RAM)[0]


def test_goods_with_the_sellers_vat_on_top_state_it_as_a_vat_line_s():
    escrow = Escrow(amount=12_100, vat=2_100, vat_rate="21", currency="EUR")
    facts = sale(SUE, BOB_LV, with_vat(escrow, 12_100, DEAL.line), vat_line=True)
    xml = both(facts)
    assert first(xml, "ApplicableTradeTax/ram:CategoryCode") == "S"
    assert first(xml, "ApplicableTradeTax/ram:RateApplicablePercent") == "21"
    assert amounts(xml) == {"TaxBasisTotalAmount": "100.00", "TaxTotalAmount": "21.00",
                            "GrandTotalAmount": "121.00"}


def test_a_sessions_price_includes_the_vat_its_consultant_charges_s():
    facts = sale(SUE, SUE_ALONE, [Subject("booking:7").line(12_100)], supply="services")
    assert facts.tax.included == 2_100
    xml = both(facts)
    assert amounts(xml) == {"TaxBasisTotalAmount": "100.00", "TaxTotalAmount": "21.00",
                            "GrandTotalAmount": "121.00"}
    assert b"<ram:CategoryCode>S</ram:CategoryCode>" in xml


def test_a_sale_the_seller_charges_vat_on_without_a_vat_number_draws_no_e_invoice():
    assert sale_tax(treatment(SUE, BOB_LV), None, Money(100, "EUR"), True) is None


def test_goods_to_a_business_in_another_member_state_are_an_intra_community_supply_k():
    xml = both(sale(SUE, BOB_DE, [DEAL.line(123_450)]))
    assert first(xml, "ApplicableTradeTax/ram:CategoryCode") == "K"
    assert first(xml, "ApplicableTradeTax/ram:ExemptionReasonCode") == "VATEX-EU-IC"
    assert first(xml, "ApplicableTradeTax/ram:ExemptionReason").startswith(
        "VAT reverse charge: intra-Community supply")
    assert amounts(xml) == {"TaxBasisTotalAmount": "1234.50", "TaxTotalAmount": "0.00",
                            "GrandTotalAmount": "1234.50"}
    # where the goods go: the buyer's country (BR-IC-12)
    assert first(xml, "ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID") == "DE"


def test_goods_sold_outside_the_eu_are_an_export_g():
    xml = both(sale(SUE, BOB_US, [DEAL.line(7_000)]))
    assert first(xml, "ApplicableTradeTax/ram:CategoryCode") == "G"
    assert first(xml, "ApplicableTradeTax/ram:ExemptionReasonCode") == "VATEX-EU-G"


def test_a_consultant_without_a_vat_number_charges_none_and_names_no_vat_numbers_o():
    facts = sale(SUE_ALONE, BOB_LV, [Subject("booking:8").line(9_000)], supply="services")
    assert facts.tax.rate is None and facts.tax.included == 0
    xml = both(facts)
    assert first(xml, "ApplicableTradeTax/ram:CategoryCode") == "O"
    assert amounts(xml)["GrandTotalAmount"] == "90.00"
    assert b"LV40003999999" not in xml  # BR-O-02: no VAT numbers on it
    assert first(xml, "SellerTradeParty/ram:ID") == "AGORA-2"  # BR-CO-26: known by its number


def commission(country: str, vat_id: str | None) -> Facts:
    """A €5.00 commission invoiced by Agora, its lines and kept note as issued."""
    vat = commission_vat("LV", Decimal("21"), country, vat_id, Money(500, "EUR"))
    lines, note = commission_document(vat, DEAL)
    invoice = document("commission", lines, "CI-2026-000001", note)
    tax = kept_tax(note)
    assert tax is not None
    return Facts(invoice, AGORA, seat(BOB_DE if country == "DE" else BOB_LV), tax, "deal:1")


def test_a_domestic_commission_states_the_vat_it_includes_s():
    xml = both(commission("LV", None))
    assert amounts(xml) == {"TaxBasisTotalAmount": "4.13", "TaxTotalAmount": "0.87",
                            "GrandTotalAmount": "5.00"}
    assert first(xml, "ApplicableTradeTax/ram:RateApplicablePercent") == "21"


def test_a_commission_to_a_business_in_another_member_state_is_reverse_charged_ae():
    xml = both(commission("DE", "DE136695976"))
    assert first(xml, "ApplicableTradeTax/ram:CategoryCode") == "AE"
    assert first(xml, "ApplicableTradeTax/ram:ExemptionReasonCode") == "VATEX-EU-AE"
    assert amounts(xml)["TaxTotalAmount"] == "0.00"


def test_a_commission_note_without_its_treatment_gives_no_tax():
    assert kept_tax(None) is None and kept_tax("not json") is None
    assert kept_tax('{"said": "VAT reverse charge"}') is None
    assert kept_tax('{"said": "x", "tax": {"category": "O", "rate": "0"}}').rate is None


def test_a_credit_note_is_type_381_and_names_the_receipt_it_credits():
    receipt = document("payment", [DEAL.line(10_000)])
    credit = document("credit_note", [DEAL.line(3_000)], "CN-2026-000001")
    tax = sale(SUE, BOB_US, receipt.lines).tax
    xml = both(Facts(credit, seat(SUE, 2), seat(BOB_US), tax, "deal:1", receipt, goods=True))
    assert b">381</ram:TypeCode>" in xml
    assert first(xml, "InvoiceReferencedDocument/ram:IssuerAssignedID") == "RC-2026-000001"
    assert b"<ram:CategoryCode>G</ram:CategoryCode>" in xml
    assert amounts(xml)["GrandTotalAmount"] == "30.00"


def test_an_invoice_on_terms_is_due_by_sepa_transfer_with_its_reference():
    escrow = Escrow(amount=12_100, vat=2_100, vat_rate="21", currency="EUR")
    facts = sale(SUE, BOB_LV, with_vat(escrow, 12_100, DEAL.line), vat_line=True, kind="terms")
    note = ('{"due_on": "2026-12-24", "days": 30, "holder": "Sue SIA", "iban": '
            '"LV80BANK0000435195001", "bic": "HABALV22", "reference": "RF18AGORA1"}')
    facts = Facts(document("terms", facts.invoice.lines, note=note), facts.seller,
                  facts.buyer, facts.tax, "deal:1", goods=True)
    xml = both(facts)
    assert first(xml, "SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == "58"
    assert first(xml, "PayeePartyCreditorFinancialAccount/ram:IBANID") == "LV80BANK0000435195001"
    assert first(xml, "DuePayableAmount") == "121.00"


def test_the_rules_run_here_catch_a_broken_total():
    """The schematron is really applied: an invoice whose total disagrees fails BR-CO-15."""
    facts = Facts(
        Invoice(number="CI-2026-000009", kind="commission", currency="EUR", total=500,
                lines=[["Platform commission", 500]], created_at=WHEN),
        Seat("Agora SIA", "LV", "Iela 2", "LV-1010", "Rīga", "LV40003000001"),
        Seat("Sue GmbH", "DE", "Straße 5", "10115", "Berlin", "DE136695976"),
        Tax("AE", Decimal(0), {"said": "VAT reverse charge"}), "deal:1")
    xml = einvoices.xml(facts)
    assert broken_rules(xml, CII_RULES) == []
    broken = xml.replace(b">5.00</ram:GrandTotalAmount>", b">6.00</ram:GrandTotalAmount>")
    assert any(rule.startswith("BR-CO-15") for rule in broken_rules(broken, CII_RULES))
