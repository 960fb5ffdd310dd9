"""Paying goods in crypto: an invoice at the crypto provider for what is missing, its payments
counted like bank transfers — towards the payment, the payment held in escrow once complete,
anything too much or too late sent back through the crypto provider.

Each invoice (`crypto_invoices`) keeps what Agora counted from it so far. BTCPay Server's
webhooks only say that something happened; what an invoice was paid is read back from the
provider (its settled payments, at the invoice's rate), and only what is new since the last
count is recorded — as an incoming payment keyed by the invoice and its new total, so a
redelivered webhook, or two events about one payment, move no money twice. The sandbox's test
payments are keyed by the page's form instead, as test transfers are.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from core.deals import accepted
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.events import CryptoInvoiceClosed, CryptoPaymentSeen, CryptoReturnClaimable
from core.money.model import Money
from core.payments_port import CryptoView, TransferOutcome
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert
from payments import crypto_rules
from payments.bank_transfers import BankTransfers
from payments.crypto_rules import CryptoInvoiceState
from payments.escrow_rows import charge_of, load
from payments.providers.base import (
    AskedElsewhere,
    BankAccount,
    Charge,
    CryptoProvider,
    CryptoReturn,
    ProviderError,
    ProviderUnsure,
)
from payments.tables import (
    CryptoInvoice,
    Escrow,
    IncomingTransfer,
    OperationStatus,
    PaymentOperation,
)
from payments.transfer_matching import CRYPTO_PREFIX, WAITING, _locked, received_so_far

log = logging.getLogger(__name__)


def invoice_of(bank_ref: str) -> str | None:
    """The crypto invoice an incoming payment's `bank_ref` names (crypto:<invoice>:<part>)."""
    if not bank_ref.startswith(CRYPTO_PREFIX):
        return None
    return bank_ref.removeprefix(CRYPTO_PREFIX).rpartition(":")[0] or None


