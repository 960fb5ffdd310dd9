"""Payment on terms, end to end through the deal and the money layer: Agora's finance approves a
company for it; its buyer agrees net 30 in an offer; accepting the terms sends the goods first
(no payment asked); shipping issues the invoice, due 30 days later, with the account and the
reference to pay it by, as an EN 16931 e-invoice (BT-9, BG-16) that passes the schema and the
schematron; the ledger holds the claim until it is paid; reminders go before and after the due
date and, a week late, to the operators; the transfer that pays it releases the seller's money
at once when delivery was confirmed; a deal refunded unpaid cancels the invoice with a credit
note."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.companies.billing import give
from core.companies.seats import seat_of
from core.deals import deals, on_terms, pay_terms
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.tables import Deal
from core.deals.terms import service as deal_terms
from core.errors import DomainError, NotAllowed
from core.money.model import Money
from core.operators import grants
from payments import ledger, terms_reminders
from payments.bridges.deals import DealPayments
from payments.escrow_rows import by_reference
from payments.tables import Escrow, Invoice
from tests.catalog.helpers import make_account
from tests.companies.test_purchase_approval import company_of_three, terms
from tests.deals.offer_fakes import ANNA, BOB, SAM, MemoryNegotiation
from tests.payments.einvoice_checks import embedded_xml, valid
from tests.support.outbox import told_buttons
from tests.support.outbox import told_texts as told_raw
from tests.support.pdf import pdf_text

PRICE = 400_000  # 20 t at 200.00 EUR
WITH_VAT = 484_000  # and the Latvian seller's 21 %


async def told_texts(app, who: int, containing: str = "") -> list[str]:
    """The texts written for `who` containing a phrase, with the Latvian money format's
    no-break spaces as plain ones (every member here writes amounts the Latvian way)."""
    plain = [" ".join(t.replace("\xa0", " ").replace("\u202f", " ").split(" "))
             for t in await told_raw(app, who)]
    return [text for text in plain if containing in text]


def net30(quantity: str = "20", price: str = "200") -> Terms:
    found = terms(quantity, price)
    return Terms(found.quantity, found.price, found.incoterm, found.place,
                        payment_method="net30")


async def approved_company(app, days: int = 30, limit: str = "50000"):
    """Baltic Heat AS (Alice admin, Anna buyer, Fred finance) approved by root for payment on
    terms; Sam, the seller, and the company gave their Latvian billing details."""
    sam, alice, anna, fred, bob, listing_id = await company_of_three(app)
    root = await make_account(app, "root")
    async with app.uow() as uow:
        assert await on_terms.methods_for(uow, anna.id) == ()  # not approved yet
        await give(uow, sam.id, legal_name="Sam Granulas SIA", street="Brīvības iela 1",
                   postcode="LV-1010", town="Rīga", country="LV", vat_id="LV40003521600")
        await give(uow, alice.id, legal_name="Baltic Heat AS", street="Elizabetes iela 5",
                   postcode="LV-1010", town="Rīga", country="LV", vat_id="LV40003000002")
        company_id = (await seat_of(uow, anna.id)).company.id
        await on_terms.approve(uow, root.id, company_id, days, Money.parse(limit, "EUR"))
        await uow.commit()
    return sam, alice, anna, fred, bob, root, listing_id, company_id


async def agreed_on_terms(app):
    """Anna's net 30 offer (20 t at 200.00 EUR) accepted by Sam, and the terms by both."""
    sam, _alice, anna, fred, _bob, root, listing_id, company_id = await approved_company(app)
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, anna.id, net30())
        deal = await offers.accept(uow, offer.id, sam.id)
        await uow.commit()
    async with app.uow() as uow:
        version = await deal_terms.current(uow, deal.id)
        assert version.body["payment_method"] == "net30"
        assert "invoice-due" in version.body["deadlines"]
        assert "cancel-unpaid" not in version.body["deadlines"]
        await deal_terms.accept(uow, deal.id, anna.id, version.sha256)
        await deal_terms.accept(uow, deal.id, sam.id, version.sha256)
        await uow.commit()
    return sam, anna, fred, root, company_id, deal.id


