"""The payments port in full: the escrow operations plus wallet, invoices, payouts set-up, upkeep."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select, update

from core.deals.tables import Deal
from core.errors import Conflict, DomainError, NotFound
from core.i18n import _
from core.money.model import CommissionRule, Money
from core.payments_port import Actor, DocumentView, EscrowState, EscrowView, Wallet
from core.storage.uow import UnitOfWork
from payments import (
    direct,
    einvoice_facts,
    einvoices,
    invoices,
    numbering,
    onboarding,
    readers,
    terms_invoices,
)
from payments.crypto_payments import CryptoPayments
from payments.escrow_rows import charge_of, expect, load, transition
from payments.invoice_pdf import TITLES, pdf_of
from payments.providers.base import AskedElsewhere, CryptoProvider, Provider
from payments.reconcile import reconcile
from payments.tables import Escrow, Invoice, OperationStatus, PaymentOperation
from payments.wallet import wallet as wallet_of

log = logging.getLogger(__name__)


class PaymentsService(CryptoPayments):
    """What core and the flows call (`core.payments_port.PaymentsPort`), and the webhooks too."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], provider: Provider,
                 rules: dict[str, CommissionRule], direct_payment: bool = True,
                 crypto: CryptoProvider | None = None, crypto_minutes: int | None = None
                 ) -> None:
        super().__init__(uow_factory, provider, rules)
        self._direct_payment = direct_payment
        self.crypto = crypto
        if crypto_minutes is not None:
            self.crypto_minutes = crypto_minutes

    @property
    def direct_allowed(self) -> bool:
        """Whether parties may arrange payment directly (`AGORA_DIRECT_PAYMENT`)."""
        return self._direct_payment

    async def choose_direct(self, escrow_id: int, account_id: int,
                            uow: UnitOfWork | None = None) -> EscrowView:
        """A party of a goods escrow chooses to pay directly; once both have, nothing is held."""
        if not self._direct_payment:
            raise DomainError(_(direct.OFF))
        async with self.tx(uow) as tx:
            escrow = await direct.choose(tx, await load(tx, escrow_id), account_id)
            if escrow.state == direct.DIRECT:  # nothing is held: what was transferred goes back
                await self.return_received(tx, escrow)
            return self.view(escrow)

    async def decline_direct(self, escrow_id: int, account_id: int,
                             uow: UnitOfWork | None = None) -> EscrowView:
        """A party withdraws or refuses paying directly before both agreed: the escrow stays."""
        async with self.tx(uow) as tx:
            return self.view(await direct.decline(tx, await load(tx, escrow_id), account_id))

    async def cancel_unpaid(self, escrow_id: int, actor: Actor,
                            uow: UnitOfWork | None = None) -> bool:
        """Close a goods escrow still awaiting payment (its deal was cancelled): it can no
        longer be paid, and a payment still arriving is refunded in full. True when this call
        closed it."""
        async with self.tx(uow) as tx:
            escrow = await load(tx, escrow_id)
            expect(escrow, "goods", "cancelled")
            closed = await transition(tx, escrow, (direct.WAITING,), direct.CANCELLED, actor)
            if closed:  # part of it may have arrived by transfer: it goes back
                await self.return_received(tx, escrow)
                await terms_invoices.cancelled(tx, escrow)  # an invoice on terms is credited
            return closed

    async def invoice_on_terms(self, escrow_id: int, deal_id: int) -> None:
        """The goods of a deal paid on terms shipped: its invoice goes out (once), with the
        account and reference the buyer pays it by (a provider call, outside any transaction,
        for a provider that gives each payment its own account)."""
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            payer = escrow.payer_id
        bank = await self.transfer_details(escrow_id, payer)  # None: paid by card alone
        async with self.tx(None) as uow:
            # Hold the escrow while it is still unpaid (a payment arriving now waits for this
            # commit, then finds the invoice and settles its claim); paid or closed: no invoice.
            held = await uow.session.execute(update(Escrow).where(
                Escrow.id == escrow_id, Escrow.state == direct.WAITING)
                .values(updated_at=uow.clock.now()))
            deal = await uow.get(Deal, deal_id)
            if (held.rowcount != 1 or deal is None  # type: ignore[attr-defined]
                    or await terms_invoices.invoice_of(uow, escrow_id) is not None):
                return
            await terms_invoices.issue(uow, await load(uow, escrow_id), deal, bank)

    def may_pay(self, escrow: Escrow) -> None:
        """A test card is refused once both parties arranged payment directly or the deal was
        cancelled (checked in the card's transaction, before the card is tried)."""
        view = self.view(escrow)
        if view.direct:
            raise Conflict(_(direct.AGREED))  # no "declined" notice either
        if view.state == direct.CANCELLED:
            raise Conflict(_(direct.CANCELLED_TEXT))

    async def pay_with_test_card(self, escrow_id: int, card_number: str,
                                 uow: UnitOfWork | None = None) -> EscrowView:
        """As the sandbox pays, but refused once both parties arranged payment directly or
        the deal was cancelled."""
        view = await super().pay_with_test_card(escrow_id, card_number, uow)
        if view.direct:  # arranged a moment ago: the guarded transition held nothing
            raise Conflict(_(direct.AGREED))
        return view

    async def confirmed(self, escrow_id: int, view: EscrowView, charge_ref: str | None,
                        provider_ref: str | None, uow: UnitOfWork | None) -> EscrowView:
        """A payment arriving after direct arrangement, or after the deal was cancelled, holds
        nothing: it is refunded in full."""
        late = view.direct or view.state == direct.CANCELLED
        if late and charge_ref and uow is None:  # a checkout page left open, paid late
            await self._refund_late(escrow_id, charge_ref, provider_ref)
        if uow is None and view.by_transfer and not late:  # paid otherwise than by transfer
            await self.close_transfers_quietly(escrow_id)
        return view

    async def _refund_late(self, escrow_id: int, charge_ref: str, provider_ref: str | None
                           ) -> None:
        """Give back in full a payment that arrived after both chose to pay directly or the
        deal was cancelled. The refund's key is fixed, so the provider's webhook retries refund
        once and the journals post once."""
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            uow.session.expunge(escrow)
        amount = Money(escrow.amount, escrow.currency)
        charge = replace(charge_of(escrow), charge_ref=charge_ref,
                         provider_ref=provider_ref or escrow.provider_ref)
        await self.provider.refund(f"late-refund:{escrow_id}", charge, amount)
        async with self.uow() as uow:
            await direct.refunded_late(uow, escrow, amount)
            await uow.commit()

    def view(self, escrow: Escrow) -> EscrowView:
        """The escrow as the port shows it, with the parties' choice of paying directly."""
        view = super().view(escrow)
        if escrow.kind != "goods":
            return view
        arranged = escrow.state == direct.DIRECT
        fee = Money(0, escrow.currency) if arranged else view.commission  # none when Agora holds none
        return replace(view, commission=fee, direct=arranged,
                       direct_payer=escrow.direct_payer_at is not None,
                       direct_payee=escrow.direct_payee_at is not None,
                       # its transfer account, if any, was kept when this was set (BankTransfers)
                       by_transfer=escrow.transfer_at is not None)

    async def invoice_pdf(self, number_or_token: str, by_token: bool = False) -> tuple[str, bytes]:
        """An invoice's number and PDF, by number (chat) or by its secret token (download link)."""
        async with self.uow() as uow:
            invoice = await invoices.find(uow, number_or_token, by_token)
            return invoice.number or "pending", await pdf_of(uow, invoice)

    async def invoice_xml(self, token: str, syntax: str = "cii") -> tuple[str, bytes]:
        """A document's e-invoice by its secret token: CII or UBL, XRechnung for a buyer in
        Germany (payments.xrechnung), else EN 16931; NotFound when the document has none
        (payments.einvoices)."""
        async with self.uow() as uow:
            return await _einvoice(uow, await invoices.find(uow, token, by_token=True), syntax)

    async def recover(self) -> int:
        """Retry every pending operation with its own idempotency key; returns how many."""
        async with self.uow() as uow:
            ops = list((await uow.session.execute(
                select(PaymentOperation).where(PaymentOperation.status == OperationStatus.PENDING)
                .order_by(PaymentOperation.id))).scalars())
            escrows = {op.id: await load(uow, op.escrow_id) for op in ops}
            uow.session.expunge_all()  # keep them readable after the transaction ends
        for op in ops:
            try:
                await self._call(op, escrows[op.id])
            except AskedElsewhere:  # another worker is asking for it now; the next run looks
                log.info("payment operation %s is being asked elsewhere", op.key)
            except Exception:
                log.exception("payment operation %s still pending", op.key)
        return len(ops) + await self.send_returns()

    async def number_invoices(self) -> int:
        """Number invoices left unnumbered (a crash right after their payment); returns how many."""
        return await numbering.number_invoices(self.uow())

    async def documents(self, reference: str, account_id: int,
                        uow: UnitOfWork | None = None) -> list[DocumentView]:
        """The escrow's documents that concern this account, oldest first, with their links."""
        async with self.tx(uow) as tx:
            found = await invoices.of_reference(tx, reference)
            return [DocumentView(d.kind, TITLES.get(d.kind, d.kind), d.number,
                                 Money(d.total, d.currency), d.created_at, invoices.link(d))
                    for d in await readers.readable(tx, reference, found, account_id)]

    async def invoice_for(self, number: str, account_id: int,
                          uow: UnitOfWork | None = None) -> tuple[str, bytes]:
        """An invoice PDF for one who may read it (payments.readers): a party it concerns, or
        a colleague who may see the company's deal; NotFound for anyone else."""
        async with self.tx(uow) as uow:
            invoice = await _readable(uow, number, account_id)
            return invoice.number or "pending", await pdf_of(uow, invoice)

    async def einvoice_for(self, number: str, account_id: int, syntax: str = "cii",
                           uow: UnitOfWork | None = None) -> tuple[str, bytes]:
        """A document's EN 16931 e-invoice (CII or UBL) for one who may read it, as
        `invoice_for`; NotFound for anyone else, or for a document without one."""
        async with self.tx(uow) as uow:
            return await _einvoice(uow, await _readable(uow, number, account_id), syntax)

    @property
    def test_mode(self) -> bool:
        return self.provider.test_mode

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(self.provider.payment_methods)

    async def onboarding_link(self, account_id: int, uow: UnitOfWork | None = None) -> str | None:
        """A link to set up payouts at the provider, or None when no set-up is needed."""
        if not getattr(self.provider, "needs_onboarding", False):
            return None
        async with self.tx(uow) as uow:
            return await onboarding.link(uow, self.provider, account_id)

    async def settle_expiring(self, older_than_days: int = 5) -> int:
        """Void authorisations older than `older_than_days` (card holds lapse after about 7)."""
        async with self.uow() as uow:
            cutoff = uow.clock.now() - timedelta(days=older_than_days)
            ids = list((await uow.session.execute(select(Escrow.id).where(
                Escrow.state == EscrowState.AUTHORISED, Escrow.updated_at < cutoff))).scalars())
        actor = Actor("system:scheduler", "authorisation about to expire")
        for escrow_id in ids:
            try:
                await self.void(escrow_id, actor)
            except DomainError:
                log.info("escrow %s changed before it could be voided", escrow_id)
        return len(ids)

    async def wallet(self, account_id: int, uow: UnitOfWork | None = None) -> Wallet:
        """Held, incoming, pending and paid-out money and recent movements, from the ledger."""
        async with self.tx(uow) as uow:
            return await wallet_of(uow, self.provider, account_id)

    async def by_token(self, token: str) -> EscrowView:
        async with self.uow() as uow:
            escrow = (await uow.session.execute(
                select(Escrow).where(Escrow.pay_token == token))).scalar_one_or_none()
            if escrow is None:
                raise NotFound(_("There is no such payment."))
            return self.view(escrow)

    async def account_updated(self, external_id: str, ready: bool, at: datetime) -> None:
        """The provider's word on a connected account; a newly ready payee gets waiting payouts."""
        async with self.uow() as uow:
            payee = await onboarding.account_updated(uow, external_id, ready, at)
            waiting = list((await uow.session.execute(select(Escrow.id).where(
                Escrow.payee_id == payee, Escrow.payout_state == "waiting"))).scalars())
            await uow.commit()
        for escrow_id in waiting if payee is not None else []:
            await self._try_payout(escrow_id)

    async def reconcile(self) -> tuple[int, list[str]]:
        """Compare the ledger with the provider's balance transactions; (checked, mismatches)."""
        if not hasattr(self.provider, "balance_transactions"):
            return 0, []
        async with self.uow() as uow:
            return await reconcile(uow, self.provider)

    async def pending_operation(self, escrow_id: int, kind: str) -> str | None:
        """The key of the escrow's pending operation of `kind`, if any (for webhooks)."""
        async with self.uow() as uow:
            return (await uow.session.execute(select(PaymentOperation.key).where(
                PaymentOperation.escrow_id == escrow_id, PaymentOperation.kind == kind,
                PaymentOperation.status == OperationStatus.PENDING))).scalar()


async def _readable(uow: UnitOfWork, number: str, account_id: int) -> Invoice:
    """The document by its number, for one who may read it; NotFound (no hint that it
    exists) for anyone else."""
    invoice = await invoices.find(uow, number)
    if not await readers.may_read(uow, invoice, account_id):
        raise NotFound(_("There is no such invoice."))
    return invoice


async def _einvoice(uow: UnitOfWork, invoice: Invoice, syntax: str) -> tuple[str, bytes]:
    """A document's number and its e-invoice; NotFound when it has none (payments.einvoices)."""
    facts = await einvoice_facts.facts_of(uow, invoice)
    if facts is None:
        raise NotFound(_("This document has no e-invoice: Agora issues one where it knows the "
                         "VAT treatment."))
    return invoice.number or "pending", einvoices.xml(facts, syntax)