class CryptoPayments(BankTransfers):
    """The crypto side of the payments service (its provider: `crypto`, None when none)."""

    crypto: CryptoProvider | None = None
    crypto_minutes: int = crypto_rules.INVOICE_MINUTES

    @property
    def takes_crypto(self) -> bool:
        """Whether payers can pay goods in crypto."""
        return self.crypto is not None

    async def crypto_invoice(self, escrow_id: int, account_id: int,
                             uow: UnitOfWork | None = None) -> CryptoView | None:
        """The invoice the payer pays this escrow with: the open one asking what is missing,
        else a new one for it (a provider call, keyed so a retry finds the same invoice)."""
        if self.crypto is None:
            return None
        async with self.tx(uow) as tx:
            view = await self.payable(escrow_id, account_id, tx)
            if view.kind != "goods":
                return None
            await accepted.check_payee_way(tx, view.kind, view.payee_id, "crypto")
            received = await received_so_far(tx, view.id)
            missing = view.amount.amount - received
            row = await _open_invoice(tx, view.id, missing)
            made = int((await tx.session.execute(select(func.count(CryptoInvoice.id)).where(
                CryptoInvoice.escrow_id == view.id))).scalar() or 0)
            charge = charge_of(await load(tx, view.id))
            now = tx.clock.now()
        if row is None:
            amount = Money(missing, view.amount.currency)
            invoiced = await self.crypto.create_invoice(f"crypto-invoice:{view.id}:{made + 1}",
                                                        charge, amount, self.crypto_minutes)
            async with self.tx(uow) as tx:
                await tx.session.execute(dialect_insert(tx, CryptoInvoice).values(
                    escrow_id=view.id, provider=self.crypto.name, invoice_ref=invoiced.ref[:80],
                    url=invoiced.url[:500], currency=amount.currency, amount=missing, counted=0,
                    status=CryptoInvoiceState.NEW, created_at=now, seen_at=None,
                    expires_at=crypto_rules.expires_at(now, self.crypto_minutes))
                    .on_conflict_do_nothing())
                row = await _invoice(tx, invoiced.ref[:80])
        assert row is not None
        currency = view.amount.currency
        return CryptoView(view.id, view.reference, view.amount, Money(received, currency),
                          Money(row.amount - row.counted, currency), row.url, row.expires_at,
                          self.crypto.test_mode)

    async def send_test_crypto(self, escrow_id: int, account_id: int, amount: Money,
                               payment_ref: str, uow: UnitOfWork | None = None
                               ) -> TransferOutcome:
        """Test mode: the payer "pays" on the escrow's newest test invoice (also after the
        payment closed, to see a late payment sent back); the same form counts once."""
        if self.crypto is None or not self.crypto.test_mode:
            raise DomainError(_("Test crypto payments work only in sandbox mode."))
        async with self.tx(uow) as tx:
            escrow = await _locked(tx, escrow_id)
            if escrow.payer_id != account_id:
                raise NotAllowed(_("That payment is someone else's."))
            if amount.amount <= 0:
                raise DomainError(_("A payment must bring more than zero."))
            if amount.amount > 10 * escrow.amount:  # a typo, not a test worth a ledger entry
                raise DomainError(_("A test payment can be at most {most}.",
                                    most=Money(10 * escrow.amount, escrow.currency)))
            row = (await tx.session.execute(select(CryptoInvoice).where(
                CryptoInvoice.escrow_id == escrow_id).order_by(CryptoInvoice.id.desc())
                .limit(1))).scalar_one_or_none()
            if row is None:
                raise NotFound(_("This payment has no crypto invoice yet."))
            return await self._count(tx, escrow, row, f"{row.invoice_ref}:p{payment_ref}",
                                     amount)

    async def expire_test_crypto(self, escrow_id: int, account_id: int) -> bool:
        """Test mode: the escrow's open test invoice expires now, as BTCPay's would (its payer
        is told, and asking again makes a new one). True when one was open."""
        if self.crypto is None or not self.crypto.test_mode:
            raise DomainError(_("Test crypto payments work only in sandbox mode."))
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            if escrow.payer_id != account_id:
                raise NotAllowed(_("That payment is someone else's."))
            ref = (await uow.session.execute(select(CryptoInvoice.invoice_ref).where(
                CryptoInvoice.escrow_id == escrow_id,
                CryptoInvoice.status == CryptoInvoiceState.NEW)
                .order_by(CryptoInvoice.id.desc()).limit(1))).scalar()
        if ref is None:
            raise NotFound(_("This payment has no crypto invoice yet."))
        return await self.crypto_closed(ref, CryptoInvoiceState.EXPIRED)

    async def crypto_update(self, invoice_ref: str) -> TransferOutcome | None:
        """The provider said an invoice moved: what it was paid is read back and what is new
        counted (None when nothing new, or the invoice is no escrow's)."""
        async with self.uow() as uow:
            row = await _invoice(uow, invoice_ref)
        if row is None or self.crypto is None:
            log.warning("crypto invoice %s belongs to no payment", invoice_ref)
            return None
        state = await self.crypto.invoice_state(invoice_ref, Money(row.amount, row.currency))
        async with self.uow() as uow:
            escrow = await _locked(uow, row.escrow_id)
            row = await _invoice(uow, invoice_ref)
            assert row is not None
            outcome = None
            new = crypto_rules.new_since(state.settled, row.counted)
            if new:
                outcome = await self._count(uow, escrow, row, f"{invoice_ref}:{state.settled}",
                                            Money(new, row.currency))
            if state.confirming and not new:
                await self._seen(uow, escrow, row, Money(state.confirming, row.currency))
            if state.status == CryptoInvoiceState.SETTLED:
                await uow.session.execute(update(CryptoInvoice).where(
                    CryptoInvoice.id == row.id, CryptoInvoice.status == CryptoInvoiceState.NEW)
                    .values(status=CryptoInvoiceState.SETTLED))
            await uow.commit()
        return outcome

    @staticmethod
    async def _seen(uow: UnitOfWork, escrow: Escrow, row: CryptoInvoice, confirming: Money
                    ) -> None:
        """A payment seen, still confirming: its payer is told once per invoice."""
        first = await uow.session.execute(update(CryptoInvoice).where(
            CryptoInvoice.id == row.id, CryptoInvoice.seen_at.is_(None))
            .values(seen_at=uow.clock.now()))
        if first.rowcount == 1 and escrow.state == WAITING:  # type: ignore[attr-defined]
            uow.emit(CryptoPaymentSeen(escrow.id, escrow.payer_id, confirming))

    async def crypto_closed(self, invoice_ref: str, why: str) -> bool:
        """The invoice expired or was found invalid: what settled on it still counts, and a
        payer whose payment is not complete is told (once). True when this call closed it."""
        await self.crypto_update(invoice_ref)
        async with self.uow() as uow:
            row = await _invoice(uow, invoice_ref)
            if row is None:
                return False
            escrow = await _locked(uow, row.escrow_id)
            closed = await uow.session.execute(update(CryptoInvoice).where(
                CryptoInvoice.id == row.id, CryptoInvoice.status == CryptoInvoiceState.NEW)
                .values(status=CryptoInvoiceState(why)))
            if closed.rowcount != 1:  # type: ignore[attr-defined]
                return False
            if escrow.state == WAITING:
                received = await received_so_far(uow, escrow.id)
                uow.emit(CryptoInvoiceClosed(
                    escrow.id, escrow.payer_id, why, Money(received, escrow.currency),
                    Money(max(escrow.amount - received, 0), escrow.currency)))
            await uow.commit()
        return True

    async def _count(self, uow: UnitOfWork, escrow: Escrow, row: CryptoInvoice, part: str,
                     amount: Money) -> TransferOutcome:
        """Record one new part of an invoice's payments, once per `part`, and move the
        invoice's count by it (guarded: a count moved meanwhile refuses)."""
        bank_ref = f"{CRYPTO_PREFIX}{part}"[:80]
        seen = (await uow.session.execute(select(IncomingTransfer).where(
            IncomingTransfer.bank_ref == bank_ref))).scalar_one_or_none()
        if seen is None:
            moved = await uow.session.execute(update(CryptoInvoice).where(
                CryptoInvoice.id == row.id, CryptoInvoice.counted == row.counted)
                .values(counted=row.counted + amount.amount))
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict(_("The payment changed meanwhile; try again."))
            seen = await self._record(uow, escrow, bank_ref, amount,
                                      (row.provider, row.invoice_ref))
        return await self._outcome(uow, seen, escrow)

    def source_of(self, bank_ref: str, escrow: Escrow) -> str:
        """A crypto payment came through the crypto provider."""
        if bank_ref.startswith(CRYPTO_PREFIX) and self.crypto is not None:
            return self.crypto.name
        return super().source_of(bank_ref, escrow)

    async def send_back(self, row: IncomingTransfer, escrow: Escrow, bank: BankAccount | None
                        ) -> tuple[str, str | None]:
        """Money paid on a crypto invoice goes back through the crypto provider."""
        invoice_ref = invoice_of(row.bank_ref)
        if invoice_ref is None or self.crypto is None:
            return await super().send_back(row, escrow, bank)
        back = await self._return_once(
            f"transfer-back:{row.id}", invoice_ref, Money(row.back, row.currency),
            IncomingTransfer, IncomingTransfer.return_asked_at,
            (IncomingTransfer.id == row.id, IncomingTransfer.returned_ref.is_(None)))
        return back.ref, back.claim_url

    async def refund_call(self, key: str, charge: Charge, amount: Money) -> str:
        """A payment made on a crypto invoice is refunded through the crypto provider; where
        the payer must claim it, they are told where."""
        invoice_ref = (charge.charge_ref or "").removeprefix(CRYPTO_PREFIX)
        if not (charge.charge_ref or "").startswith(CRYPTO_PREFIX) or self.crypto is None:
            return await super().refund_call(key, charge, amount)
        back = await self._return_once(
            key, invoice_ref, amount, PaymentOperation, PaymentOperation.asked_at,
            (PaymentOperation.key == key, PaymentOperation.status == OperationStatus.PENDING))
        if back.claim_url:
            async with self.uow() as uow:
                escrow = (await uow.session.execute(select(Escrow).where(
                    Escrow.pay_token == charge.pay_token))).scalar_one()
                uow.emit(CryptoReturnClaimable(escrow.id, escrow.payer_id, amount,
                                               back.claim_url))
                await uow.commit()
        return back.ref

    async def _return_once(self, key: str, invoice_ref: str, amount: Money,
                           table: type[PaymentOperation] | type[IncomingTransfer],
                           asked_at: InstrumentedAttribute[datetime | None],
                           row: Sequence[ColumnElement[bool]]) -> CryptoReturn:
        """Ask the crypto provider to give `amount` back under `key`. A provider that takes no
        idempotency key is asked by one worker at a time: the row recording what goes back
        (`row`: its id and that it is still owed) is leased first by a guarded update of its
        `asked_at` in a transaction of its own, committed before the call — no transaction is
        held open across it. A lease held by another worker (asked within ASK_LEASE): this
        one does not ask (AskedElsewhere; a later retry lists what that one made). The ask is
        cut off after ASK_WITHIN, well inside the lease (crypto_rules)."""
        assert self.crypto is not None
        if self.crypto.idempotent:
            return await self.crypto.return_crypto(key, invoice_ref, amount)
        async with self.uow() as uow:
            now = uow.clock.now()
            leased = await uow.session.execute(update(table).where(
                *row, or_(asked_at.is_(None), asked_at < now - crypto_rules.ASK_LEASE))
                .values({asked_at.key: now}))
            await uow.commit()
        if leased.rowcount != 1:  # type: ignore[attr-defined]
            raise AskedElsewhere(_("This refund is being asked of the crypto payment service "
                                   "just now; it is checked again shortly."))
        try:
            async with asyncio.timeout(crypto_rules.ASK_WITHIN.total_seconds()):
                return await self.crypto.return_crypto(key, invoice_ref, amount)
        except TimeoutError as exc:  # it may have been asked: the lease stays until it runs out
            log.warning("crypto return %s cut off after %s", key, crypto_rules.ASK_WITHIN)
            raise ProviderUnsure(_("The crypto payment service did not answer in time; "
                                   "the refund is checked again shortly.")) from exc
        except ProviderError:  # refused, or the refund never sent: nothing made, the lease is free
            async with self.uow() as uow:
                await uow.session.execute(update(table).where(*row, asked_at == now)
                                          .values({asked_at.key: None}))
                await uow.commit()
            raise


async def _invoice(uow: UnitOfWork, invoice_ref: str) -> CryptoInvoice | None:
    return (await uow.session.execute(select(CryptoInvoice).where(
        CryptoInvoice.invoice_ref == invoice_ref).execution_options(populate_existing=True))
            ).scalar_one_or_none()


async def _open_invoice(uow: UnitOfWork, escrow_id: int, missing: int) -> CryptoInvoice | None:
    """The escrow's newest invoice still taking payments that asks exactly what is missing."""
    now: datetime = uow.clock.now()
    rows = (await uow.session.execute(select(CryptoInvoice).where(
        CryptoInvoice.escrow_id == escrow_id, CryptoInvoice.status == CryptoInvoiceState.NEW)
        .order_by(CryptoInvoice.id.desc()))).scalars()
    for row in rows:
        if crypto_rules.still_open(row.status, row.expires_at, now) \
                and row.amount - row.counted == missing:
            return row
    return None