async def the(app, deal_id: int) -> tuple[Deal, Escrow | None]:
    async with app.uow() as uow:
        deal = await uow.session.get(Deal, deal_id)
        escrow = await by_reference(uow, deals.reference(deal_id))
        uow.session.expunge_all()
        return deal, escrow


async def kinds(app, escrow_id: int) -> list[str]:
    async with app.uow() as uow:
        return list((await uow.session.execute(select(Invoice.kind).where(
            Invoice.escrow_id == escrow_id).order_by(Invoice.id))).scalars())


async def claim(app, escrow: Escrow) -> tuple[int, int]:
    """What the ledger says the buyer owes and the seller is owed on the invoice."""
    async with app.uow() as uow:
        return (await ledger.balance(uow, ledger.user(escrow.payer_id, "owes", str(escrow.id)),
                                     "EUR"),
                await ledger.balance(uow, ledger.user(escrow.payee_id, "invoiced",
                                                      str(escrow.id)), "EUR"))


async def ship(app, sam, deal_id: int) -> None:
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-7", None)
        await uow.commit()


async def test_only_finance_approves_payment_on_terms_and_the_company_hears_what_it_allows(app):
    _sam, alice, anna, fred, _bob, _listing = await company_of_three(app)
    root = await make_account(app, "root")
    sue, fiona = await make_account(app, "sue"), await make_account(app, "fiona")
    async with app.uow() as uow:
        await grants.grant(uow, root.id, sue.id, "support")
        await grants.grant(uow, root.id, fiona.id, "finance")
        company_id = (await seat_of(uow, anna.id)).company.id
        await uow.commit()
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):
            await on_terms.approve(uow, sue.id, company_id, 30, Money.parse("50000", "EUR"))
        with pytest.raises(NotAllowed):
            await on_terms.approve(uow, anna.id, company_id, 30, Money.parse("50000", "EUR"))
        with pytest.raises(DomainError, match="net 14 or net 30"):
            await on_terms.approve(uow, fiona.id, company_id, 45, Money.parse("50000", "EUR"))
        await on_terms.approve(uow, fiona.id, company_id, 30, Money.parse("50000", "EUR"))
        await uow.commit()
    for member in (alice, fred):  # the admin and finance hear it; the buyer does not
        assert await told_texts(app, member.id, "Agora approved Baltic Heat AS for payment on "
                                                "terms: sellers may now offer invoices due up to "
                                                "30 days after shipment, for up to 50 000,00 €")
    assert not await told_texts(app, anna.id, "approved Baltic Heat AS")
    async with app.uow() as uow:
        assert await on_terms.methods_for(uow, anna.id) == ("net14", "net30")
        await on_terms.withdraw(uow, fiona.id, company_id)
        await uow.commit()
    assert await told_texts(app, alice.id, "Payment on terms for Baltic Heat AS was withdrawn")
    async with app.uow() as uow:
        assert await on_terms.methods_for(uow, anna.id) == ()


async def test_an_offer_on_terms_needs_an_approved_company_within_its_days_and_limit():
    """On the in-memory negotiation: Baltic Heat AS approved for net 14 up to €5,000, Anna
    buying for it, Bob on his own."""
    book = MemoryNegotiation()
    listing_id = book.listed(SAM, quantity="500", min_order="20")
    book.seated(ANNA, limit=Money.parse("10000", "EUR"), terms=(14, Money.parse("5000", "EUR")))
    with pytest.raises(DomainError, match="only for companies Agora approved"):
        await offers.make_offer(book, listing_id, BOB, net30())  # no company
    with pytest.raises(DomainError, match="up to 14 days"):
        await offers.make_offer(book, listing_id, ANNA, net30())
    first = await offers.make_offer(book, listing_id, ANNA, Terms(
        **{**net30().__dict__, "payment_method": "net14"}))  # 4,000 of 5,000
    await offers.accept(book, first.id, SAM)
    seat = await book.seat(ANNA)  # what `on_terms.methods_for` reads
    assert on_terms.methods_within(seat.company.terms_days if seat else None) == ("net14",)
    with pytest.raises(DomainError, match=r"owes on terms to €8,000\.00, above its limit"):
        await offers.make_offer(book, listing_id, ANNA, Terms(
            **{**net30().__dict__, "payment_method": "net14"}))
    await offers.make_offer(book, listing_id, ANNA, terms("20", "200"))  # escrow: fine


