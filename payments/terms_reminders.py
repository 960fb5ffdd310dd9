"""Reminders of invoices on terms (payments.terms_invoices), each sent once on its day
(core.deals.pay_terms.REMINDERS): the buyer before the due date and after it, the seller too once
it is overdue, and Agora's finance team a week after it, with the deal to look into."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import String, cast, literal, select, update

from core.actions import Action, Intent
from core.deals import pay_terms
from core.deals.notices.parties import deal_button
from core.deals.tables import Deal
from core.i18n import N_, _, dates
from core.money.model import Money, described
from core.notifications.outbox import addressed_to, notify, recipients
from core.operators.roles import holders
from core.payments_port import EscrowState
from core.process.deals import DealState
from core.storage.uow import UnitOfWork
from payments.tables import Escrow
from payments.terms_invoices import invoice_of, pay_step
from payments.transfer_matching import received_so_far

WAITING = EscrowState.AWAITING_PAYMENT
# An admin decides, or nothing is owed.
NOT_CHASED = (DealState.DISPUTED, DealState.CANCELLED, DealState.REFUNDED)
log = logging.getLogger(__name__)
_ESCROW = Escrow.reference == literal("deal:") + cast(Deal.id, String)


async def send_due(uow: UnitOfWork) -> list[tuple[int, int]]:
    """Send each reminder whose day has come, once (a conditional update claims it, so two
    workers never both send it); returns (deal, reminder) for each sent."""
    today = uow.clock.now().date()
    soonest = today - pay_terms.REMINDERS[pay_terms.BEFORE]  # due by then: a reminder is due
    rows = (await uow.session.execute(select(Deal, Escrow).join(Escrow, _ESCROW).where(
        Deal.payment_due_on.is_not(None), Deal.payment_due_on <= soonest,
        Deal.terms_paid_at.is_(None), Deal.terms_reminded < pay_terms.TO_OPERATORS,
        Deal.status.not_in(NOT_CHASED), Escrow.state == WAITING).order_by(Deal.id))).all()
    sent = []
    for deal, escrow in rows:
        assert deal.payment_due_on is not None
        stage = pay_terms.reminder_due(today, deal.payment_due_on, deal.terms_reminded)
        if stage is None:
            continue
        try:
            async with uow.nested():  # one reminder that fails stops only itself
                claimed = await uow.session.execute(update(Deal).where(
                    Deal.id == deal.id, Deal.terms_reminded == deal.terms_reminded)
                    .values(terms_reminded=stage))
                if claimed.rowcount != 1:  # type: ignore[attr-defined]
                    continue  # sent by another worker a moment ago
                await remind(uow, deal, escrow, stage)
        except Exception:
            log.exception("reminder %s of deal %s's invoice not sent", stage, deal.id)
            continue
        sent.append((deal.id, stage))
    return sent


async def remind(uow: UnitOfWork, deal: Deal, escrow: Escrow, stage: int) -> None:
    """The reminder `stage` of the deal's invoice, to whom it is for."""
    invoice = await invoice_of(uow, escrow.id)
    number = (invoice.number if invoice else None) or "—"
    # What is still due: a transfer may have brought part of it already.
    amount = Money(escrow.amount - await received_so_far(uow, escrow.id), escrow.currency)
    what = described(escrow.reference)
    assert deal.payment_due_on is not None
    due = deal.payment_due_on
    if stage == pay_terms.BEFORE:
        async with addressed_to(uow, deal.buyer_id):
            await notify(uow, deal.buyer_id, _(
                "⏰ Invoice {number} for {what} ({amount}) is due on {due}.", number=number,
                what=what, amount=amount, due=dates.day(due)), buttons=pay_step(deal.id))
        return
    if stage == pay_terms.OVERDUE:
        await recipients(uow, {deal.buyer_id, deal.seller_id})
        async with addressed_to(uow, deal.buyer_id):
            await notify(uow, deal.buyer_id, _(
                "⚠ Invoice {number} for {what} ({amount}) was due on {due} and is not paid. "
                "Please pay it now; a week after the due date it goes to Agora's finance team.",
                number=number, what=what, amount=amount, due=dates.day(due)),
                buttons=pay_step(deal.id))
        async with addressed_to(uow, deal.seller_id):
            await notify(uow, deal.seller_id, _(
                "⚠ The buyer's invoice {number} for {what} ({amount}) was due on {due} and is "
                "not paid yet. Agora reminded them.", number=number, what=what, amount=amount,
                due=dates.day(due)))
        return
    finance = set(await holders(uow, "approve_terms"))
    await recipients(uow, finance | {deal.buyer_id})
    for operator in sorted(finance):
        async with addressed_to(uow, operator):
            await notify(uow, operator, _(
                "⚠ Invoice {number} for {what} ({amount}) is a week past its due date ({due}) "
                "and unpaid.", number=number, what=what, amount=amount, due=dates.day(due)),
                buttons=[[deal_button(deal.id)]])
    async with addressed_to(uow, deal.buyer_id):
        await notify(uow, deal.buyer_id, _(
            "⚠ Invoice {number} for {what} ({amount}) is a week past its due date and went to "
            "Agora's finance team.", number=number, what=what, amount=amount),
            buttons=pay_step(deal.id))


__all__ = ["N_", "Action", "Intent", "remind", "send_due"]


async def run(uow_factory: Callable[[], UnitOfWork]) -> list[tuple[int, int]]:
    """The scheduler's job: send what is due, in one transaction."""
    async with uow_factory() as uow:
        sent = await send_due(uow)
        await uow.commit()
    return sent
