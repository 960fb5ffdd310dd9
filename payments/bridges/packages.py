"""Session packages and the money layer. A package bought opens its payment (`package:<id>`,
held by Agora once paid) and asks the seeker to pay; paid, the package starts in the payment's
transaction. Each session used releases its share as a part of the payment
(`package:<id>:use:<booking>`), commission deducted and paid out like any release; at expiry
the unused sessions' value is refunded to the seeker (a credit note) and what the rule leaves
the consultant is released as the part `package:<id>:kept`.

Why held and released per session, not paid to the consultant at purchase: the seeker paid
for sessions not yet given, so Agora holds the money as it holds a buyer's escrow, and the
consultant is paid for each session once it took place; what was never used can still go
back by the package's rule. A card authorisation cannot do this: it lapses within days.

Provider calls run after commit, each idempotent (a part once per reference; the refund
compared with what was refunded already), and `catch_up` takes any step a crash left."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import select

from core.actions import Action
from core.consulting.packages import retainers
from core.consulting.packages import service as packages
from core.consulting.packages import settlement as package_settlement
from core.consulting.packages.events import (
    PackageBought,
    PackageExpired,
    PackageSessionUsed,
    RetainerMonthDue,
    RetainerSubscribed,
)
from core.consulting.packages.rules import PackageState
from core.consulting.packages.tables import PackagePurchase
from core.errors import DomainError
from core.i18n import N_, _, present
from core.money.events import EscrowFunded, MethodSaved
from core.money.intents import MoneyIntent
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify
from core.payments_port import Actor, EscrowState
from core.storage.uow import UnitOfWork
from payments.escrow_rows import by_reference
from payments.service import PaymentsService

log = logging.getLogger(__name__)
SYSTEM = Actor("system:packages", "a session package")
UNPAID = (EscrowState.AWAITING_PAYMENT,)


class PackagePayments:
    """The handlers, bound to the payments service (declared in payments.wiring)."""

    def __init__(self, payments: PaymentsService) -> None:
        self.payments = payments

    async def after_bought(self, events: Sequence[PackageBought]) -> None:
        """After commit: open the package's payment and ask the seeker to pay it."""
        for event in events:
            view = await self.payments.open("package", "consulting",
                                            packages.reference(event.purchase_id),
                                            event.seeker_id, event.consultant_id, event.price,
                                            SYSTEM)
            async with self.payments.uow() as uow:
                async with addressed_to(uow, event.seeker_id):
                    await notify(uow, event.seeker_id, _(
                        "📦 Session package #{id}: {price}. Pay to start it; Agora holds the "
                        "money and pays the consultant for each session as it is used.",
                        id=event.purchase_id, price=event.price),
                        buttons=[[Action(MoneyIntent.PAY, N_("💳 Pay"), str(view.id))]])
                await uow.commit()

    async def on_funded(self, uow: UnitOfWork, event: EscrowFunded) -> None:
        """In the payment's transaction: a paid package starts; both hear it. A payment that
        arrives for a month called off meanwhile goes back in full."""
        purchase_id = packages.purchase_of(event.reference)
        if purchase_id is None:
            return
        purchase = await packages.paid(uow, event.reference)
        if purchase is None:
            await self._refund_if_called_off(uow, purchase_id, event.escrow_id)
            return
        assert purchase.expires_at is not None
        for who in (purchase.seeker_id, purchase.consultant_id):
            async with addressed_to(uow, who):
                await notify(uow, who, _started(purchase))

    async def _refund_if_called_off(self, uow: UnitOfWork, purchase_id: int,
                                    escrow_id: int) -> None:
        purchase = await uow.get(PackagePurchase, purchase_id)
        if purchase is not None and purchase.status == PackageState.CANCELLED:
            async def refund() -> None:
                await self.payments.refund(escrow_id, None, Actor(
                    SYSTEM.who, "paid after the retainer was cancelled"))
            uow.then(f"refund-called-off:{escrow_id}", refund)

    async def after_subscribed(self, events: Sequence[RetainerSubscribed]) -> None:
        """After commit: ask for the card the retainer is charged to each month."""
        for event in events:
            asked = await self.payments.save_method(retainers.card_reference(event.retainer_id),
                                                    event.seeker_id, SYSTEM)
            async with self.payments.uow() as uow:
                async with addressed_to(uow, event.seeker_id):
                    await notify(uow, event.seeker_id, _(
                        "🔁 Retainer #{id}: save the card it is charged to, {price} each month "
                        "until you cancel. The first month starts and is charged once it is "
                        "saved.", id=event.retainer_id, price=event.price),
                        buttons=[[Action(MoneyIntent.SAVE_CARD, N_("💳 Save a card"), str(asked.id))]])
                await uow.commit()

    async def on_method_saved(self, uow: UnitOfWork, event: MethodSaved) -> None:
        """In the saving's transaction: a retainer's card saved starts its first month."""
        await retainers.card_saved(uow, event.reference)

    async def after_month_due(self, events: Sequence[RetainerMonthDue]) -> None:
        """After commit: each month's package charged to the retainer's card; declined, the
        seeker is asked to pay it on its page."""
        for event in events:
            await self._safely(self._charge_month, event.retainer_id, event.purchase_id,
                               event.seeker_id, event.consultant_id, event.price)

    async def _charge_month(self, retainer_id: int, purchase_id: int, seeker_id: int,
                            consultant_id: int, price: Money) -> None:
        async with self.payments.uow() as uow:
            purchase = await uow.get(PackagePurchase, purchase_id)
            if purchase is None or purchase.status != PackageState.AWAITING_PAYMENT:
                return  # called off, or paid meanwhile
            month = purchase.month
        view = await self.payments.open("package", "consulting", packages.reference(purchase_id),
                                        seeker_id, consultant_id, price, SYSTEM)
        outcome = await self.payments.charge_saved(view.id, retainers.card_reference(
            retainer_id), Actor(SYSTEM.who, "a retainer's month, charged with consent"))
        if outcome.declined is None:
            return
        async with self.payments.uow() as uow:
            await retainers.declined(uow, retainer_id)
            async with addressed_to(uow, seeker_id):
                await notify(uow, seeker_id, _(
                    "❌ Retainer #{id}: your card was declined for month {month} ({price}). Pay "
                    "it to go on; no later month starts until then.", id=retainer_id,
                    month=present.number(month or 0), price=price),
                    buttons=[[Action(MoneyIntent.PAY, N_("💳 Pay"), str(view.id))]])
            await uow.commit()

    async def after_used(self, events: Sequence[PackageSessionUsed]) -> None:
        """After commit: each used session paid to the consultant (and a late fee's rest
        refunded to the seeker)."""
        for purchase_id in dict.fromkeys(e.purchase_id for e in events):
            await self._safely(self.settle, purchase_id)

    async def after_expired(self, events: Sequence[PackageExpired]) -> None:
        """After commit: the unused value refunded and kept, by the package's rule."""
        for event in events:
            await self._safely(self.settle, event.purchase_id)

    async def settle(self, purchase_id: int) -> None:
        """Bring the package's payment where its sessions say it should stand
        (`package_settlement.money_due`): first its refunds up to their total, then each part
        not yet released. Asked again — a crash, a second worker — nothing moves twice: a
        refund is to a total (`refund_to`), a part once per reference."""
        async with self.payments.uow() as uow:
            due = await package_settlement.money_due(uow, purchase_id)
        escrow = await self.payments.by_reference(packages.reference(purchase_id))
        if due is None or escrow is None or escrow.state in UNPAID:
            return
        if due.refunded > escrow.refunded:
            await self.payments.refund_to(escrow.id, due.refunded, Actor(
                SYSTEM.who, "unused or late-cancelled sessions refunded"))
        for reference, amount in due.parts:
            await self.payments.release_part(escrow.id, reference, amount, SYSTEM)

    async def _safely(self, step: Callable[..., Awaitable[None]], *args: Any) -> None:
        try:
            await step(*args)
        except DomainError as exc:  # refused now (settling a moment ago): catch_up retries
            log.warning("package money step %s%s not taken: %s", step.__name__, args, exc)

    async def catch_up(self) -> int:
        """Take again the steps a crash left: packages whose payment is not yet where their
        sessions say, retainer months never charged. Returns how many were looked at."""
        uncharged = await self._months_never_charged()
        for month in uncharged:
            await self._safely(self._charge_month, *month)
        async with self.payments.uow() as uow:
            behind = list((await uow.session.execute(select(PackagePurchase.id).where(
                PackagePurchase.status.in_((PackageState.ACTIVE, PackageState.USED_UP, PackageState.EXPIRED)),
                PackagePurchase.paid_at.is_not(None))
                .order_by(PackagePurchase.id))).scalars())
            behind = [p for p in behind if not await _settled(uow, p)]
        for purchase_id in behind:
            await self._safely(self.settle, purchase_id)
        return len(behind) + len(uncharged)

    async def _months_never_charged(self) -> list[tuple[int, int, int, int, Money]]:
        async with self.payments.uow() as uow:
            waiting = list((await uow.session.execute(select(PackagePurchase).where(
                PackagePurchase.retainer_id.is_not(None),
                PackagePurchase.status == PackageState.AWAITING_PAYMENT))).scalars())
            return [(p.retainer_id, p.id, p.seeker_id, p.consultant_id,
                     Money(p.price_minor, p.currency)) for p in waiting
                    if p.retainer_id is not None
                    and await by_reference(uow, packages.reference(p.id)) is None]