async def test_a_deal_on_terms_ships_first_is_invoiced_and_released_once_the_invoice_is_paid(
        app, clock):
    sam, anna, fred, root, company_id, deal_id = await agreed_on_terms(app)
    deal, escrow = await the(app, deal_id)
    assert deal.status == "to_ship" and deal.payment_days == 30  # no payment asked first
    assert (escrow.state, escrow.amount) == ("awaiting_payment", WITH_VAT)
    assert await told_texts(app, anna.id, "with payment on terms: the seller ships by")
    assert await told_texts(app, sam.id, "with payment on terms: ship by")
    assert not await told_texts(app, anna.id, "into escrow")
    async with app.uow() as uow:
        company = await uow.session.get(on_terms.Company, company_id)
        assert (await on_terms.standing(uow, company)).owed == Money(PRICE, "EUR")

    await ship(app, sam, deal_id)  # the invoice goes out, due 30 days after shipment
    deal, escrow = await the(app, deal_id)
    assert deal.payment_due_on == clock.now().date() + timedelta(days=30)
    assert await kinds(app, escrow.id) == ["terms"]
    assert await claim(app, escrow) == (-WITH_VAT, WITH_VAT)
    due_words = await told_texts(app, anna.id, "Your invoice for deal #")
    assert len(due_words) == 1 and "4 840,00 €, due on" in due_words[0]
    assert "with the reference RF" in due_words[0]
    assert ("deal_step", f"{deal_id}:pay") in await told_buttons(app, anna.id, "Your invoice")
    assert await told_texts(app, fred.id, "For Baltic Heat AS: an invoice for deal #")
    assert await told_texts(app, sam.id, "The buyer's invoice for deal #")

    async with app.uow() as uow:  # an EN 16931 invoice to be paid: due date, account, reference
        invoice = (await uow.session.execute(select(Invoice).where(
            Invoice.kind == "terms"))).scalar_one()
        uow.session.expunge_all()
    _, pdf = await app.payments.invoice_pdf(invoice.token, by_token=True)
    xml = valid(embedded_xml(pdf), "factur-x")
    assert f"<udt:DateTimeString format=\"102\">{deal.payment_due_on:%Y%m%d}".encode() in xml
    assert b"<ram:DuePayableAmount>4840.00</ram:DuePayableAmount>" in xml
    assert b"<ram:TypeCode>58</ram:TypeCode>" in xml and b"<ram:IBANID>" in xml
    assert b"<ram:PaymentReference>RF" in xml
    text = " ".join(pdf_text(pdf).split())
    assert f"Due date {deal.payment_due_on.isoformat()}" in text and "30 days net" in text
    valid((await app.payments.invoice_xml(invoice.token, "ubl"))[1], "ubl-2.1")

    async with app.uow() as uow:  # delivered and confirmed before it is paid: nothing released
        await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
        await deals.take(uow, deal_id, "confirm-receipt", anna.id)
        await uow.commit()
    deal, escrow = await the(app, deal_id)
    assert (deal.status, escrow.state) == ("completed", "awaiting_payment")
    assert await told_texts(app, sam.id, "You are paid, minus commission, once the buyer pays")

    sent = []
    for days in (26, 1, 3, 1, 6, 1):  # 4 days before, 3 before, due, 1 late, 7 late, 8 late
        clock.advance(days=days)
        sent.append([stage for _, stage in await terms_reminders.run(app.uow)])
    assert sent == [[], [pay_terms.BEFORE], [], [pay_terms.OVERDUE], [pay_terms.TO_OPERATORS], []]
    assert len(await told_texts(app, anna.id, "is due on")) == 1
    assert await told_texts(app, anna.id, "was due on") and await told_texts(
        app, sam.id, "not paid yet. Agora reminded them.")
    assert await told_texts(app, root.id, "a week past its due date")

    outcome = await app.payments.send_test_transfer(escrow.id, anna.id, Money(WITH_VAT, "EUR"),
                                                    "bank-tx-1")
    assert outcome.outcome == "paid"
    deal, escrow = await the(app, deal_id)
    assert deal.terms_paid_at is not None and escrow.state == "released"  # paid after delivery
    assert await kinds(app, escrow.id) == ["terms", "payout", "commission"]  # no second invoice
    assert await claim(app, escrow) == (0, 0)
    assert await told_texts(app, anna.id, "arrived: the invoice is paid")
    assert await told_texts(app, sam.id, "released to you for deal #")
    clock.advance(days=2)
    assert await terms_reminders.run(app.uow) == []  # paid: no more reminders
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
        company = await uow.session.get(on_terms.Company, company_id)
        assert (await on_terms.standing(uow, company)).owed == Money(0, "EUR")
    assert await DealPayments(app.payments).catch_up() == 0


