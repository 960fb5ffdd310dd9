"""What a receipt says: both parties as they bill (legal name, address, VAT number), a goods
deal's VAT treatment, every name in its own letters, amounts as the addressee writes them.

Drawn from the facts alone (the in-memory `MemoryPapers`, tests/payments/fakes.py, held to the
database's by tests/payments/test_papers_contract.py); receipts issued by paying, drawn from
the database, are tests/payments/test_einvoices.py's cross-border goods receipt and
tests/payments/test_receipts.py's."""

from __future__ import annotations

from datetime import UTC, datetime

from core import pdf
from payments import invoice_pdf
from payments.tables import Invoice
from tests.payments.fakes import MemoryPapers
from tests.support.pdf import pdf_text

JANIS = {"legal_name": "Jānis Bērziņš", "street": "Brīvības iela 1", "postcode": "LV-1010",
         "town": "Rīga", "country": "LV"}


def party(papers: MemoryPapers, name: str, **details: str | None) -> int:
    """A registered account (in its billing country) that has given its billing details."""
    account_id = papers.person(name, country=details["country"])
    papers.bill(account_id, **details)
    return account_id


async def receipt(papers: MemoryPapers, buyer: int, seller: int, amount: int,
                  reference: str = "deal:7") -> str:
    """The text of the payment receipt of a paid goods escrow, spaces made plain."""
    pdf = await invoice_pdf.pdf_of(papers, papers.receipt(buyer, seller, amount, reference))
    return pdf_text(pdf).replace("\xa0", " ").replace("\u202f", " ")


async def test_a_cross_border_deal_between_businesses_shows_both_vat_numbers_and_the_reverse_charge(
        ):
    papers = MemoryPapers()
    seller = party(papers, "janis", vat_id="LV 4000 3521 600", **JANIS)
    buyer = party(papers, "jonas", legal_name="Müller Energie GmbH",
                  street="Hauptstraße 5", postcode="10115", town="Berlin", country="DE",
                  vat_id="DE136695976")
    text = await receipt(papers, buyer, seller, 123_450)
    assert "Jānis Bērziņš" in text and "Brīvības iela 1" in text and "LV-1010 Rīga" in text
    assert "Müller Energie GmbH" in text and "Hauptstraße 5" in text and "10115 Berlin" in text
    assert "VAT ID: LV40003521600" in text and "VAT ID: DE136695976" in text
    assert "VAT reverse charge" in " ".join(text.split())
    assert "Article 138, Council Directive 2006/112/EC" in " ".join(text.split())
    assert "1.234,50 €" in text  # the German buyer's way of writing it
    assert "deal #7" in text and "deal:7" not in text  # in words, never the internal id


async def test_a_private_buyer_in_lodz_reads_their_own_town_and_amounts_as_written_in_poland():
    papers = MemoryPapers()
    seller = party(papers, "janis", vat_id="LV40003521600", **JANIS)
    buyer = party(papers, "anna", legal_name="Anna Wiśniewska",
                  street="ul. Piotrkowska 104", postcode="90-926", town="Łódź", country="PL")
    text = await receipt(papers, buyer, seller, 123_450)
    assert "Anna Wiśniewska" in text and "90-926 Łódź" in text
    assert "VAT ID: LV40003521600" in text and text.count("VAT ID") == 1
    flat = " ".join(text.split())
    assert "invoiced by the seller (Agora does not calculate VAT)" in flat  # paid without VAT
    assert "1.234,50 €" in text  # CLDR's English as written in Poland (en_PL)


async def test_parties_without_billing_details_are_named_as_registered_and_no_vat_line_is_guessed(
        ):
    papers = MemoryPapers()
    bob = papers.person("bob")
    sue = party(papers, "sue", vat_id=None, **{**JANIS, "legal_name": "Sue Ltd"})
    text = await receipt(papers, bob, sue, 10_000)
    assert "Bob" in text and "bob@example.com" in text and "Sue Ltd" in text
    # No VAT line or number for the parties: only the issuer's own, at the foot of the page.
    assert [line for line in text.splitlines() if "VAT" in line] == [pdf.ISSUER["issuer"].line()]
    assert "€100.00" in text


async def test_an_escrow_that_is_not_a_deal_carries_no_vat_line():
    papers = MemoryPapers()
    seller = party(papers, "janis", vat_id="LV40003521600", **JANIS)
    buyer = party(papers, "jonas", legal_name="Müller Energie GmbH",
                  street="Hauptstraße 5", postcode="10115", town="Berlin", country="DE",
                  vat_id="DE136695976")
    text = await receipt(papers, buyer, seller, 10_000, reference="lot:3")
    assert "VAT ID: DE136695976" in text and "reverse charge" not in text


def test_render_still_takes_plain_names_and_prints_them_in_their_own_letters():
    invoice = Invoice(number="A-2026-000001", kind="payment", currency="EUR",
                      lines=[["Pellets for Ελλάδα", 5_000]], commission=250, total=5_000,
                      created_at=datetime(2026, 3, 1, tzinfo=UTC))
    text = pdf_text(invoice_pdf.render(invoice, "Jānis Bērziņš", "Łódź Biomasa sp. z o.o.",
                                    "deal:1", test_mode=True))
    for expected in ("A-2026-000001", "Jānis Bērziņš", "Łódź Biomasa sp. z o.o.",
                     "Pellets for Ελλάδα", "€50.00", "€2.50", "TEST MODE"):
        assert expected in text
    assert "?" not in text


def test_a_receipt_for_a_german_reader_is_in_german_with_the_english_beside_it():
    from types import SimpleNamespace

    from core.money.reading import reading
    from tests.support.languages import said

    invoice = Invoice(number="A-2026-000002", kind="payment", currency="EUR",
                      lines=[["Wood pellets — deal #4", 5_000]], commission=250, total=5_000,
                      created_at=datetime(2026, 3, 1, tzinfo=UTC))
    with reading(SimpleNamespace(language="de", country="DE")):
        text = pdf_text(invoice_pdf.render(invoice, "Jonas Müller", "Baltic Pellets SIA",
                                        "deal #4", test_mode=False, locale="de_DE"))
    for english in ("Payment receipt", "Payer", "Payee", "Item", "Amount", "Total", "Date"):
        assert f"{said('de', english)} / {english}" in text, english
    assert said("de", "Page {number} of {count}", number=1, count=1) in text
    assert "50,00 €" in text and "Wood pellets — deal #4" in text
