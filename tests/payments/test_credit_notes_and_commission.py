"""Documents an accountant accepts: refunds are credit notes naming the receipt they credit, in
their own gap-free series; each payout brings Agora's commission invoice to the payee, with
the VAT treatment of a service, issued once and touching no ledger entry."""

from __future__ import annotations

from sqlalchemy import func, select

from core.accounts import billing
from core.money.model import Money
from payments import commission_invoices
from payments.tables import Escrow, Invoice, LedgerEntry, LedgerJournal
from tests.payments.helpers import ADMIN, BUYER, held_escrow
from tests.support.pdf import pdf_text


async def rows(app, kind: str) -> list[Invoice]:
    async with app.uow() as uow:
        found = list((await uow.session.execute(select(Invoice).where(Invoice.kind == kind)
                                                .order_by(Invoice.id))).scalars())
        uow.session.expunge_all()  # read as they stand now, kept past the session
        return found


async def text_of(app, number: str) -> str:
    _, pdf = await app.payments.invoice_pdf(number)
    return " ".join(pdf_text(pdf).replace("\xa0", " ").split())


async def test_a_partial_refund_is_a_credit_note_naming_the_receipt_and_the_amount(app):
    view = await held_escrow(app, 10_000)
    [receipt] = await rows(app, "payment")
    await app.payments.refund(view.id, Money(3_000, "EUR"), ADMIN)
    await app.payments.refund(view.id, Money(2_000, "EUR"), ADMIN)
    first, second = await rows(app, "credit_note")
    year = receipt.created_at.year
    assert (first.number, second.number) == (f"CN-{year}-000001", f"CN-{year}-000002")
    assert first.refers_to_id == receipt.id and first.total == 3_000
    text = await text_of(app, first.number)
    for expected in (f"Credit note CN-{year}-000001", f"Credits Payment receipt {receipt.number}",
                     "Reason Partial refund of the payment", "Credited: deal #1",
                     "Total credited €30.00"):
        assert expected in text, expected
    [unchanged] = await rows(app, "payment")
    assert (unchanged.number, unchanged.lines, unchanged.total) == (
        receipt.number, receipt.lines, receipt.total)


async def test_a_payout_brings_a_commission_invoice_with_the_reverse_charge_to_an_eu_business(
        app):
    view = await held_escrow(app, 10_000)  # bob pays sue; 5 % commission
    async with app.uow() as uow:
        await billing.set_billing(uow, view.payee_id, legal_name="Sue Handel GmbH",
                                  street="Hauptstraße 5", postcode="10115", town="Berlin",
                                  country="DE", vat_id="DE136695976")
        await uow.commit()
    await app.payments.release(view.id, BUYER)
    [invoice], [statement] = await rows(app, "commission"), await rows(app, "payout")
    assert invoice.number.startswith("CI-") and invoice.journal_id == statement.journal_id
    assert (invoice.payer_id, invoice.payee_id, invoice.total) == (view.payee_id, None, 500)
    text = await text_of(app, invoice.number)
    for expected in ("Commission invoice CI-", "Sue Handel GmbH", "VAT ID: DE136695976",
                     "Platform commission: deal #1", "€5.00",
                     "VAT reverse charge — Article 196, Council Directive 2006/112/EC"):
        assert expected in text, expected
    assert f"Commission invoice {invoice.number}" in await text_of(app, statement.number)


async def test_a_domestic_payee_is_invoiced_vat_included_and_the_ledger_is_untouched(app):
    view = await held_escrow(app, 10_000)
    async with app.uow() as uow:
        await billing.set_billing(uow, view.payee_id, legal_name="Sue SIA", street="Iela 1",
                                  postcode="LV-1010", town="Rīga", country="LV")
        await uow.commit()
    await app.payments.release(view.id, BUYER)
    [invoice] = await rows(app, "commission")
    assert [line[1] for line in invoice.lines] == [413, 87] and invoice.total == 500
    assert "VAT 21% €0.87" in await text_of(app, invoice.number)
    async with app.uow() as uow:
        journals = await uow.session.scalar(select(func.count()).select_from(LedgerJournal))
        entries = await uow.session.scalar(select(func.count()).select_from(LedgerEntry))
        escrow = await uow.session.get(Escrow, view.id)
        again = await commission_invoices.issue(uow, escrow, invoice.journal_id)  # the event again
        await uow.commit()
    assert again.id == invoice.id and len(await rows(app, "commission")) == 1
    async with app.uow() as uow:  # documents only: no journal, no entry added
        assert await uow.session.scalar(select(func.count()).select_from(LedgerJournal)) == journals
        assert await uow.session.scalar(select(func.count()).select_from(LedgerEntry)) == entries
    assert {j for j in await _kinds(app)} == {"fund", "release", "payout"}


async def _kinds(app) -> set[str]:
    async with app.uow() as uow:
        return set((await uow.session.execute(select(LedgerJournal.kind))).scalars())


async def test_a_dispute_split_credits_the_buyers_share_with_the_decision_as_its_reason(app):
    from tests.deals.test_deal_payments import paid_and_split

    await paid_and_split(app)  # 100 t of pellets at 220.00 EUR, 11,000 EUR back to the buyer
    [receipt], [credit] = await rows(app, "payment"), await rows(app, "credit_note")
    assert credit.refers_to_id == receipt.id and credit.total == 1_100_000
    text = await text_of(app, credit.number)
    for expected in (f"Credits Payment receipt {receipt.number}",
                     "Reason Dispute decided: part refunded to the buyer — Half was wet",
                     "Credited: Wood pellets, ENplus A1, 100 t", "EXW Riga port — deal #1"):
        assert expected in text, expected


async def test_a_consultants_payout_brings_a_commission_invoice_naming_the_session(app, clock):
    from core.consulting.sessions import service as sessions
    from tests.consulting.session_support import act, live, people

    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=25)
    await act(app, sessions.end, session_id, seeker)
    [invoice] = await rows(app, "commission")
    assert invoice.payer_id == consultant and invoice.total == 900  # 15 % of €60.00
    text = await text_of(app, invoice.number)
    assert "Platform commission: Consulting session with Jānis Bērziņš" in text


async def test_the_commission_invoices_payer_and_payee_blocks_start_on_one_line():
    from payments import invoice_pdf
    from tests.payments.fakes import MemoryPapers
    from tests.support.pdf import pdf_runs

    papers = MemoryPapers()  # the documents' facts in memory (tests/payments/fakes.py)
    bob, sue = papers.person("bob"), papers.person("sue")
    # the payer's block (five lines) is longer than Agora's
    papers.bill(sue, legal_name="Sue Handel GmbH", street="Hauptstraße 5", postcode="10115",
                town="Berlin", country="DE", vat_id="DE136695976")
    invoice = papers.commission_invoice(papers.receipt(bob, sue, 10_000, "deal:1"), 500)
    pdf = await invoice_pdf.pdf_of(papers, invoice)
    runs = pdf_runs(pdf)
    at = {text: (x, y) for text, x, y in runs}
    payee_first = next(text for text, x, y in runs if x > at["Sue Handel GmbH"][0] + 100
                       and y < at["Payee"][1])
    assert at[payee_first][1] == at["Sue Handel GmbH"][1]
    assert at["Payee"][1] == at["Payer"][1]