async def test_a_deal_on_terms_refunded_unpaid_cancels_its_invoice_with_a_credit_note(app):
    sam, anna, _fred, root, _company, deal_id = await agreed_on_terms(app)
    await ship(app, sam, deal_id)
    async with app.uow() as uow:
        dispute = await after_sale.open_dispute(uow, deal_id, anna.id, "Nothing arrived")
        await after_sale.decide(uow, dispute.id, root.id, "refund", "Lost in transit")
        await uow.commit()
    deal, escrow = await the(app, deal_id)
    assert (deal.status, escrow.state) == ("refunded", "cancelled")
    assert await kinds(app, escrow.id) == ["terms", "credit_note"]
    assert await claim(app, escrow) == (0, 0)
    async with app.uow() as uow:
        note = (await uow.session.execute(select(Invoice).where(
            Invoice.kind == "credit_note"))).scalar_one()
        original = (await uow.session.execute(select(Invoice).where(
            Invoice.kind == "terms"))).scalar_one()
        assert (note.refers_to_id, note.total) == (original.id, WITH_VAT)
        assert await ledger.unbalanced_journals(uow) == []
    assert await told_texts(app, anna.id, "the invoice is cancelled, nothing is owed")
    assert not await told_texts(app, anna.id, "full refund to you")


async def test_payment_on_terms_cannot_be_changed_on_the_deal_nor_arranged_directly(app):
    sam, anna, _fred, _root, _company, deal_id = await agreed_on_terms(app)
    async with app.uow() as uow:
        with pytest.raises(DomainError, match="agreed in the offer"):
            await deal_terms.change(uow, deal_id, sam.id, {"payment_method": "escrow"})
    _, escrow = await the(app, deal_id)
    for party in (anna, sam):
        with pytest.raises(DomainError, match="cannot be arranged directly"):
            await app.payments.choose_direct(escrow.id, party.id)


async def test_a_deal_on_terms_not_shipped_in_time_ends_with_nothing_owed(app, clock):
    sam, anna, _fred, _root, _company, deal_id = await agreed_on_terms(app)
    clock.advance(days=15)  # the seller never shipped: the deal ends, its stock returns
    async with app.uow() as uow:
        await deals.run_due(uow)
        await uow.commit()
    await DealPayments(app.payments).catch_up()  # the money step after the timer
    deal, escrow = await the(app, deal_id)
    assert (deal.status, escrow.state) == ("refunded", "cancelled")
    assert await kinds(app, escrow.id) == []  # never invoiced
    assert await told_texts(app, anna.id, "ended before the goods shipped: nothing is owed")
    assert await told_texts(app, sam.id, "the buyer owes nothing")


