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

from sqlalchemy import update

from core.deals import accepted, deals
from core.errors import DomainError, NotAllowed
from core.i18n import _
from core.money.events import BankTransferChosen
from core.money.model import Money
from core.payments_port import TransferOutcome, TransferView
from core.storage.uow import UnitOfWork
from payments import transfer_accounts, transfer_rules
from payments.escrow_rows import charge_of, load
from payments.tables import Escrow
from payments.transfer_matching import received_so_far
from payments.transfer_returns import TransferReturns

log = logging.getLogger(__name__)


class BankTransfers(TransferReturns):
    """The bank transfer side of the payments service: where a payer sends a transfer, and
    transfers arriving (matching: payments.transfer_matching; returns:
    payments.transfer_returns)."""

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
            await accepted.check_payee_way(tx, view.kind, view.payee_id, "transfer")
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
