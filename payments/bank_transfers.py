"""Paying goods by bank transfer: the account and reference a payer sends it with, and each
incoming transfer matched by its reference — counted towards the payment, the payment held in
escrow once complete, anything too much or too late sent back.

Money that arrived but does not complete the payment waits on a ledger account of the payer's
for that escrow (`transfer`), so the ledger always says what came in and where it is. Each
transfer is recorded once per bank transaction (`bank_ref` is unique), in the same transaction
as its journals; sending money back is a provider call made after that commit, with the
transfer's own idempotency key, retried by `recover` until it is done.

Where the payer sends it comes from the provider. The sandbox has one account for every payment
and Agora matches each transfer by the escrow's ISO 11649 reference. Stripe gives each payment
an account of its own (`customer_balance`: a Customer's virtual IBAN, a PaymentIntent and
Stripe's reference, kept in `transfer_accounts`) and matches what arrives itself; its webhooks
name the PaymentIntent or the Customer, and `transfers_arrived` feeds each transfer Stripe
received (a funding transaction, by its own id) into the same matching, so Agora's ledger and
outcomes are the same whichever provider the money came through.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select, update

from core.deals import deals
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.events import (
    BankTransferChosen,
    LatePaymentRefunded,
    TransferOverpaid,
    TransferShort,
    TransfersReturned,
)
from core.money.model import Money, described
from core.payments_port import Actor, EscrowState, TransferOutcome, TransferView
from core.storage.uow import UnitOfWork
from payments import ledger, settle, transfer_accounts, transfer_rules
from payments.escrow_rows import charge_of, load, transition
from payments.providers.base import BankAccount, ProviderError
from payments.saved_methods import SavedMethods
from payments.tables import Escrow, IncomingTransfer

log = logging.getLogger(__name__)
BANK = Actor("system:bank", "bank transfer received")
WAITING = EscrowState.AWAITING_PAYMENT


def waiting_account(payer_id: int, escrow_id: int) -> ledger.Ref:
    """Where transferred money waits until the payment is complete (or goes back)."""
    return ledger.user(payer_id, "transfer", str(escrow_id))


class BankTransfers(SavedMethods):
    """The bank transfer side of the payments service."""

    @property
    def takes_transfers(self) -> bool:
        """Whether payers can pay goods by bank transfer with this provider."""
        return bool(getattr(self.provider, "takes_transfers", False))

    async def transfer_details(self, escrow_id: int, account_id: int,
                               uow: UnitOfWork | None = None) -> TransferView | None:
        """How the payer pays this escrow by transfer (None when the provider takes none). The
        first time, the payment's deadline moves by the days a transfer takes, and a provider
        that gives each payment its own account is asked for it (once: it is kept)."""
        if not self.takes_transfers:
            return None
        async with self.tx(uow) as tx:
            view = await self.payable(escrow_id, account_id, tx)
            if view.kind != "goods":
                return None
            row = await transfer_accounts.stored(tx, view.id)
            bank = transfer_accounts.account_of(row) if row is not None else None
            charge = charge_of(await load(tx, view.id))
        if bank is None:
            # A provider call: outside any transaction of ours; inside the caller's when it
            # passes one (a chat turn), like an onboarding link. Its key makes a retry get the
            # same account.
            bank = await self.provider.transfer_account(f"transfer-account:{view.id}", charge,
                                                        view.payer_id)
        async with self.tx(uow) as tx:
            if bank.per_payment:
                await transfer_accounts.keep(tx, view.id, self.provider.name, bank)
                bank = transfer_accounts.account_of(
                    await transfer_accounts.stored(tx, view.id))  # type: ignore[arg-type]
            deal_id = deals.deal_of(view.reference)
            arrive_by = await deals.payment_deadline(tx, deal_id) if deal_id else None
            first = await tx.session.execute(
                update(Escrow).where(Escrow.id == view.id, Escrow.transfer_at.is_(None))
                .values(transfer_at=tx.clock.now()))
            if first.rowcount == 1 and arrive_by is not None:  # type: ignore[attr-defined]
                arrive_by = transfer_rules.counts_until(arrive_by)
                tx.emit(BankTransferChosen(view.id, view.reference, arrive_by))
            received = await received_so_far(tx, view.id)
        amount = view.amount
        shown = bank.reference if bank.per_payment and bank.reference else \
            transfer_rules.shown_for(escrow_id)
        # A test transfer is "sent" here only where Agora itself matches by its reference.
        simulated = self.provider.test_mode and not bank.per_payment
        return TransferView(
            escrow_id, view.reference, amount, Money(received, amount.currency),
            Money(max(amount.amount - received, 0), amount.currency), bank.holder, bank.iban,
            bank.bic, shown, arrive_by, simulated)

    async def transfers_arrived(self, provider_ref: str | None = None,
                                customer_ref: str | None = None) -> list[TransferOutcome]:
        """The provider matched transfers to a payment's own account (Stripe's webhook names
        its PaymentIntent or Customer): each transfer it received is matched here once, by its
        own id, in the order they arrived. Nothing when the account is no escrow's."""
        async with self.uow() as uow:
            escrow_id = await transfer_accounts.escrow_of(uow, provider_ref, customer_ref)
            row = await transfer_accounts.stored(uow, escrow_id) if escrow_id else None
            bank = transfer_accounts.account_of(row) if row is not None else None
        if escrow_id is None or bank is None:
            log.warning("transfer to %s belongs to no payment", provider_ref or customer_ref)
            return []
        outcomes = []
        for funding in await self.provider.transfers_received(bank):
            try:
                outcomes.append(await self.receive_transfer(
                    funding.ref, transfer_rules.reference_for(escrow_id), funding.amount))
            except DomainError:  # another currency, say: kept at the provider for a person
                log.exception("transfer %s for escrow %s not matched", funding.ref, escrow_id)
        return outcomes

    async def send_test_transfer(self, escrow_id: int, account_id: int, amount: Money,
                                 bank_ref: str, uow: UnitOfWork | None = None
                                 ) -> TransferOutcome:
        """Test mode: the payer "sends" a transfer with the payment's reference — also after
        the payment is closed, to see a late transfer sent back."""
        if not self.provider.test_mode or not self.takes_transfers:
            raise DomainError(_("Test transfers work only in sandbox mode."))
        async with self.tx(uow) as tx:
            escrow = await load(tx, escrow_id)
            if await transfer_accounts.stored(tx, escrow_id) is not None:  # the provider matches
                raise DomainError(_("Test transfers work only in sandbox mode."))
            if escrow.payer_id != account_id:
                raise NotAllowed(_("That payment is someone else's."))
            if amount.amount > 10 * escrow.amount:  # a typo, not a test worth a ledger entry
                raise DomainError(_("A test transfer can be at most {most}.",
                                    most=Money(10 * escrow.amount, escrow.currency)))
            return await self.receive_transfer(
                bank_ref, transfer_rules.reference_for(escrow_id), amount, tx)

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

    async def _record(self, uow: UnitOfWork, escrow: Escrow, bank_ref: str, amount: Money
                      ) -> IncomingTransfer:
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
        await self._book(uow, escrow, row, amount, match.missing)
        return row

    async def _book(self, uow: UnitOfWork, escrow: Escrow, row: IncomingTransfer,
                    amount: Money, missing: int) -> None:
        """The journals of one transfer, the payment held once complete, and the payer told."""
        waiting = waiting_account(escrow.payer_id, escrow.id)
        world = ledger.world(escrow.provider)
        what = described(escrow.reference)
        await ledger.post(uow, f"transfer-in:{row.id}", "fund", [(world, -amount),
                          (waiting, amount)], BANK, f"Bank transfer for {what}", escrow.id)
        back = Money(row.back, escrow.currency)
        if row.back:
            await ledger.post(uow, f"transfer-back:{row.id}", "refund", [(waiting, -back),
                              (world, back)], BANK, f"Transfer returned for {what}", escrow.id)
        if row.outcome in ("paid", "over"):
            # Paid through the provider's own account: its PaymentIntent is the payment (a
            # refund goes through it); else the transfer is, known to Agora alone.
            own = await transfer_accounts.stored(uow, escrow.id)
            refs: dict[str, object] = ({"provider_ref": own.provider_ref, "charge_ref": None}
                                       if own is not None else {"charge_ref": f"transfer:{row.id}"})
            if not await transition(uow, escrow, (WAITING,), settle.BEFORE["goods"], BANK,
                                    **refs):
                raise Conflict(_("The payment changed meanwhile; try again."))
            await settle.funded(uow, escrow, BANK, source=waiting)
        if row.outcome == "short":
            uow.emit(TransferShort(escrow.id, escrow.payer_id, amount,
                                   Money(missing, escrow.currency)))
        elif row.outcome == "over":
            uow.emit(TransferOverpaid(escrow.id, escrow.payer_id, back))
        elif row.outcome == "late":
            uow.emit(LatePaymentRefunded(escrow.id, escrow.payer_id, back))

    async def _outcome(self, uow: UnitOfWork, row: IncomingTransfer, escrow: Escrow
                       ) -> TransferOutcome:
        received = await received_so_far(uow, row.escrow_id)
        view = self.view(escrow)
        cur = row.currency
        missing = max(escrow.amount - received, 0) if view.state == WAITING else 0
        return TransferOutcome(row.outcome, Money(row.amount, cur), Money(row.applied, cur),
                               Money(row.back, cur), Money(missing, cur), view)

    async def return_received(self, uow: UnitOfWork, escrow: Escrow) -> None:
        """The payment closed unpaid (cancelled, or arranged directly) while part of it had
        arrived by transfer: that part goes back (sent after the caller commits)."""
        received = await received_so_far(uow, escrow.id)
        if not received:
            return
        amount = Money(received, escrow.currency)
        await uow.session.execute(
            update(IncomingTransfer).where(IncomingTransfer.escrow_id == escrow.id,
                                           IncomingTransfer.applied > 0)
            .values(back=IncomingTransfer.back + IncomingTransfer.applied, applied=0,
                    outcome="returned"))
        await ledger.post(uow, f"transfer-return:{escrow.id}", "refund",
                          [(waiting_account(escrow.payer_id, escrow.id), -amount),
                           (ledger.world(escrow.provider), amount)], BANK,
                          f"Transfers returned for {described(escrow.reference)}", escrow.id)
        uow.emit(TransfersReturned(escrow.id, escrow.payer_id, amount))

    async def close_transfers(self, escrow_id: int) -> None:
        """The payment no longer waits (cancelled, arranged directly, paid otherwise): its own
        account at the provider stops taking money (once; a failure is retried with the
        returns). What it took goes back to where a return is sent from."""
        async with self.uow() as uow:
            row = await transfer_accounts.stored(uow, escrow_id)  # mostly none: paid by card
            if row is None or row.closed_at is not None:
                return
            escrow = await load(uow, escrow_id)
            if escrow.state == WAITING:
                return
            bank = transfer_accounts.account_of(row)
            paid_through_it = escrow.provider_ref == bank.provider_ref
        if not paid_through_it:  # stop it
            await self.provider.close_transfers(f"transfer-close:{escrow_id}", bank)
        async with self.uow() as uow:
            await transfer_accounts.closed(uow, escrow_id)
            await uow.commit()

    async def close_transfers_quietly(self, escrow_id: int) -> None:
        """`close_transfers` after a commit: a failure is logged (the returns retry it)."""
        try:
            await self.close_transfers(escrow_id)
        except Exception:
            log.exception("transfers to escrow %s not stopped; retried with its returns",
                          escrow_id)

    async def send_returns(self, escrow_id: int | None = None) -> int:
        """Send back every transfer (of this escrow, or any) still owed to its sender; returns
        how many went. Each return carries the transfer's key, so a retry sends it once."""
        async with self.uow() as uow:
            query = select(IncomingTransfer).where(IncomingTransfer.back > 0,
                                                   IncomingTransfer.returned_ref.is_(None))
            if escrow_id is not None:
                query = query.where(IncomingTransfer.escrow_id == escrow_id)
            rows = list((await uow.session.execute(query.order_by(IncomingTransfer.id))).scalars())
            escrows = {row.escrow_id: await load(uow, row.escrow_id) for row in rows}
            banks: dict[int, BankAccount | None] = {}
            for key in escrows:
                own = await transfer_accounts.stored(uow, key)
                banks[key] = transfer_accounts.account_of(own) if own is not None else None
            uow.session.expunge_all()
        sent = 0
        for key, bank in banks.items():
            if bank is not None:  # what it took must be back on the balance a return comes from
                await self.close_transfers_quietly(key)
        for row in rows:
            try:
                ref = await self.provider.return_transfer(
                    f"transfer-back:{row.id}", charge_of(escrows[row.escrow_id]),
                    Money(row.back, row.currency), banks[row.escrow_id])
            except ProviderError:
                log.exception("return of transfer %s not sent; it will be retried", row.id)
                continue
            async with self.uow() as uow:
                await uow.session.execute(update(IncomingTransfer).where(
                    IncomingTransfer.id == row.id, IncomingTransfer.returned_ref.is_(None))
                    .values(returned_ref=ref[:80]))
                await uow.commit()
            sent += 1
        return sent


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
