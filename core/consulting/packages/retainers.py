"""Monthly retainers: a consultant's monthly package, subscribed to by a seeker who consents to
a charge each month to a card they save for it. Each month is a package of its own
(core.consulting.packages.service: its sessions drawn by bookings, the unused ones settled by
its rule at the month's end); the next month starts, and is charged, when one ends, until
either party cancels. A renewal declined leaves the retainer `past_due` until its month is paid
on its page; cancelled, no month starts again and the one running runs out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from core.consulting.packages import notices, rules
from core.consulting.packages.events import RetainerMonthDue, RetainerSubscribed
from core.consulting.packages.rules import PackageState, RetainerState
from core.consulting.packages.tables import PackagePurchase, Retainer, SessionPackage
from core.consulting.profiles import service as profiles
from core.errors import Conflict, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork

RUNNING = (RetainerState.AWAITING_CARD, RetainerState.ACTIVE, RetainerState.PAST_DUE)


def card_reference(retainer_id: int) -> str:
    """Under which reference the retainer's card is saved (payments' saved methods)."""
    return f"retainer:{retainer_id}"


def retainer_of(reference: str) -> int | None:
    head, __, number = reference.partition(":")
    return int(number) if head == "retainer" and number.isdigit() else None


async def subscribe(uow: UnitOfWork, seeker_id: int, package_id: int) -> Retainer:
    """The seeker agrees to the monthly retainer now (their consent is recorded); the card it
    is charged to is asked for after commit, and its first month starts once it is saved."""
    package = await uow.get(SessionPackage, package_id)
    if package is None or not package.active or not package.monthly:
        raise NotFound(_("That package is no longer offered."))
    if package.consultant_id == seeker_id:
        raise NotAllowed(_("You can't buy your own package."))
    if not (await profiles.get(uow, package.consultant_id)).live:
        raise Conflict(_("That consultant is not taking bookings right now."))
    running = (await uow.session.execute(select(Retainer.id).where(
        Retainer.package_id == package.id, Retainer.seeker_id == seeker_id,
        Retainer.status.in_(RUNNING)))).scalar()
    if running is not None:
        raise Conflict(_("You have this retainer already (#{id}).", id=running))
    now = uow.clock.now()
    retainer = Retainer(package_id=package.id, seeker_id=seeker_id,
                        consultant_id=package.consultant_id, sessions=package.sessions,
                        minutes=package.minutes, price_minor=package.price_minor,
                        currency=package.currency, refund_rule=package.refund_rule,
                        status=RetainerState.AWAITING_CARD, months=0, consent_at=now, created_at=now)
    await uow.insert(retainer)
    uow.emit(RetainerSubscribed(retainer.id, seeker_id, _price(retainer)))
    return retainer


async def card_saved(uow: UnitOfWork, reference: str) -> PackagePurchase | None:
    """The seeker saved the retainer's card (in the saving's transaction): its first month
    starts now. None when the reference is no retainer's waiting for its card."""
    retainer_id = retainer_of(reference)
    retainer = await uow.get(Retainer, retainer_id) if retainer_id else None
    if retainer is None or retainer.status != RetainerState.AWAITING_CARD or retainer.months:
        return None
    return await _start_month(uow, retainer, uow.clock.now())


async def renew_due(uow: UnitOfWork) -> list[int]:
    """The next month of every active retainer whose month ended; returns the retainers."""
    now = uow.clock.now()
    due = list((await uow.session.execute(select(Retainer).where(
        Retainer.status == RetainerState.ACTIVE, Retainer.renews_at <= now)
        .order_by(Retainer.id).limit(100))).scalars())
    renewed = []
    for retainer in due:
        assert retainer.renews_at is not None
        if await _start_month(uow, retainer, retainer.renews_at) is not None:
            renewed.append(retainer.id)
    return renewed


