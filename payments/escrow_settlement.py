"""Settling what an escrow holds: releasing it to the payee (whole, or a package payment a part
at a time), refunding all or part of it to the payer, splitting it in a dispute, voiding or
capturing an authorisation. Each claims the escrow by a conditional update of its state, then
records the operation the provider is asked for (`payments.escrow_operations`)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import case, update
from sqlalchemy.exc import IntegrityError

from core.errors import Conflict, DomainError
from core.i18n import _
from core.money.model import Money
from core.payments_port import Actor, EscrowState, EscrowView
from core.storage.uow import UnitOfWork
from payments import ledger, loyalty, settle
from payments import settlement_rules as rules
from payments.escrow_operations import PAYOUT, EscrowOperations
from payments.escrow_rows import by_reference, expect, load, lost, new_operation, transition
from payments.tables import Escrow

# Kinds whose money is held, then released or refunded. A package's payment is held and
# released a part at a time (`release_part`): each part is an escrow of its own, funded from it.
HELD = ("goods", "deposit", "package")


class EscrowSettlement(EscrowOperations):
    """Release, refund, split, void and capture."""

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
            if not await transition(uow, escrow, (EscrowState.HELD,), EscrowState.RELEASED, actor,
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
        if view.state == EscrowState.HELD:
            return await self.release(view.id, actor)
        return view

    async def _draw(self, uow: UnitOfWork, escrow: Escrow, part_reference: str, amount: Money,
                    actor: Actor) -> Escrow:
        expect(escrow, "package", "released in parts")
        if amount.currency != escrow.currency or amount.amount <= 0:
            raise DomainError(_("A part is an amount of the payment's currency."))
        left = Escrow.amount - Escrow.refunded - Escrow.drawn
        moved = await uow.session.execute(update(Escrow).where(
            Escrow.id == escrow.id, Escrow.state == EscrowState.HELD, left >= amount.amount)
            .values(drawn=Escrow.drawn + amount.amount, updated_at=uow.clock.now(),
                    state=case((left == amount.amount, EscrowState.SETTLED), else_=EscrowState.HELD))
            .execution_options(synchronize_session=False))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(_("Only {amount} of this payment is left.", amount=Money(
                escrow.amount - escrow.refunded - escrow.drawn, escrow.currency)))
        now = uow.clock.now()
        part = Escrow(kind="package", market=escrow.market, reference=part_reference,
                      payer_id=escrow.payer_id, payee_id=escrow.payee_id,
                      currency=escrow.currency, amount=amount.amount, refunded=0, drawn=0,
                      commission=0, discount=0, vat=0, state=EscrowState.HELD, payout_state="none",
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
        return await self._operate(escrow_id, "refund", HELD, (EscrowState.HELD,),
                                   lambda escrow: rules.refund_plan(escrow, amount), actor)

    async def refund_to(self, escrow_id: int, total: Money, actor: Actor) -> EscrowView:
        """Refund what is missing for the held escrow's refunds to reach `total` (nothing when
        they do). The amount is read again once this call holds the escrow (`settling`), so two
        callers asking at once, or one after the other, refund it once."""
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            expect(escrow, HELD, "refunded")
            if escrow.refunded >= total.amount:
                return self.view(escrow)
            if not await transition(uow, escrow, (EscrowState.HELD,), EscrowState.SETTLING, actor):
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
        def plan(escrow: Escrow) -> rules.Plan:
            return rules.split_plan(escrow, refund, self.rule(escrow.market))
        return await self._operate(escrow_id, "split", "goods", (EscrowState.HELD,), plan, actor)

    async def void(self, escrow_id: int, actor: Actor) -> EscrowView:
        """Cancel an authorisation: nothing is charged."""
        return await self._operate(escrow_id, "void", "session", (EscrowState.AUTHORISED,),
                                   rules.void_plan, actor)

    async def capture(self, escrow_id: int, amount: Money, actor: Actor) -> EscrowView:
        """Charge up to the authorised amount; the payee gets it minus commission (less a loyalty
        discount the payee redeemed, taken when the capture completes: `settle.completed`)."""
        def plan(escrow: Escrow) -> rules.Plan:
            return rules.capture_plan(escrow, amount, self.rule(escrow.market))
        return await self._operate(escrow_id, "capture", "session", (EscrowState.AUTHORISED,), plan, actor)

    async def _operate(self, escrow_id: int, kind: str, escrow_kind: str | tuple[str, ...],
                       states: tuple[str, ...],
                       plan: Callable[[Escrow], rules.Plan], actor: Actor) -> EscrowView:
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            expect(escrow, escrow_kind, kind)
            to_payee, commission, to_payer = plan(escrow)
            if not await transition(uow, escrow, states, EscrowState.SETTLING, actor):
                raise Conflict(await lost(uow, escrow.id))
            op = await new_operation(uow, escrow, kind, to_payee, commission, to_payer, actor)
            await uow.commit()
        return await self._call(op, escrow)
