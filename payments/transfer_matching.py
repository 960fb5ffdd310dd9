"""Each incoming bank transfer matched by its reference (payments.bank_transfers): counted
towards the payment, the payment held in escrow once complete, anything too much or too late
booked to go back. Money that arrived but does not complete the payment waits on a ledger
account of the payer's for that escrow (`transfer`); each transfer is recorded once per bank
transaction (`bank_ref` is unique), in the same transaction as its journals."""

from __future__ import annotations

from sqlalchemy import func, select

from core.errors import Conflict, DomainError, NotFound
from core.i18n import _
from core.money.events import (
    CryptoLate,
    CryptoOverpaid,
    CryptoShort,
    LatePaymentRefunded,
    TransferOverpaid,
    TransferShort,
)
from core.money.model import Money, described
from core.payments_port import Actor, EscrowState, TransferOutcome
from core.storage.uow import UnitOfWork
from payments import ledger, settle, transfer_accounts, transfer_rules
from payments.escrow_rows import transition
from payments.saved_methods import SavedMethods
from payments.tables import Escrow, IncomingTransfer

BANK = Actor("system:bank", "bank transfer received")
CRYPTO = Actor("system:crypto", "crypto payment received")
CRYPTO_PREFIX = "crypto:"  # an incoming row's `bank_ref` for money paid on a crypto invoice
WAITING = EscrowState.AWAITING_PAYMENT


def waiting_account(payer_id: int, escrow_id: int) -> ledger.Ref:
    """Where transferred money waits until the payment is complete (or goes back)."""
    return ledger.user(payer_id, "transfer", str(escrow_id))


