"""An escrow's provider operations and payouts, and what every part of the escrow service reads.

An operation (a refund, split, void, capture or payout) is recorded first, then the provider is
called with its key, then `complete` writes the ledger side — from here, a retry or the
provider's webhook, once. A payout waits until the payee can be paid. The service's state, the
escrow as the port shows it (`view`, `get`) and its commission are here too, below the
settlement (`payments.escrow_settlement`) and the service itself (`payments.escrow`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core.errors import Conflict
from core.money.model import CommissionRule, Money
from core.payments_port import Actor, EscrowState, EscrowView, Market, Vat
from core.storage.uow import UnitOfWork
from payments import settle, settlement_rules
from payments.escrow_rows import charge_of, claim, load, new_operation
from payments.providers.base import Charge, Provider, ProviderError
from payments.settlement_rules import NO_COMMISSION
from payments.tables import Escrow, PaymentOperation

log = logging.getLogger(__name__)

PAYOUT = Actor("system:payout", "payee can be paid")


class EscrowOperations:
    """The escrow service's ground: its provider, ledger operations and payouts."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], provider: Provider,
                 rules: dict[str, CommissionRule]) -> None:
        self.uow = uow_factory
        self.provider = provider
        self.rules = rules

    def commission_for(self, market: Market, amount: Money) -> Money:
        """The platform's commission on `amount` in `market`."""
        return self.rule(market).on(amount)

    def commission_on(self, escrow: Escrow, gross: Money) -> Money:
        """The commission on part of what an escrow holds: on the seller's price, never on
        the VAT it includes (the seller's tax, passed on to them whole)."""
        return settlement_rules.commission_on(self.rule(escrow.market), escrow, gross)

    def rule(self, market: str) -> CommissionRule:
        """The commission rule of `market` (none for the platform's own payments)."""
        return self.rules.get(market, NO_COMMISSION)

    @asynccontextmanager
    async def tx(self, uow: UnitOfWork | None) -> AsyncIterator[UnitOfWork]:
        """Join the caller's transaction (it commits), or run in one of our own."""
        if uow is not None:
            yield uow
            return
        async with self.uow() as own:
            yield own
            await own.commit()

    async def get(self, escrow_id: int, uow: UnitOfWork | None = None) -> EscrowView:
        """The escrow as the port shows it."""
        async with self.tx(uow) as tx:
            return self.view(await load(tx, escrow_id))

    async def _call(self, op: PaymentOperation, escrow: Escrow) -> EscrowView:
        await self._run(op, escrow)
        return await self.get(escrow.id)

    async def _run(self, op: PaymentOperation, escrow: Escrow, released: bool = False) -> None:
        """Make the provider call of a recorded operation, then complete it on the ledger."""
        charge = charge_of(escrow)
        money = Money(op.amount, escrow.currency)
        try:
            if op.kind in ("refund", "split"):
                ref = await self.refund_call(op.key, charge, Money(op.refund, escrow.currency))
            elif op.kind == "void":
                ref = await self.provider.cancel(op.key, charge)
            elif op.kind == "capture":
                ref = await self.provider.capture(op.key, charge, money)
            else:
                ref = await self.provider.transfer(op.key, charge, money, await self._destination(
                    escrow.payee_id))
        except ProviderError:
            await self._abandon(op)
            raise
        await self.complete(op.key, ref, escrow if released else None)

    async def refund_call(self, key: str, charge: Charge, amount: Money) -> str:
        """Refund through the provider the escrow was paid through (payments.crypto_payments
        sends a crypto payment's back through the crypto provider)."""
        return await self.provider.refund(key, charge, amount)

    async def complete(self, key: str, provider_ref: str | None,
                       released: Escrow | None = None) -> bool:
        """Write the ledger side of a provider call that succeeded; False if it was done before.
        `released`: the escrow as its release committed, for the payout recorded with it (after
        a release nothing but its payout state changes, and that by a guarded update)."""
        try:
            async with self.uow() as uow:
                op = await claim(uow, key, provider_ref)  # a second completer waits, then gets None
                if op is None:
                    return False
                if released is not None and op.kind == "payout" and op.escrow_id == released.id:
                    uow.session.add(released)  # back in a session as it is, not read again
                    escrow = released
                else:
                    escrow = await load(uow, op.escrow_id)
                await settle.completed(uow, escrow, op)
                await uow.commit()
        except (IntegrityError, Conflict):
            return False  # completed at the same moment by the webhook or another retry
        if op.kind in ("split", "capture") and op.amount > 0:
            await self._try_payout(op.escrow_id)
        return True

    async def _try_payout(self, escrow_id: int, op: PaymentOperation | None = None,
                          escrow: Escrow | None = None) -> None:
        # The release itself is done; a failed payout stays pending and `recover` retries it.
        try:
            if op is not None and escrow is not None:
                await self._run(op, escrow, released=True)  # recorded with the release: send it
            else:
                await self.payout(escrow_id)
        except Exception:
            log.exception("payout of escrow %s failed; it will be retried", escrow_id)

    async def _abandon(self, op: PaymentOperation) -> None:
        async with self.uow() as uow:
            await settle.abandoned(uow, op)
            await uow.commit()

    async def payout(self, escrow_id: int) -> bool:
        """Transfer the payee's share once they can be paid; until then they are told it waits."""
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            if escrow.payout_state != "waiting":
                return False
            if escrow.payee_id is None or await settle.destination(
                    uow, self.provider, escrow.payee_id) is None:
                await settle.payout_waits(uow, escrow)
                await uow.commit()
                return False
            net = escrow.amount - escrow.refunded - escrow.commission
            moved = await uow.session.execute(
                update(Escrow).where(Escrow.id == escrow.id, Escrow.payout_state == "waiting")
                .values(payout_state="sending" if net > 0 else "none"))
            if moved.rowcount != 1 or net <= 0:  # type: ignore[attr-defined]
                await uow.commit()
                return False
            op = await new_operation(uow, escrow, "payout", net, 0, 0, PAYOUT)
            await uow.commit()
        await self._run(op, escrow)
        return True

    async def _destination(self, payee_id: int | None) -> str | None:
        if payee_id is None:
            return None
        async with self.uow() as uow:
            return await settle.destination(uow, self.provider, payee_id)

    def view(self, escrow: Escrow) -> EscrowView:
        """An escrow row as the port's value (commission: agreed, or what it would be now)."""
        cur = escrow.currency
        left = Money(escrow.amount - escrow.refunded, cur)
        agreed = escrow.state in (EscrowState.RELEASED, EscrowState.CAPTURED, EscrowState.SETTLED)
        commission = Money(escrow.commission, cur) if agreed else self.commission_on(escrow, left)
        vat = Vat(Decimal(escrow.vat_rate), Money(escrow.vat, cur)) \
            if escrow.vat and escrow.vat_rate else None
        return EscrowView(escrow.id, escrow.kind, escrow.market, escrow.reference, escrow.state,
                          escrow.payer_id, escrow.payee_id, Money(escrow.amount, cur), commission,
                          Money(escrow.refunded, cur), escrow.pay_url, vat)
