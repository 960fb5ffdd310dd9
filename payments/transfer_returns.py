"""Transfers going back (payments.bank_transfers): what arrived for a payment that closed
unpaid, what came too much or too late, sent back by a provider call made after the commit
that booked it, with the transfer's own idempotency key, retried until it is done; and a
payment's own account at the provider closed once the payment no longer waits."""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from core.money.events import CryptoReturnClaimable, TransfersReturned
from core.money.model import Money, described
from core.storage.uow import UnitOfWork
from payments import ledger, transfer_accounts
from payments.escrow_rows import charge_of, load
from payments.providers.base import AskedElsewhere, BankAccount, ProviderError, ProviderUnsure
from payments.tables import Escrow, IncomingTransfer
from payments.transfer_matching import (
    BANK,
    CRYPTO,
    CRYPTO_PREFIX,
    WAITING,
    TransferMatching,
    received_so_far,
    waiting_account,
)

log = logging.getLogger(__name__)


class TransferReturns(TransferMatching):
    """Money going back to the transfers' senders, and the payments' own accounts closed."""

    async def return_received(self, uow: UnitOfWork, escrow: Escrow) -> None:
        """The payment closed unpaid (cancelled, or arranged directly) while part of it had
        arrived by transfer: that part goes back (sent after the caller commits)."""
        received = await received_so_far(uow, escrow.id)
        if not received:
            return
        amount = Money(received, escrow.currency)
        by_source: dict[str, int] = {}  # where each part came through (the bank's, crypto)
        in_crypto: set[str] = set()
        for bank_ref, applied in (await uow.session.execute(
                select(IncomingTransfer.bank_ref, IncomingTransfer.applied).where(
                    IncomingTransfer.escrow_id == escrow.id, IncomingTransfer.applied > 0))):
            source = self.source_of(bank_ref, escrow)
            by_source[source] = by_source.get(source, 0) + applied
            if bank_ref.startswith(CRYPTO_PREFIX):
                in_crypto.add(source)
        await uow.session.execute(
            update(IncomingTransfer).where(IncomingTransfer.escrow_id == escrow.id,
                                           IncomingTransfer.applied > 0)
            .values(back=IncomingTransfer.back + IncomingTransfer.applied, applied=0,
                    outcome="returned"))
        for source, part in sorted(by_source.items()):
            key = f"transfer-return:{escrow.id}" if source == escrow.provider \
                else f"transfer-return:{escrow.id}:{source}"
            back = Money(part, escrow.currency)
            actor, said = (CRYPTO, "Crypto payments returned") if source in in_crypto \
                else (BANK, "Transfers returned")  # the wallet says which it was
            await ledger.post(uow, key, "refund",
                              [(waiting_account(escrow.payer_id, escrow.id), -back),
                               (ledger.world(source), back)], actor,
                              f"{said} for {described(escrow.reference)}", escrow.id)
        uow.emit(TransfersReturned(escrow.id, escrow.payer_id, amount))

    def source_of(self, bank_ref: str, escrow: Escrow) -> str:
        """The provider an incoming payment came through (its `world` on the ledger)."""
        return escrow.provider

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

    async def send_back(self, row: IncomingTransfer, escrow: Escrow, bank: BankAccount | None
                        ) -> tuple[str, str | None]:
        """Send one transfer's money back through the provider (key: the transfer's own); the
        provider's reference, and where the payer claims it when they must (crypto)."""
        return await self.provider.return_transfer(
            f"transfer-back:{row.id}", charge_of(escrow), Money(row.back, row.currency),
            bank), None

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
                ref, claim_url = await self.send_back(row, escrows[row.escrow_id],
                                                      banks[row.escrow_id])
            except AskedElsewhere:  # another worker is asking for it now; a retry looks
                log.info("return of transfer %s is being asked elsewhere", row.id)
                continue
            except (ProviderError, ProviderUnsure):  # unsure: the retry finds it if it went
                log.exception("return of transfer %s not sent; it will be retried", row.id)
                continue
            async with self.uow() as uow:
                moved = await uow.session.execute(update(IncomingTransfer).where(
                    IncomingTransfer.id == row.id, IncomingTransfer.returned_ref.is_(None))
                    .values(returned_ref=ref[:80]))
                if claim_url and moved.rowcount == 1:  # type: ignore[attr-defined]
                    escrow = escrows[row.escrow_id]
                    uow.emit(CryptoReturnClaimable(escrow.id, escrow.payer_id,
                                                   Money(row.back, row.currency), claim_url))
                await uow.commit()
            sent += 1
        return sent
