"""What packages tell people on their own: a week before a package expires, its holder hears
how many sessions are still to book and what happens to them (once per package); a retainer
ended by one party is told to the other."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from core.accounts.tables import Account
from core.actions import Action
from core.consulting.intents import ConsultingIntent
from core.consulting.packages import rules
from core.consulting.packages.rules import PackageState
from core.consulting.packages.tables import PackagePurchase, Retainer
from core.i18n import N_, _, present
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork

REMIND_BEFORE = timedelta(days=7)


async def remind_expiring(uow: UnitOfWork) -> list[int]:
    """Packages (not a retainer's month) expiring within a week with sessions still to book:
    their holder is told once, with a way to book. Returns the packages told about."""
    now = uow.clock.now()
    due = list((await uow.session.execute(select(PackagePurchase).where(
        PackagePurchase.status == PackageState.ACTIVE, PackagePurchase.retainer_id.is_(None),
        PackagePurchase.reminded_at.is_(None), PackagePurchase.expires_at > now,
        PackagePurchase.expires_at <= now + REMIND_BEFORE,
        PackagePurchase.used + PackagePurchase.reserved < PackagePurchase.sessions))).scalars())
    told = []
    for purchase in due:
        claimed = await uow.session.execute(update(PackagePurchase).where(
            PackagePurchase.id == purchase.id, PackagePurchase.reminded_at.is_(None))
            .values(reminded_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        consultant = await uow.get(Account, purchase.consultant_id)
        assert purchase.expires_at is not None
        left = purchase.sessions - purchase.used - purchase.reserved
        async with addressed_to(uow, purchase.seeker_id):
            await notify(uow, purchase.seeker_id, _(
                "⏳ Package #{id} with {name} expires {day} with {left} of {sessions} sessions "
                "not booked yet: {rule}.", id=purchase.id,
                name=consultant.display_name if consultant else "—",
                day=present.day(purchase.expires_at), left=present.number(left),
                sessions=present.number(purchase.sessions),
                rule=_(rules.RULE_TEXT[purchase.refund_rule])),
                buttons=[[Action(ConsultingIntent.VIEW_CONSULTANT, N_("📅 Book a time"),
                                 f"book:{purchase.consultant_id}")]])
        told.append(purchase.id)
    return told


async def retainer_ended(uow: UnitOfWork, retainer: Retainer, by: int) -> None:
    """The other party hears that the retainer was ended (whoever ended it saw it happen)."""
    other = retainer.consultant_id if by == retainer.seeker_id else retainer.seeker_id
    ender = await uow.get(Account, by)
    async with addressed_to(uow, other):
        await notify(uow, other, _(
            "🔁 {name} ended retainer #{id}: no month is charged again; the month paid runs out.",
            name=ender.display_name if ender else "—", id=retainer.id))
