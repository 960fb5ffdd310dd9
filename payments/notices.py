"""What payer and payee are told about each money movement: a receipt's PDF goes to every party
it concerns, with a Receipt button to download it again. Here, money coming in: a payment
funded or declined; money leaving escrow: payments.settlement_notices."""

from __future__ import annotations

from core.accounts.tables import Account
from core.companies.seats import with_role
from core.companies.tables import Company
from core.deals import deals
from core.i18n import N_, _
from core.money.events import EscrowFunded, PaymentAuthorised, PaymentDeclined, PromotionCharged
from core.money.model import Money, described
from core.notifications.outbox import addressed_to, notify, recipients
from core.process.deals import DealState
from core.storage.uow import UnitOfWork
from payments import invoices, terms_invoices
from payments.document_notices import with_receipt
from payments.lines import subject, with_vat
from payments.tables import Escrow, Invoice

# What the payer and the payee hear once an escrow of each kind is funded: whole sentences, by
# kind (who pays, in the market's words: a session has a seeker, not a buyer).
FUNDED = {"goods": N_("✅ Payment of {amount} for {what} is held in escrow until delivery is confirmed."),
          "session": N_("✅ Payment of {amount} for {what} is authorised (not charged yet)."),
          "charge": N_("✅ Payment of {amount} for {what} was charged."),
          "deposit": N_("🔒 Your payment of {amount} for {what} is held: it comes back after the "
                        "close, or once delivery is confirmed if you win."),
          "package": N_("✅ Payment of {amount} for {what} is held by Agora: each session's share "
                        "goes to the consultant as the session is used.")}
FUNDED_PAYEE = {
    "goods": N_("💰 The buyer's payment of {amount} for {what} is held in escrow until delivery is "
                "confirmed."),
    "session": N_("💰 The seeker's payment of {amount} for {what} is authorised (not charged yet)."),
    "charge": N_("💰 The payer's payment of {amount} for {what} was charged."),
    "package": N_("💰 The seeker's payment of {amount} for {what} is held: each session's share "
                  "is paid to you as the session is used.")}
# A payee whose money is not a seeker's session in the consultants' market has its own words,
# by the reference's kind: an inspector is paid an inspection fee by a deal's party.
FUNDED_PAYEE_OF = {
    "inspection": N_("💰 The inspection fee of {amount} for {what} is authorised (not charged "
                     "yet): it is paid to you once your results are in.")}


def _m(escrow: Escrow, amount: int) -> Money:
    return Money(amount, escrow.currency)


def _payee_words(escrow: Escrow) -> str:
    """What the payee hears of a funded escrow: its reference's own words, else its kind's."""
    return FUNDED_PAYEE_OF.get(escrow.reference.partition(":")[0], FUNDED_PAYEE[escrow.kind])


async def _parties(uow: UnitOfWork, escrow: Escrow) -> None:
    # Both parties and their channels in one query, for the receipt emails and the messages.
    await recipients(uow, {escrow.payer_id} | ({escrow.payee_id} if escrow.payee_id else set()))


async def funded(uow: UnitOfWork, escrow: Escrow, journal: int) -> None:
    await _parties(uow, escrow)
    amount = _m(escrow, escrow.amount)
    if escrow.kind == "deposit":  # security held, not a sale: no receipt, no word to the buyer
        held = FUNDED[escrow.kind]
        async with addressed_to(uow, escrow.payer_id):
            await notify(uow, escrow.payer_id, _(held, amount=amount,
                                                 what=described(escrow.reference)))
        return
    kind = "charge" if escrow.kind == "charge" else "payment"
    # An authorisation is not a payment: a session's card hold gets no numbered receipt (its
    # capture does), and a hold voided later never had one.
    deal = await deals.of_reference(uow, escrow.reference)
    if escrow.kind == "goods" and deal is not None and deal.payment_days and (
            billed := await terms_invoices.invoice_of(uow, escrow.id)):
        await _invoice_paid(uow, escrow, billed)  # its invoice was issued before: no receipt
        return
    paid_for = await subject(uow, escrow)
    invoice = None if escrow.kind == "session" else await invoices.issue(
        uow, escrow, journal, kind, with_vat(escrow, escrow.amount, paid_for.line), 0)
    await with_receipt(uow, escrow.payer_id, lambda: _(FUNDED[escrow.kind], amount=amount,
                                                         what=described(escrow.reference)), invoice)
    if escrow.payee_id is not None:
        await with_receipt(uow, escrow.payee_id,
                            lambda: _(_payee_words(escrow), amount=amount,
                                      what=described(escrow.reference)),
                            invoice)
    await _to_finance(uow, escrow, invoice)


async def _invoice_paid(uow: UnitOfWork, escrow: Escrow, invoice: Invoice) -> None:
    """An invoice on terms paid: the buyer and the seller hear it, with the invoice."""
    amount = _m(escrow, escrow.amount)
    await with_receipt(uow, escrow.payer_id, lambda: _(
        "✅ Your payment of {amount} for {what} arrived: the invoice is paid.", amount=amount,
        what=described(escrow.reference)), invoice)
    assert escrow.payee_id is not None  # a deal's escrow always has its seller
    deal = await deals.of_reference(uow, escrow.reference)
    if deal is not None and deal.status in (DealState.COMPLETED, DealState.CLOSED):  # released right after
        await with_receipt(uow, escrow.payee_id, lambda: _(
            "💰 The buyer paid the invoice for {what} ({amount}); it is released to you now.",
            amount=amount, what=described(escrow.reference)), invoice)
        return
    await with_receipt(uow, escrow.payee_id, lambda: _(
        "💰 The buyer paid the invoice for {what} ({amount}). You are paid once delivery is "
        "confirmed.", amount=amount, what=described(escrow.reference)), invoice)


async def _to_finance(uow: UnitOfWork, escrow: Escrow, invoice: Invoice | None) -> None:
    """A copy of a company purchase's receipt for the company's finance colleagues (finance
    sees invoices and payments), other than the payer herself."""
    deal = await deals.of_reference(uow, escrow.reference)
    if deal is None or deal.company_id is None:
        return
    company = await uow.get(Company, deal.company_id)
    payer = await uow.get(Account, escrow.payer_id)
    for colleague in await with_role(uow, deal.company_id, "see_all", excluding=escrow.payer_id):
        await with_receipt(uow, colleague, lambda: _(
            "🧾 For {company}: {name} paid {amount} into escrow for {what}.",
            company=company.name if company else "—", name=payer.display_name if payer else "—",
            amount=_m(escrow, escrow.amount), what=described(escrow.reference)), invoice)


async def declined(uow: UnitOfWork, escrow: Escrow, message: str) -> None:
    async with addressed_to(uow, escrow.payer_id):
        await notify(uow, escrow.payer_id, _("❌ Payment for {what} failed: {message} Nothing was "
                                             "charged; you can try again.",
                                             what=described(escrow.reference), message=message))


# --- event handlers: run in the transaction that emitted the event, just before COMMIT --------


async def _escrow(uow: UnitOfWork, escrow_id: int) -> Escrow:
    escrow = await uow.get(Escrow, escrow_id)
    assert escrow is not None
    return escrow


async def on_funded(uow: UnitOfWork, event: EscrowFunded | PaymentAuthorised | PromotionCharged
                    ) -> None:
    await funded(uow, await _escrow(uow, event.escrow_id), event.journal_id)


async def on_declined(uow: UnitOfWork, event: PaymentDeclined) -> None:
    await declined(uow, await _escrow(uow, event.escrow_id), event.message)
