"""A deal's documents: its terms as a PDF with the fingerprint on every page, and a carbon
receipt whose figure is computed exactly by the RED II method."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from conversations.messages import Choice, ListPage
from core.accounts import billing
from core.accounts.billing import Party
from core.catalog.tables import Listing
from core.catalog.taxonomy import mwh_per_unit
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.after_sale.carbon_receipt import (
    CarbonReceipt,
    carbon_avoided_kg,
    carbon_receipt,
    carbon_receipt_pdf,
    render_carbon_receipt,
)
from core.deals.attachments import terms_file
from core.deals.terms import service as deal_terms
from core.deals.terms.pdf import render_terms, terms_pdf
from core.errors import Conflict, NotFound
from payments.escrow_rows import by_reference
from tests.catalog.helpers import make_account
from tests.deals.chat_helpers import agreed_deal, trading_pair
from tests.deals.test_deal_payments import terms_accepted
from tests.support.pdf import pdf_pages, pdf_text

JANIS = Party("Jānis Bērziņš", ("Brīvības iela 1", "LV-1010 Rīga", "Latvia"), "LV40003521600")
LODZ = Party("Łódź Ciepło sp. z o.o.", ("ul. Piotrkowska 104", "90-926 Łódź", "Poland"),
             "PL8567346215")
BODY = {"buyer_id": 2, "seller_id": 1, "listing_id": 3, "offer_id": 4, "product": "pellets",
        "title": "ENplus A1 wood pellets", "unit": "t", "quantity": "100", "unit_price": "220.00",
        "currency": "EUR", "incoterm": "DAP", "place": "Łódź", "specs": {"moisture": "8"},
        "tolerance_percent": 5, "delivery_from": "2026-12-01", "delivery_to": "2026-12-15",
        "payment_method": "escrow",
        "quality": [{"name": "Moisture", "limit": "10%", "is_maximum": True,
                     "penalty": "2% of the price per point above"}],
        "deadlines": {"ship_by": "2026-12-10T12:00:00+00:00"}, "pallets": "Big bags on pallets"}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_terms_pdf_prints_every_field_with_a_label_in_a_fixed_order_unknown_ones_last():
    text = flat(pdf_text(render_terms(BODY, deal_terms.fingerprint(BODY), 2,
                                      {"Seller": JANIS, "Buyer": LODZ}, deal_id=12)))
    expected = ["Terms of deal 12", "Version 2", "Seller Jānis Bērziņš", "Buyer Łódź Ciepło",
                "Product Wood pellets (pellets)", "Listing title ENplus A1 wood pellets",
                "Quantity 100 t", "Quantity tolerance ± 5%", "Unit price €220.00 per t",
                "Total €22,000.00", "Incoterm DAP", "Place Łódź", "Delivery from 1 Dec 2026",
                "Delivery to 15 Dec 2026", "Payment Through Agora's escrow", "Listing #3",
                "Offer #4", "Seller account #1", "Buyer account #2", "Moisture 8%",
                "Moisture at most 10%; penalty: 2% of the price per point above",
                "Ship by 10 Dec 2026, 12:00 UTC", "Other terms", "Pallets Big bags on pallets"]
    positions = [text.find(part) for part in expected]
    assert -1 not in positions, [p for p, at in zip(expected, positions, strict=True) if at < 0]
    assert positions == sorted(positions)


def test_the_terms_fingerprint_is_in_the_footer_of_every_page():
    body = {**BODY, **{f"clause_{n:02}": f"Clause {n}: " + "words " * 40 for n in range(30)}}
    sha = deal_terms.fingerprint(body)
    pages = pdf_pages(render_terms(body, sha, 3, {"Seller": JANIS, "Buyer": LODZ}))
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert f"Terms version 3 · SHA-256 {sha}" in page
        assert f"Page {number} of {len(pages)}" in page


def test_names_print_exactly_as_written_in_the_terms():
    text = pdf_text(render_terms(BODY, "0" * 64, 1, {"Seller": JANIS, "Buyer": LODZ}))
    assert "Jānis Bērziņš" in text and "Łódź Ciepło sp. z o.o." in text and "90-926 Łódź" in text


async def test_a_party_downloads_the_terms_with_the_billing_names_they_froze_and_a_stranger_cannot(
        app):
    _, _, listing_id = await trading_pair(app)
    zed = await make_account(app, "zed")
    async with app.uow() as uow:  # the seller's billing details, given before the deal
        seller = (await deal_terms_parties(uow))["sam"]
        await billing.set_billing(uow, seller, legal_name="Jānis Bērziņš",
                                  street="Brīvības iela 1", postcode="LV-1010", town="Rīga",
                                  country="LV", vat_id="LV40003521600")
        await uow.commit()
    deal_id = await agreed_deal(app, listing_id)
    async with app.uow() as uow:
        buyer = (await deal_terms_parties(uow))["bob"]
        sha = (await deal_terms.current(uow, deal_id)).sha256
        pdf = await terms_pdf(uow, deal_id, buyer)
        with pytest.raises(NotFound):
            await terms_pdf(uow, deal_id, zed.id)
        with pytest.raises(NotFound):
            await terms_pdf(uow, deal_id, buyer, version=9)
    text = pdf_text(pdf)
    assert sha in text and "Jānis Bērziņš" in text and "VAT ID: LV40003521600" in text
    assert "Bob" in text  # the buyer gave no billing details: named as registered


async def deal_terms_parties(uow) -> dict[str, int]:
    from core.accounts.service import find_account

    return {name: (await find_account(uow, "terminal", name)).id for name in ("sam", "bob")}


# --- carbon -----------------------------------------------------------------------------------


def test_carbon_avoided_is_quantity_times_energy_times_the_saving_against_the_comparator():
    # 100 t x 4.8 MWh/t = 480 MWh = 1,728,000 MJ; heat comparator 80 - pellets 7 = 73 g/MJ
    assert carbon_avoided_kg("pellets", Decimal(100), Decimal("4.8")) == Decimal("126144.0")
    # 1,000 L of HVO: 12.2 MWh/t x 0.78 t/m3 / 1000 = 0.009516 MWh/L; transport 94 - 35 = 59
    per_litre = mwh_per_unit("hvo", "l")
    assert per_litre == Decimal("0.009516")
    assert carbon_avoided_kg("hvo", Decimal(1000), per_litre) == Decimal("2021.2")


def test_the_carbon_receipt_names_the_method_deal_parties_product_quantity_and_result():
    receipt = CarbonReceipt(12, JANIS, LODZ, "pellets", Decimal(100), "t", Decimal("4.8"),
                            date(2026, 12, 20))
    text = flat(pdf_text(render_carbon_receipt(receipt)))
    for expected in ("Carbon receipt, deal 12", "Issued 20 Dec 2026", "Jānis Bērziņš",
                     "Łódź Ciepło sp. z o.o.", "Product Wood pellets", "Quantity 100 t",
                     "Energy delivered 480 MWh",
                     "RED II fossil fuel comparator for heat: 80 g CO₂e/MJ",
                     "480 MWh × 3,600 MJ/MWh × (80 − 7) g CO₂e/MJ ÷ 1,000 = 126,144.0 kg",
                     "Avoided 126,144.0 kg CO₂e (126.144 t)"):
        assert expected in text, expected


async def test_a_carbon_receipt_is_issued_once_the_delivery_is_confirmed(app):
    sam, bob, deal_id = await terms_accepted(app)  # 100 t of pellets
    async with app.uow() as uow:
        with pytest.raises(Conflict):
            await carbon_receipt(uow, deal_id, bob.id)
        escrow_id = (await by_reference(uow, deals.reference(deal_id))).id
    await app.payments.pay_with_test_card(escrow_id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-1", None)
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)
        await uow.commit()
    async with app.uow() as uow:
        receipt = await carbon_receipt(uow, deal_id, bob.id)
        pdf = await carbon_receipt_pdf(uow, deal_id, sam.id)
    assert (receipt.quantity, receipt.energy_mwh_per_unit) == (Decimal(100), Decimal("4.8"))
    assert receipt.avoided_kg == Decimal("126144.0")
    assert "126,144.0 kg CO₂e" in pdf_text(pdf)


# --- what the terms freeze, and proof that the PDF is the fingerprinted document -------------


async def test_an_enplus_listings_terms_carry_its_grade_certifications_and_quality_limits(app):
    _, bob, listing_id = await trading_pair(app)
    async with app.uow() as uow:  # claimed with certificates uploaded (publishing checks that)
        await uow.session.execute(update(Listing).values(certifications=["enplus", "sbp"]))
        await uow.commit()
    deal_id = await agreed_deal(app, listing_id)
    async with app.uow() as uow:
        body = (await deal_terms.current(uow, deal_id)).body
        pdf = await terms_pdf(uow, deal_id, None)
    assert body["grade"] == "ENplus A1" and body["certifications"] == ["enplus", "sbp"]
    assert [q["name"] for q in body["quality"]] == ["moisture", "ncv"]
    text = flat(pdf_text(pdf))
    for expected in ("Grade ENplus A1", "Certification ENplus, SBP", "Quality limits",
                     "Moisture at most 8%; penalty: €4.40 per unit of deviation",
                     "Net calorific value at least 17.2 MJ/kg"):
        assert expected in text, expected
    await bob.say("/deals")
    [page] = [r for r in bob.last if isinstance(r, ListPage)]
    await bob.send(Choice(page.items[0].button.data))  # the deal's card
    assert "Goods: Wood pellets, ENplus A1, certified SBP" in bob.texts()


async def test_the_embedded_json_hashes_to_the_fingerprint_and_the_pdf_never_changes(app):
    _, bob, deal_id = await terms_accepted(app)
    async with app.uow() as uow:
        version = await deal_terms.current(uow, deal_id)
        version_id, sha = version.id, version.sha256
        before = await terms_file(uow, version_id)
    async with app.uow() as uow:  # the buyer gives billing details after the terms were frozen
        await billing.set_billing(uow, bob.id, legal_name="Bob Energy SIA", street="Iela 2",
                                  postcode="LV-1011", town="Rīga", country="LV")
        await uow.commit()
    async with app.uow() as uow:
        after = await terms_file(uow, version_id)
    assert before.content == after.content  # byte for byte: no clock, no live billing rows
    [embedded] = PdfReader(io.BytesIO(after.content)).attachments["terms-v1.json"]
    digest = hashlib.sha256(embedded).hexdigest()
    assert digest == sha == deal_terms.fingerprint(json.loads(embedded))
    for page in pdf_pages(after.content):
        assert f"SHA-256 {digest}" in page
    assert "Bob Energy SIA" not in pdf_text(after.content)


def test_a_german_readers_terms_pdf_writes_every_figure_and_day_in_german():
    from core.money.reading import reading

    class German:
        language, country = "de", "DE"

    body = {**BODY, "quantity": "24.5", "unit_price": "215.00", "specs": {"moisture": "8.5"},
            "deadlines": {**deal_terms.deadlines("escrow"), "ship_by": "2026-12-10T12:00:00+00:00"}}
    with reading(German()):
        text = flat(pdf_text(render_terms(body, deal_terms.fingerprint(body), 1,
                                          {"Seller": JANIS, "Buyer": LODZ}, deal_id=12)))
    for german in ("24,5 t", "215,00 €", "5.267,50 €", "1. Dez. 2026", "15. Dez. 2026",
                   "10. Dez. 2026, 12:00 UTC", "8,5%", "± 5 %",
                   "Zahlungsfrist: 3 Tage nach Einigung auf die Konditionen",
                   "Bewertungsfrist: 14 Tage nach Abschluss", "USt-IdNr.",
                   "LV-1010 Rīga Lettland", "90-926 Łódź Polen"):  # the frozen countries, read
        assert german in text, german
    for english in ("24.5 t", "215.00", "5,267.50", "EUR", "2026-12-01", "Cancel-unpaid",
                    "Latvia", "Poland"):
        assert english not in text, english