class TransferMatching(SavedMethods):
    """Transfers matched to their payment, booked on the ledger."""

    async def receive_transfer(self, bank_ref: str, reference: str, amount: Money,
                               uow: UnitOfWork | None = None) -> TransferOutcome:
        """A transfer arrived: matched by its reference, once per bank transaction (a second
        delivery gives the first one's outcome). Money going back is sent after commit."""
        escrow_id = transfer_rules.escrow_of(reference)
        if escrow_id is None:
            raise NotFound(_("No payment has the reference {reference}.", reference=reference))
        if amount.amount <= 0:
            raise DomainError(_("A transfer must bring more than zero."))
        async with self.tx(uow) as tx:
            escrow = await _locked(tx, escrow_id)
            row = (await tx.session.execute(select(IncomingTransfer).where(
                IncomingTransfer.bank_ref == bank_ref[:80]))).scalar_one_or_none()
            if row is None:
                row = await self._record(tx, escrow, bank_ref, amount)
            return await self._outcome(tx, row, escrow)

    async def _record(self, uow: UnitOfWork, escrow: Escrow, bank_ref: str, amount: Money,
                      crypto: tuple[str, str] | None = None) -> IncomingTransfer:
        """Record and book one incoming payment; `crypto`: (provider, invoice) when it was paid
        on a crypto invoice (booked against that provider, said in its words)."""
        if escrow.kind != "goods":
            raise DomainError(_("This payment cannot be made by bank transfer."))
        if amount.currency != escrow.currency:
            raise DomainError(_("This payment is in {currency}.", currency=escrow.currency))
        before = await received_so_far(uow, escrow.id)
        match = transfer_rules.match(escrow.amount, before, amount.amount, escrow.state == WAITING)
        row = IncomingTransfer(bank_ref=bank_ref[:80], escrow_id=escrow.id,
                               currency=escrow.currency, amount=amount.amount,
                               applied=match.applied, back=match.back, outcome=match.outcome,
                               returned_ref=None, received_at=uow.clock.now())
        uow.session.add(row)
        await uow.session.flush()  # the same transaction delivered twice at once stops here
        await self._book(uow, escrow, row, amount, match.missing, crypto)
        return row

    async def _book(self, uow: UnitOfWork, escrow: Escrow, row: IncomingTransfer,
                    amount: Money, missing: int, crypto: tuple[str, str] | None = None) -> None:
        """The journals of one transfer, the payment held once complete, and the payer told."""
        waiting = waiting_account(escrow.payer_id, escrow.id)
        world = ledger.world(crypto[0] if crypto else escrow.provider)
        what = described(escrow.reference)
        actor, said, back_said = (CRYPTO, "Crypto payment", "Crypto payment returned") \
            if crypto else (BANK, "Bank transfer", "Transfer returned")
        await ledger.post(uow, f"transfer-in:{row.id}", "fund", [(world, -amount),
                          (waiting, amount)], actor, f"{said} for {what}", escrow.id)
        back = Money(row.back, escrow.currency)
        if row.back:
            await ledger.post(uow, f"transfer-back:{row.id}", "refund", [(waiting, -back),
                              (world, back)], actor, f"{back_said} for {what}", escrow.id)
        if row.outcome in ("paid", "over"):
            # Paid through the provider's own account: its PaymentIntent is the payment (a
            # refund goes through it); a crypto invoice: the invoice is, at the crypto provider
            # (a refund goes back through it, booked against it); else the transfer is, known
            # to Agora alone.
            own = await transfer_accounts.stored(uow, escrow.id)
            refs: dict[str, object] = (
                {"charge_ref": f"{CRYPTO_PREFIX}{crypto[1]}"[:80], "provider": crypto[0]}
                if crypto else
                {"provider_ref": own.provider_ref, "charge_ref": None} if own is not None
                else {"charge_ref": f"transfer:{row.id}"})
            if not await transition(uow, escrow, (WAITING,), settle.BEFORE["goods"], actor,
                                    **refs):
                raise Conflict(_("The payment changed meanwhile; try again."))
            await settle.funded(uow, escrow, actor, source=waiting)
        if crypto:
            self._told_crypto(uow, escrow, row, amount, Money(missing, escrow.currency), back)
        elif row.outcome == "short":
            uow.emit(TransferShort(escrow.id, escrow.payer_id, amount,
                                   Money(missing, escrow.currency)))
        elif row.outcome == "over":
            uow.emit(TransferOverpaid(escrow.id, escrow.payer_id, back))
        elif row.outcome == "late":
            uow.emit(LatePaymentRefunded(escrow.id, escrow.payer_id, back))

    @staticmethod
    def _told_crypto(uow: UnitOfWork, escrow: Escrow, row: IncomingTransfer, amount: Money,
                     missing: Money, back: Money) -> None:
        if row.outcome == "short":
            uow.emit(CryptoShort(escrow.id, escrow.payer_id, amount, missing))
        elif row.outcome == "over":
            uow.emit(CryptoOverpaid(escrow.id, escrow.payer_id, back))
        elif row.outcome == "late":
            uow.emit(CryptoLate(escrow.id, escrow.payer_id, back))

    async def _outcome(self, uow: UnitOfWork, row: IncomingTransfer, escrow: Escrow
                       ) -> TransferOutcome:
        received = await received_so_far(uow, row.escrow_id)
        view = self.view(escrow)
        cur = row.currency
        missing = max(escrow.amount - received, 0) if view.state == WAITING else 0
        return TransferOutcome(row.outcome, Money(row.amount, cur), Money(row.applied, cur),
                               Money(row.back, cur), Money(missing, cur), view)


async def _locked(uow: UnitOfWork, escrow_id: int) -> Escrow:
    """The escrow, locked for this transaction where the database can (PostgreSQL), so two
    transfers arriving at once are matched one after the other."""
    escrow = (await uow.session.execute(
        select(Escrow).where(Escrow.id == escrow_id).with_for_update()
        .execution_options(populate_existing=True))).scalar_one_or_none()
    if escrow is None:
        raise NotFound(_("There is no such payment."))
    return escrow


async def received_so_far(uow: UnitOfWork, escrow_id: int) -> int:
    """What transfers brought towards this payment so far (minor units)."""
    total = (await uow.session.execute(select(func.coalesce(func.sum(IncomingTransfer.applied), 0))
                                       .where(IncomingTransfer.escrow_id == escrow_id))).scalar()
    return int(total or 0)