async def test_a_deal_on_terms_paid_before_shipping_is_an_ordinary_paid_deal(app):
    sam, anna, _fred, _root, company_id, deal_id = await agreed_on_terms(app)
    _, escrow = await the(app, deal_id)
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    await ship(app, sam, deal_id)
    deal, escrow = await the(app, deal_id)
    assert deal.terms_paid_at is not None and deal.payment_due_on is None
    assert (escrow.state, await kinds(app, escrow.id)) == ("held", ["payment"])  # its receipt
    async with app.uow() as uow:
        company = await uow.session.get(on_terms.Company, company_id)
        assert (await on_terms.standing(uow, company)).owed == Money(0, "EUR")
        await deals.take(uow, deal_id, "confirm-receipt", anna.id)
        await uow.commit()
    assert (await the(app, deal_id))[1].state == "released"
    assert await told_texts(app, sam.id, "the escrow is released to you")


async def test_the_money_catch_up_waits_for_both_acceptances_and_for_the_goods_to_leave(app):
    """Before both accept, nothing is opened (the VAT is fixed at the second acceptance); a
    deal disputed before shipping is never invoiced."""
    sam, _alice, anna, _fred, _bob, _root, listing_id, _company = await approved_company(app)
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, anna.id, net30())
        deal = await offers.accept(uow, offer.id, sam.id)
        await uow.commit()
    catch_up = DealPayments(app.payments).catch_up
    assert await catch_up() == 0 and (await the(app, deal.id))[1] is None
    async with app.uow() as uow:
        version = await deal_terms.current(uow, deal.id)
        for party in (anna, sam):
            await deal_terms.accept(uow, deal.id, party.id, version.sha256)
        await after_sale.open_dispute(uow, deal.id, anna.id, "Wrong grade promised")
        await uow.commit()
    await catch_up()
    deal_now, escrow = await the(app, deal.id)
    assert (deal_now.status, escrow.amount) == ("disputed", WITH_VAT)  # with the VAT fixed
    assert await kinds(app, escrow.id) == [] and deal_now.payment_due_on is None


async def test_a_seller_refused_on_terms_learns_nothing_of_the_companys_limit():
    """On the in-memory negotiation (`tests/deals/offer_fakes.py`): Baltic Heat AS approved
    for net 30 up to €5,000, Anna buying for it (her own limit €10,000)."""
    book = MemoryNegotiation()
    listing_id = book.listed(SAM, quantity="500", min_order="20")
    book.seated(ANNA, limit=Money.parse("10000", "EUR"), terms=(30, Money.parse("5000", "EUR")))
    offer = await offers.make_offer(book, listing_id, ANNA, terms("20", "200"))
    with pytest.raises(DomainError) as refused:  # 30 t at 200.00: 6,000 above 5,000
        await offers.counter(book, offer.id, SAM, net30("30"))
    assert "cannot pay on terms for this purchase" in str(refused.value)
    assert "5,000" not in str(refused.value) and "Baltic" not in str(refused.value)


async def test_reminders_wait_while_disputed_and_ask_only_for_what_is_still_due(app, clock):
    sam, anna, _fred, _root, _company, deal_id = await agreed_on_terms(app)
    await ship(app, sam, deal_id)
    _, escrow = await the(app, deal_id)
    await app.payments.send_test_transfer(escrow.id, anna.id, Money(84_000, "EUR"), "part-1")
    clock.advance(days=27)
    assert [stage for _, stage in await terms_reminders.run(app.uow)] == [pay_terms.BEFORE]
    reminder = (await told_texts(app, anna.id, "is due on"))[-1]
    assert "(4 000,00 €)" in reminder  # 4,840.00 less the 840.00 already transferred
    async with app.uow() as uow:
        await after_sale.open_dispute(uow, deal_id, anna.id, "Moisture far too high")
        await uow.commit()
    clock.advance(days=5)  # overdue, but an admin is deciding: no reminder meanwhile
    assert await terms_reminders.run(app.uow) == []