def _started(purchase: PackagePurchase) -> str:
    """What both hear when a package, or a retainer's month, starts."""
    assert purchase.expires_at is not None
    if purchase.retainer_id is not None:
        return _("🔁 Retainer #{retainer}, month {month}: {sessions} sessions of {minutes} minutes "
                 "until {until}, when the next month is charged unless the retainer is cancelled.",
                 retainer=purchase.retainer_id, month=present.number(purchase.month or 0),
                 sessions=present.number(purchase.sessions),
                 minutes=present.number(purchase.minutes), until=present.day(purchase.expires_at))
    return _("📦 Package #{id} is active: {sessions} sessions of {minutes} minutes, until "
             "{until}. Each booking of {minutes} minutes between you draws one from it.",
             id=purchase.id, sessions=present.number(purchase.sessions),
             minutes=present.number(purchase.minutes), until=present.day(purchase.expires_at))


async def _settled(uow: UnitOfWork, purchase_id: int) -> bool:
    """Whether the package's payment stands where its sessions say (nothing to do)."""
    due = await package_settlement.money_due(uow, purchase_id)
    escrow = await by_reference(uow, packages.reference(purchase_id))
    if due is None or escrow is None:
        return True
    if escrow.refunded < due.refunded.amount:
        return False
    for reference, __ in due.parts:
        part = await by_reference(uow, reference)
        if part is None or part.state == EscrowState.HELD:
            return False
    return True
