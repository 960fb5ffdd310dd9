"""The payments port in full: the escrow operations plus wallet, invoices, payouts set-up, upkeep."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from core.errors import DomainError, NotAllowed, NotFound
from core.money.ports import Actor, EscrowView, Wallet
from core.storage.uow import UnitOfWork
from payments import invoices, numbering, onboarding
from payments.escrow import EscrowService
from payments.escrow_rows import load
from payments.reconcile import reconcile
from payments.tables import Escrow, PaymentOperation
from payments.wallet import wallet as wallet_of

log = logging.getLogger(__name__)


class PaymentsService(EscrowService):
    """What core and the flows call (`core.money.ports.PaymentsPort`), and the webhooks too."""

    async def invoice_pdf(self, number_or_token: str, by_token: bool = False) -> tuple[str, bytes]:
        """An invoice's number and PDF, by number (chat) or by its secret token (download link)."""
        async with self.uow() as uow:
            invoice = await invoices.find(uow, number_or_token, by_token)
            return invoice.number or "pending", await invoices.pdf_of(uow, invoice)

    async def recover(self) -> int:
        """Retry every pending operation with its own idempotency key; returns how many."""
        async with self.uow() as uow:
            ops = list((await uow.session.execute(
                select(PaymentOperation).where(PaymentOperation.status == "pending")
                .order_by(PaymentOperation.id))).scalars())
            escrows = {op.id: await load(uow, op.escrow_id) for op in ops}
            uow.session.expunge_all()  # keep them readable after the transaction ends
        for op in ops:
            try:
                await self._call(op, escrows[op.id])
            except Exception:
                log.exception("payment operation %s still pending", op.key)
        return len(ops)

    async def number_invoices(self) -> int:
        """Number invoices left unnumbered (a crash right after their payment); returns how many."""
        return await numbering.number_invoices(self.uow())

    async def invoice_for(self, number: str, account_id: int,
                          uow: UnitOfWork | None = None) -> tuple[str, bytes]:
        """An invoice PDF for one of its two parties; anyone else is refused."""
        async with self.tx(uow) as uow:
            invoice = await invoices.find(uow, number)
            if account_id not in (invoice.payer_id, invoice.payee_id):
                raise NotAllowed("That invoice belongs to someone else.")
            return invoice.number or "pending", await invoices.pdf_of(uow, invoice)

    @property
    def test_mode(self) -> bool:
        return self.provider.test_mode

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
                Escrow.state == "authorised", Escrow.updated_at < cutoff))).scalars())
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
                raise NotFound("There is no such payment.")
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
                PaymentOperation.status == "pending"))).scalar()
