"""VAT on a deal's goods, end to end through the deal and the money layer: listings are priced
excluding VAT, so where the seller charges VAT (a domestic sale, no reverse charge) the buyer
pays it on top into the same escrow, at the seller's rate; the receipt states it as a line and
is an EN 16931 e-invoice (category S) that passes the schema and the schematron; Agora's
commission is on the price, never on the VAT; a quality adjustment gives the VAT on it back
too. A seller without a VAT number charges none (category O)."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts import billing
from core.accounts.billing import Billing
from core.accounts.vat import treatment
from core.deals import cards, deals, sale_vat
from core.deals.after_sale import quality_report
from core.deals.after_sale import service as after_sale
from core.deals.tables import Deal, QualityReport
from core.deals.terms import service as deal_terms
from core.money.model import Money
from payments import invoices
from payments.escrow_rows import by_reference
from payments.tables import Escrow, Invoice
from tests.contracts.support import accept_terms, contract_agreed, run_contract_timers
from tests.deals.test_offers import agreed
from tests.payments.einvoice_checks import amounts, embedded_xml, valid
from tests.support.pdf import pdf_text

NET = 2_200_000  # 100 t at 220.00 EUR
LV_SELLER = {"legal_name": "Sam Granulas SIA", "street": "Brīvības iela 1", "postcode": "LV-1010",
             "town": "Rīga", "country": "LV"}
LV_BUYER = {"legal_name": "Bob Siltums", "street": "Elizabetes iela 5", "postcode": "LV-1010",
            "town": "Rīga", "country": "LV"}


async def billed_deal(app, seller_vat: str | None = "LV40003521600", rate: str | None = None):
    """A deal of 100 t at 220.00 EUR whose parties gave their billing details (the buyer a
    private person), before either accepted the terms."""
    sam, bob, _, _, deal_id = await agreed(app)
    async with app.uow() as uow:
        await billing.set_billing(uow, sam.id, vat_id=seller_vat, vat_rate=rate, **LV_SELLER)
        await billing.set_billing(uow, bob.id, **LV_BUYER)
        await uow.commit()
    return sam, bob, deal_id


async def accept_both(app, deal_id, *parties) -> None:
    async with app.uow() as uow:
        version = await deal_terms.current(uow, deal_id)
        for party in parties:
            await deal_terms.accept(uow, deal_id, party.id, version.sha256)
        await uow.commit()


async def paid(app, deal_id) -> Escrow:
    async with app.uow() as uow:
        escrow_id = (await by_reference(uow, deals.reference(deal_id))).id
    await app.payments.pay_with_test_card(escrow_id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        escrow = await uow.session.get(Escrow, escrow_id)
        uow.session.expunge_all()
        return escrow


async def documents(app, kind: str) -> list[Invoice]:
    async with app.uow() as uow:
        found = list((await uow.session.execute(select(Invoice).where(Invoice.kind == kind)
                                                .order_by(Invoice.id))).scalars())
        uow.session.expunge_all()
        return found


def test_the_terms_say_the_vat_the_buyer_pays_before_either_accepts():
    """From both parties' billing details (the LV seller's VAT number, the LV private buyer)
    as `core.companies.billing.sale_treatment` reads them on the database, which the VAT
    paid into the escrow below proves."""
    found = treatment(Billing(**LV_SELLER, vat_id="LV40003521600"), Billing(**LV_BUYER))
    deal = Deal(id=1, buyer_id=2, seller_id=1, price_minor=22_000, quantity_milli=100_000,
                currency="EUR")  # 100 t at 220.00 EUR, before either accepted the terms
    note = sale_vat.vat_note(deal, found)
    assert note.replace("\xa0", " ") == (
        "Prices exclude VAT: the seller charges VAT 21% on this sale (€4,620.00), so the buyer "
        "pays €26,620.00.")


async def test_a_domestic_sale_adds_the_sellers_vat_to_the_escrow_and_its_receipt_is_an_s_e_invoice(
        app):
    sam, bob, deal_id = await billed_deal(app)
    await accept_both(app, deal_id, bob, sam)
    escrow = await paid(app, deal_id)
    assert (escrow.amount, escrow.vat, escrow.vat_rate) == (NET + 462_000, 462_000, "21")
    view = await app.payments.get(escrow.id)
    assert view.vat.amount == Money(462_000, "EUR") and view.commission == Money(110_000, "EUR")

    receipt, = await documents(app, "payment")
    assert [line[1] for line in receipt.lines] == [NET, 462_000] and receipt.total == NET + 462_000
    assert receipt.lines[1][0] == "VAT 21%"
    _, pdf = await app.payments.invoice_pdf(receipt.number)
    xml = valid(embedded_xml(pdf), "factur-x")
    assert amounts(xml) == {"TaxBasisTotalAmount": "22000.00", "TaxTotalAmount": "4620.00",
                            "GrandTotalAmount": "26620.00"}
    assert b"<ram:CategoryCode>S</ram:CategoryCode>" in xml
    assert b"<ram:RateApplicablePercent>21</ram:RateApplicablePercent>" in xml
    assert b"LV40003521600" in xml  # BR-S-02: the seller's VAT number
    text = " ".join(pdf_text(pdf).replace("\xa0", " ").replace("\u202f", " ").split())
    assert "Domestic sale in Latvia: VAT 21% charged by the seller" in text
    # the PDF's breakdown is the XML's, in the Latvian buyer's money format
    assert "VAT amount 4 620,00 €" in text and "Total with VAT 26 620,00 €" in text
    valid((await app.payments.invoice_xml(receipt.token, "ubl"))[1], "ubl-2.1")

    async with app.uow() as uow:  # delivered and confirmed: released, commission on the price
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-1", None)
        await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)
        await uow.commit()
    released = await app.payments.get(escrow.id)
    assert (released.state, released.commission) == ("released", Money(110_000, "EUR"))
    wallet = await app.payments.wallet(sam.id)
    assert sum(m.amount for m in wallet.pending + wallet.paid_out) == NET + 462_000 - 110_000


async def test_a_sellers_own_rate_is_charged_and_a_quality_adjustment_refunds_its_vat(app):
    sam, bob, deal_id = await billed_deal(app, rate="12")
    await accept_both(app, deal_id, sam, bob)
    escrow = await paid(app, deal_id)
    assert (escrow.amount, escrow.vat, escrow.vat_rate) == (NET + 264_000, 264_000, "12")
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-1", None)
        await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
        report = await quality_report.report(uow, deal_id, bob.id, {}, delivered="90")
        adjustment = report.adjustment.amount
        await quality_report.answer(uow, deal_id, sam.id, True)
        await uow.commit()
    assert adjustment > 0
    refund = adjustment + round(adjustment * 12 / 100)
    async with app.uow() as uow:  # the seller was told the price's and the buyer's refund
        deal, report = await uow.session.get(Deal, deal_id), await uow.session.get(
            QualityReport, deal_id)
        said = cards.adjustment_text(report, deal, "t")
    assert f"goes down by {Money(adjustment, 'EUR')} ({Money(refund, 'EUR')} with VAT)" in said
    view = await app.payments.get(escrow.id)
    assert (view.state, view.refunded.amount) == ("settled", refund)
    credit, = await documents(app, "credit_note")
    assert [line[1] for line in credit.lines] == [adjustment, refund - adjustment]
    _, pdf = await app.payments.invoice_pdf(credit.number)
    xml = valid(embedded_xml(pdf), "factur-x")
    assert b"<ram:RateApplicablePercent>12</ram:RateApplicablePercent>" in xml
    # the rest released, the commission on its price only
    rest = NET + 264_000 - refund
    price_part = rest - round((264_000 * rest) / (NET + 264_000))
    assert view.commission.amount == round(price_part * 5 / 100)


async def paid_without_vat(app, **seller) -> tuple[Invoice, bytes, bytes]:
    """A deal whose seller adds no VAT, accepted and paid: its escrow holds the price alone;
    its receipt, the receipt's PDF and the e-invoice in it (checked valid)."""
    sam, bob, deal_id = await billed_deal(app, **seller)
    await accept_both(app, deal_id, bob, sam)
    escrow = await paid(app, deal_id)
    assert (escrow.amount, escrow.vat, escrow.vat_rate) == (NET, 0, None)
    receipt, = await documents(app, "payment")
    _, pdf = await app.payments.invoice_pdf(receipt.number)
    return receipt, pdf, valid(embedded_xml(pdf), "factur-x")