async def _start_month(uow: UnitOfWork, retainer: Retainer, starts: datetime
                       ) -> PackagePurchase | None:
    """The retainer's next month as a package to pay, once (the month number is claimed by a
    conditional update, and unique per retainer)."""
    month = retainer.months + 1
    claimed = await uow.session.execute(update(Retainer).where(
        Retainer.id == retainer.id, Retainer.months == month - 1,
        Retainer.status.in_(RUNNING)).values(months=month, renews_at=None)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    purchase = PackagePurchase(
        package_id=retainer.package_id, seeker_id=retainer.seeker_id,
        consultant_id=retainer.consultant_id, sessions=retainer.sessions,
        minutes=retainer.minutes, price_minor=retainer.price_minor, currency=retainer.currency,
        valid_days=0, refund_rule=retainer.refund_rule, status=PackageState.AWAITING_PAYMENT, reserved=0,
        used=0, retainer_id=retainer.id, month=month, starts_at=starts,
        created_at=uow.clock.now())
    await uow.insert(purchase)
    uow.emit(RetainerMonthDue(retainer.id, purchase.id, retainer.seeker_id,
                              retainer.consultant_id, _price(retainer)))
    return purchase


def month_ends(purchase: PackagePurchase, paid_at: datetime) -> datetime:
    """When a retainer's month paid at `paid_at` ends: a month after it started, or a month
    after payment when it was paid only after that."""
    assert purchase.starts_at is not None
    end = rules.next_month(purchase.starts_at)
    return end if paid_at < end else rules.next_month(paid_at)


async def month_paid(uow: UnitOfWork, purchase: PackagePurchase) -> None:
    """A month was paid (in the payment's transaction): the retainer runs until it ends."""
    assert purchase.expires_at is not None
    await uow.session.execute(update(Retainer).where(
        Retainer.id == purchase.retainer_id, Retainer.status.in_(RUNNING))
        .values(status=RetainerState.ACTIVE, renews_at=purchase.expires_at)
        .execution_options(synchronize_session=False))


async def declined(uow: UnitOfWork, retainer_id: int) -> None:
    """The month's charge was declined: no later month starts until this one is paid."""
    await uow.session.execute(update(Retainer).where(
        Retainer.id == retainer_id, Retainer.status.in_((RetainerState.AWAITING_CARD, RetainerState.ACTIVE)))
        .values(status=RetainerState.PAST_DUE).execution_options(synchronize_session=False))


async def cancel(uow: UnitOfWork, retainer_id: int, actor_id: int) -> Retainer:
    """Either party ends the retainer: no month starts again; the month paid runs out, and a
    month still unpaid is called off."""
    retainer = await uow.get(Retainer, retainer_id)
    if retainer is None or actor_id not in (retainer.seeker_id, retainer.consultant_id):
        raise NotFound(_("That retainer doesn't exist."))
    moved = await uow.session.execute(update(Retainer).where(
        Retainer.id == retainer_id, Retainer.status.in_(RUNNING))
        .values(status=RetainerState.CANCELLED, renews_at=None, cancelled_at=uow.clock.now(),
                cancelled_by=actor_id).execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That retainer has ended already."))
    await uow.session.execute(update(PackagePurchase).where(
        PackagePurchase.retainer_id == retainer_id,
        PackagePurchase.status == PackageState.AWAITING_PAYMENT)
        .values(status=PackageState.CANCELLED)
        .execution_options(synchronize_session=False))
    await uow.session.refresh(retainer)
    await notices.retainer_ended(uow, retainer, actor_id)
    return retainer


async def of_account(uow: UnitOfWork, account_id: int) -> list[Retainer]:
    """The retainers an account holds or gives that have not ended."""
    return list((await uow.session.execute(select(Retainer).where(
        (Retainer.seeker_id == account_id) | (Retainer.consultant_id == account_id),
        Retainer.status.in_(RUNNING)).order_by(Retainer.id))).scalars())


def _price(retainer: Retainer) -> Money:
    return Money(retainer.price_minor, retainer.currency)
