"""The escrow and pre-authorisation service: the payments port, on the ledger and a provider.

Every change of an escrow is a conditional update of its state (`… WHERE state = 'held'`, one row
or nothing), so a second release, or a refund racing a release, changes nothing. Provider calls
never run inside a transaction: an operation row is written first (its key is also the provider's
idempotency key), then the call, then the ledger journal completes the operation. A crash in
between leaves a pending operation that a retry (`recover`) or the provider's webhook completes.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal

from sqlalchemy import case, insert, update
from sqlalchemy.exc import IntegrityError

from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import _
from core.money.model import CommissionRule, Money
from core.payments_port import Actor, EscrowView, Kind, Market, Vat
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from payments import ledger, loyalty, settle
from payments.escrow_rows import (
    by_reference,
    charge_of,
    claim,
    expect,
    load,
    lost,
    new_operation,
    transition,
    vat_in,
)
from payments.providers.base import Charge, Provider, ProviderError
from payments.providers.sandbox import card_outcome
from payments.tables import Escrow, PaymentOperation

log = logging.getLogger(__name__)

FIRST_STATE = {"goods": "awaiting_payment", "session": "awaiting_authorisation",
               "charge": "awaiting_payment", "deposit": "awaiting_payment",
               "package": "awaiting_payment"}
# Kinds whose money is held, then released or refunded. A package's payment is held and
# released a part at a time (`release_part`): each part is an escrow of its own, funded from it.
HELD = ("goods", "deposit", "package")
NO_COMMISSION = CommissionRule(Decimal(0))
PAYOUT = Actor("system:payout", "payee can be paid")
PAID_STATE = {"goods": "held", "session": "authorised", "charge": "paid", "deposit": "held",
              "package": "held"}
_OPEN = insert(table_of(Escrow)).returning(table_of(Escrow).c.id)
SANDBOX_CARD = Actor("system:sandbox", "test card accepted")


class EscrowService:
    """Escrow for goods, pre-authorisation for sessions, plain charges for promotions."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], provider: Provider,
                 rules: dict[str, CommissionRule]) -> None:
        self.uow = uow_factory
        self.provider = provider
        self.rules = rules

    def commission_for(self, market: Market, amount: Money) -> Money:
        """The platform's commission on `amount` in `market`."""
        return self.rules.get(market, NO_COMMISSION).on(amount)

    def commission_on(self, escrow: Escrow, gross: Money) -> Money:
        """The commission on part of what an escrow holds: on the seller's price, never on
        the VAT it includes (the seller's tax, passed on to them whole)."""
        net = gross - Money(vat_in(escrow, gross.amount), gross.currency)
        return self.commission_for(escrow.market, net)  # type: ignore[arg-type]

    async def open(self, kind: Kind, market: Market, reference: str, payer_id: int,
                   payee_id: int | None, amount: Money, actor: Actor, vat: Vat | None = None
                   ) -> EscrowView:
        """Create the escrow (once per reference) and the page where the payer pays; `vat`,
        the VAT `amount` includes."""
        if amount.amount <= 0:
            raise DomainError(_("The amount must be more than zero."))
        if vat is not None and not 0 <= vat.amount.amount < amount.amount:
            raise DomainError(_("The VAT must be part of the amount."))
        token = secrets.token_urlsafe(16)
        charge = Charge(kind, reference, amount, token, None, None)
        checkout = await self.provider.checkout(charge)
        async with self.uow() as uow:
            now = uow.clock.now()
            row = {"kind": kind, "market": market, "reference": reference, "payer_id": payer_id,
                   "payee_id": payee_id, "currency": amount.currency, "amount": amount.amount,
                   "refunded": 0, "commission": 0, "discount": 0, "state": FIRST_STATE[kind],
                   "vat": vat.amount.amount if vat else 0,
                   "vat_rate": f"{vat.rate.normalize():f}" if vat else None,
                   "payout_state": "none", "provider": self.provider.name,
                   "provider_ref": checkout.provider_ref, "charge_ref": None, "pay_token": token,
                   "pay_url": checkout.url[:500], "changed_by": actor.who,
                   "change_reason": actor.reason, "direct_payer_at": None,
                   "direct_payee_at": None, "transfer_at": None, "created_at": now, "updated_at": now}
            try:  # one INSERT on the transaction's connection, no unit-of-work flush
                escrow_id = (await (await uow.core()).execute(_OPEN, row)).scalar_one()
            except IntegrityError:  # opened before: the same escrow
                await uow.rollback()
                existing = await by_reference(uow, reference)
                if existing is None:
                    raise
                return self.view(existing)
            await uow.commit()
        return self.view(Escrow(id=escrow_id, **row))

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

    async def by_reference(self, reference: str, uow: UnitOfWork | None = None
                           ) -> EscrowView | None:
        """The escrow opened for `reference` (e.g. a deal's), if there is one."""
        async with self.tx(uow) as tx:
            escrow = await by_reference(tx, reference)
            return self.view(escrow) if escrow is not None else None

    async def payable(self, escrow_id: int, account_id: int,
                      uow: UnitOfWork | None = None) -> EscrowView:
        """The escrow if this account may pay it now: its payer, while it awaits payment."""
        view = await self.get(escrow_id, uow)
        if view.payer_id != account_id:
            raise NotAllowed(_("That payment is someone else's."))
        if not view.state.startswith("awaiting"):
            raise Conflict(_("This payment is already {state}.", state=view.state.replace('_', ' ')))
        return view

    async def pay_with_test_card(self, escrow_id: int, card_number: str,
                                 uow: UnitOfWork | None = None) -> EscrowView:
        """Sandbox only: pay with a test card; a declined card changes nothing but says so.
        One transaction: the escrow is read once, checked (`may_pay`), then held or declined."""
        if not self.provider.test_mode or self.provider.name != "sandbox":
            raise DomainError(_("Test cards work only in sandbox mode."))
        declined = card_outcome(card_number)
        charge_ref = f"sbx_ch_{escrow_id}"
        async with self.tx(uow) as tx:
            escrow = await load(tx, escrow_id)
            self.may_pay(escrow)  # refused before the card is tried: no "declined" notice either
            if declined:
                await settle.declined(tx, escrow, declined)
            else:
                view = await self._confirm(tx, escrow, charge_ref, SANDBOX_CARD)
        if declined:
            raise ProviderError(_("{declined} Nothing was charged.", declined=_(declined)))
        return await self.confirmed(escrow_id, view, charge_ref, None, uow)

    def may_pay(self, escrow: Escrow) -> None:
        """Raise when this escrow may not be paid now (nothing here; see PaymentsService)."""

    async def confirm_payment(self, escrow_id: int, charge_ref: str | None, actor: Actor,
                              provider_ref: str | None = None,
                              uow: UnitOfWork | None = None) -> EscrowView:
        """The provider says the payer paid (or authorised): hold the money. Safe to repeat."""
        async with self.tx(uow) as tx:
            view = await self._confirm(tx, await load(tx, escrow_id), charge_ref, actor,
                                       provider_ref)
        return await self.confirmed(escrow_id, view, charge_ref, provider_ref, uow)

    async def _confirm(self, uow: UnitOfWork, escrow: Escrow, charge_ref: str | None,
                       actor: Actor, provider_ref: str | None = None) -> EscrowView:
        paid = PAID_STATE[escrow.kind]
        refs = {"provider_ref": provider_ref} if provider_ref else {}
        if not await transition(uow, escrow, (FIRST_STATE[escrow.kind],), paid, actor,
                                charge_ref=charge_ref, **refs):
            return self.view(await load(uow, escrow.id))
        await settle.funded(uow, escrow, actor)
        return self.view(escrow)

    async def confirmed(self, escrow_id: int, view: EscrowView, charge_ref: str | None,
                        provider_ref: str | None, uow: UnitOfWork | None) -> EscrowView:
        """After a payment was confirmed (committed, unless `uow` is the caller's)."""
        return view

    async def declined(self, escrow_id: int, message: str, uow: UnitOfWork | None = None) -> None:
        async with self.tx(uow) as tx:
            await settle.declined(tx, await load(tx, escrow_id), message)

    async def release(self, escrow_id: int, actor: Actor) -> EscrowView:
        """Release a held escrow to the payee minus commission; then pay out if they can be paid."""
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            expect(escrow, HELD, "released")
            net = Money(escrow.amount - escrow.refunded - escrow.drawn, escrow.currency)
            commission = self.commission_on(escrow, net)
            # A loyalty discount the payee redeemed, used only if this call releases.
            discount = await loyalty.discount(uow, escrow, commission)
            kept = commission - discount  # what the platform keeps
            payout = await self._payout_state(uow, escrow, (net - kept).amount)
            if not await transition(uow, escrow, ("held",), "released", actor,
                                    commission=kept.amount, discount=discount.amount,
                                    payout_state=payout):
                raise Conflict(await lost(uow, escrow.id))
            await settle.released(uow, escrow, net, commission, actor, discount)
            op = (await new_operation(uow, escrow, "payout", (net - kept).amount, 0, 0,
                                      PAYOUT) if payout == "sending" else None)
            view = self.view(escrow)
            await uow.commit()
        if op is not None or payout == "waiting":  # send it, or tell the payee what is missing
            await self._try_payout(escrow_id, op, escrow)
        return view

    async def release_part(self, escrow_id: int, part_reference: str, amount: Money,
                           actor: Actor) -> EscrowView:
        """Release `amount` of a held package payment to its payee, as a part of its own
        (`part_reference`, once: asked again, the part as it stands): the part is funded from
        the payment on the ledger — no provider call, the money is already here — and then
        released like any escrow (commission, payout). The payment is `settled` once nothing
        of it is left."""
        try:
            async with self.uow() as uow:
                part = await by_reference(uow, part_reference)
                if part is None:
                    part = await self._draw(uow, await load(uow, escrow_id), part_reference,
                                            amount, actor)
                    await uow.commit()
                view = self.view(part)
        except IntegrityError:  # drawn at the same moment by another worker: that part
            async with self.uow() as uow:
                found = await by_reference(uow, part_reference)
                if found is None:
                    raise
                view = self.view(found)
        if view.state == "held":
            return await self.release(view.id, actor)
        return view

    async def _draw(self, uow: UnitOfWork, escrow: Escrow, part_reference: str, amount: Money,
                    actor: Actor) -> Escrow:
        expect(escrow, "package", "released in parts")
        if amount.currency != escrow.currency or amount.amount <= 0:
            raise DomainError(_("A part is an amount of the payment's currency."))
        left = Escrow.amount - Escrow.refunded - Escrow.drawn
        moved = await uow.session.execute(update(Escrow).where(
            Escrow.id == escrow.id, Escrow.state == "held", left >= amount.amount)
            .values(drawn=Escrow.drawn + amount.amount, updated_at=uow.clock.now(),
                    state=case((left == amount.amount, "settled"), else_="held"))
            .execution_options(synchronize_session=False))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(_("Only {amount} of this payment is left.", amount=Money(
                escrow.amount - escrow.refunded - escrow.drawn, escrow.currency)))
        now = uow.clock.now()
        part = Escrow(kind="package", market=escrow.market, reference=part_reference,
                      payer_id=escrow.payer_id, payee_id=escrow.payee_id,
                      currency=escrow.currency, amount=amount.amount, refunded=0, drawn=0,
                      commission=0, discount=0, vat=0, state="held", payout_state="none",
                      provider=escrow.provider, provider_ref=escrow.provider_ref,
                      charge_ref=escrow.charge_ref, pay_token=secrets.token_urlsafe(16),
                      pay_url=None, changed_by=actor.who, change_reason=actor.reason,
                      created_at=now, updated_at=now)
        await uow.insert(part)
        await ledger.post(uow, f"draw:{part.id}", "draw",
                          [(settle.holding(escrow), -amount), (settle.holding(part), amount)],
                          actor, f"Part {part_reference} of {escrow.reference}", part.id)
        return part

    async def _payout_state(self, uow: UnitOfWork, escrow: Escrow, net: int) -> str:
        """`sending` when the payee can be paid now, `waiting` until they can, `none` if nothing."""
        if escrow.payee_id is None or await settle.destination(
                uow, self.provider, escrow.payee_id) is None:
            return "waiting"
        return "sending" if net > 0 else "none"

    async def refund(self, escrow_id: int, amount: Money | None, actor: Actor) -> EscrowView:
        """Give back all of a held escrow, or part of it (the rest stays held)."""
        def plan(escrow: Escrow) -> tuple[int, int, int]:
            left = escrow.amount - escrow.refunded - escrow.drawn
            value = left if amount is None else amount.amount
            if not 0 < value <= left:
                raise DomainError(_("A refund can be at most {amount}.", amount=Money(left, escrow.currency)))
            return 0, 0, value
        return await self._operate(escrow_id, "refund", HELD, ("held",), plan, actor)

    async def refund_to(self, escrow_id: int, total: Money, actor: Actor) -> EscrowView:
        """Refund what is missing for the held escrow's refunds to reach `total` (nothing when
        they do). The amount is read again once this call holds the escrow (`settling`), so two
        callers asking at once, or one after the other, refund it once."""
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            expect(escrow, HELD, "refunded")
            if escrow.refunded >= total.amount:
                return self.view(escrow)
            if not await transition(uow, escrow, ("held",), "settling", actor):
                raise Conflict(await lost(uow, escrow.id))
            escrow = await load(uow, escrow_id)  # under this call's claim: what is refunded now
            value = total.amount - escrow.refunded
            if value <= 0 or value > escrow.amount - escrow.refunded - escrow.drawn:
                await uow.rollback()  # refunded meanwhile, or nothing left: the claim goes
                return await self.get(escrow_id)
            op = await new_operation(uow, escrow, "refund", 0, 0, value, actor)
            await uow.commit()
        return await self._call(op, escrow)

    async def split(self, escrow_id: int, refund: Money, actor: Actor) -> EscrowView:
        """Settle a dispute: refund part to the payer, release the rest to the payee."""
        def plan(escrow: Escrow) -> tuple[int, int, int]:
            left = escrow.amount - escrow.refunded
            if not 0 < refund.amount < left:
                raise DomainError(_("A split refunds part of the escrow, not none or all of it."))
            rest = Money(left - refund.amount, escrow.currency)
            commission = self.commission_on(escrow, rest)
            return rest.amount, commission.amount, refund.amount
        return await self._operate(escrow_id, "split", "goods", ("held",), plan, actor)

    async def void(self, escrow_id: int, actor: Actor) -> EscrowView:
        """Cancel an authorisation: nothing is charged."""
        def plan(escrow: Escrow) -> tuple[int, int, int]:
            return 0, 0, escrow.amount
        return await self._operate(escrow_id, "void", "session", ("authorised",), plan, actor)

    async def capture(self, escrow_id: int, amount: Money, actor: Actor) -> EscrowView:
        """Charge up to the authorised amount; the payee gets it minus commission (less a loyalty
        discount the payee redeemed, taken when the capture completes: `settle.completed`)."""
        def plan(escrow: Escrow) -> tuple[int, int, int]:
            if not 0 < amount.amount <= escrow.amount or amount.currency != escrow.currency:
                raise DomainError(_("You can charge at most {amount}.",
                                    amount=Money(escrow.amount, escrow.currency)))
            commission = self.commission_on(escrow, amount)
            return amount.amount, commission.amount, escrow.amount - amount.amount
        return await self._operate(escrow_id, "capture", "session", ("authorised",), plan, actor)

    async def _operate(self, escrow_id: int, kind: str, escrow_kind: str | tuple[str, ...],
                       states: tuple[str, ...],
                       plan: Callable[[Escrow], tuple[int, int, int]], actor: Actor) -> EscrowView:
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            expect(escrow, escrow_kind, kind)
            to_payee, commission, to_payer = plan(escrow)
            if not await transition(uow, escrow, states, "settling", actor):
                raise Conflict(await lost(uow, escrow.id))
            op = await new_operation(uow, escrow, kind, to_payee, commission, to_payer, actor)
            await uow.commit()
        return await self._call(op, escrow)

    async def _call(self, op: PaymentOperation, escrow: Escrow) -> EscrowView:
        await self._run(op, escrow)
        return await self.get(escrow.id)

    async def _run(self, op: PaymentOperation, escrow: Escrow, released: bool = False) -> None:
        """Make the provider call of a recorded operation, then complete it on the ledger."""
        charge = charge_of(escrow)
        money = Money(op.amount, escrow.currency)
        try:
            if op.kind in ("refund", "split"):
                ref = await self.provider.refund(op.key, charge, Money(op.refund, escrow.currency))
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
        commission = (Money(escrow.commission, cur) if escrow.state in ("released", "captured",
                      "settled") else self.commission_on(escrow, left))
        vat = Vat(Decimal(escrow.vat_rate), Money(escrow.vat, cur)) \
            if escrow.vat and escrow.vat_rate else None
        return EscrowView(escrow.id, escrow.kind, escrow.market, escrow.reference, escrow.state,
                          escrow.payer_id, escrow.payee_id, Money(escrow.amount, cur), commission,
                          Money(escrow.refunded, cur), escrow.pay_url, vat)