async def test_a_seller_without_a_vat_number_charges_none_and_its_receipt_is_an_o_e_invoice(app):
    receipt, pdf, xml = await paid_without_vat(app, seller_vat=None)
    assert b"<ram:CategoryCode>O</ram:CategoryCode>" in xml and b"VATEX-EU-O" in xml
    assert amounts(xml)["TaxTotalAmount"] == "0.00"
    pdf_words = " ".join(pdf_text(pdf).split())
    assert "not registered for VAT" in pdf_words
    async with app.uow() as uow:
        assert await invoices.find(uow, receipt.token, by_token=True) is not None


async def test_a_zero_rated_sale_adds_no_vat_and_its_receipt_is_a_z_e_invoice(app):
    _, _, xml = await paid_without_vat(app, rate="0")
    assert b"<ram:CategoryCode>Z</ram:CategoryCode>" in xml
    assert amounts(xml)["TaxTotalAmount"] == "0.00"


async def test_a_later_call_off_is_paid_with_the_vat_its_contract_was_accepted_with(app, clock):
    sam, bob, _, _, first = await contract_agreed(app)
    async with app.uow() as uow:
        await billing.set_billing(uow, sam.id, vat_id="LV40003521600", **LV_SELLER)
        await billing.set_billing(uow, bob.id, **LV_BUYER)
        await uow.commit()
    await accept_terms(app, first, bob, sam)  # accepted once for the contract, at 21 %
    async with app.uow() as uow:  # the seller's rate changes afterwards
        await billing.set_billing(uow, sam.id, vat_id="LV40003521600", vat_rate="12",
                                  **LV_SELLER)
        await uow.commit()
    clock.advance(days=30)
    [second] = await run_contract_timers(app)
    async with app.uow() as uow:
        deal = await uow.session.get(Deal, second)
        assert (deal.vat_rate, deal.vat_minor) == ("21", 462_000)
        escrow = await by_reference(uow, deals.reference(second))
        assert escrow.amount == NET + 462_000
