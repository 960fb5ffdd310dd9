"""Featured consultants: a promotion puts a consultant in a category's featured places from its
start until its end (no job ends it: a promotion past its end is simply no longer running), and
counts how often it was shown featured and the profile views it brought."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from core.accounts.tables import Account
from core.actions import Action
from core.consulting.events import PromotionRequested
from core.consulting.intents import ConsultingIntent
from core.consulting.profiles import rules
from core.consulting.profiles import service as profiles
from core.consulting.profiles.rules import PACKAGES as PACKAGES  # the profile flow's offer
from core.consulting.profiles.rules import bought, price
from core.consulting.profiles.taxonomy import check_categories, label
from core.consulting.tables import Promotion
from core.i18n import N_, _, present
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify
from core.operators.roles import require, require_admin
from core.storage.uow import UnitOfWork


async def buy(uow: UnitOfWork, consultant_id: int, category: str, days: int) -> Money:
    """A live consultant asks to be featured in one of their categories; the money layer
    charges the package and, once paid, the promotion starts (`start_paid`)."""
    rules.check_package(days)
    [category] = check_categories([category])
    profile = await profiles.get(uow, consultant_id)
    rules.check_may_buy(profile.live)
    rules.check_featured_in(category, profile.categories)
    cost = price(days)
    uow.emit(PromotionRequested(consultant_id, category, days, cost,
                                rules.reference(consultant_id, category, days, uow.clock.now())))
    return cost


async def start_paid(uow: UnitOfWork, reference: str) -> Promotion | None:
    """The package was paid: the promotion runs from now (once per payment)."""
    found = bought(reference)
    return await promote(uow, None, *found) if found is not None else None


async def promote(uow: UnitOfWork, actor_id: int | None, consultant_id: int, category: str,
                  days: int, starts_at: datetime | None = None) -> Promotion:
    """Feature a consultant in one of their categories for a package of days: an admin's
    grant, or the system's once a promotion is paid for (`actor_id` None)."""
    if actor_id is not None:
        await require_admin(uow, actor_id)
    rules.check_package(days)
    [category] = check_categories([category])
    profile = await profiles.get(uow, consultant_id)
    rules.check_featured_in(category, profile.categories)
    start = starts_at or uow.clock.now()
    row = Promotion(consultant_id=consultant_id, category=category, starts_at=start,
                    ends_at=rules.ends_at(start, days), impressions=0, profile_views=0,
                    created_at=uow.clock.now())
    await uow.insert(row)
    return row


async def running(uow: UnitOfWork, consultant_ids: Iterable[int], category: str | None
                  ) -> dict[int, int]:
    """Consultant id → the running promotion that features them (in `category`, or any)."""
    now = uow.clock.now()
    query = select(Promotion.consultant_id, Promotion.id).where(
        Promotion.consultant_id.in_(list(consultant_ids)), Promotion.starts_at <= now,
        Promotion.ends_at > now).order_by(Promotion.ends_at.desc())
    if category is not None:
        query = query.where(Promotion.category == category)
    return {consultant: promotion for consultant, promotion
            in reversed((await uow.session.execute(query)).all())}


async def shown(uow: UnitOfWork, promotion_ids: list[int]) -> None:
    """These promotions were shown featured once more."""
    if promotion_ids:
        await uow.session.execute(update(Promotion).where(Promotion.id.in_(promotion_ids))
                                  .values(impressions=Promotion.impressions + 1)
                                  .execution_options(synchronize_session=False))


async def viewed(uow: UnitOfWork, consultant_id: int) -> None:
    """The consultant's profile was viewed while promoted: each running promotion counts it."""
    now = uow.clock.now()
    await uow.session.execute(update(Promotion).where(
        Promotion.consultant_id == consultant_id, Promotion.starts_at <= now,
        Promotion.ends_at > now).values(profile_views=Promotion.profile_views + 1)
        .execution_options(synchronize_session=False))


@dataclass(frozen=True)
class PromotionReport:
    """One of a consultant's promotions as they read it: where, until when, what it brought."""

    category: str
    ends_at: datetime
    impressions: int
    profile_views: int


async def report(uow: UnitOfWork, actor_id: int) -> list[PromotionReport]:
    """The actor's own promotions, newest first, with their impressions and views."""
    rows = (await uow.session.execute(select(Promotion).where(
        Promotion.consultant_id == actor_id).order_by(Promotion.starts_at.desc()))).scalars()
    return [PromotionReport(p.category, p.ends_at, p.impressions, p.profile_views) for p in rows]


REMIND_BEFORE = timedelta(days=2)


async def remind_ending(uow: UnitOfWork) -> int:
    """Consultants whose promotion ends within two days hear it once, with a renew button;
    returns how many were told (each claimed by a guarded update, so never twice)."""
    now = uow.clock.now()
    ending = (await uow.session.execute(select(Promotion).where(
        Promotion.reminded_at.is_(None), Promotion.ends_at > now,
        Promotion.ends_at <= now + REMIND_BEFORE))).scalars().all()
    told = 0
    for promotion in ending:
        claimed = await uow.session.execute(update(Promotion).where(
            Promotion.id == promotion.id, Promotion.reminded_at.is_(None)).values(reminded_at=now))
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        async with addressed_to(uow, promotion.consultant_id):
            await notify(uow, promotion.consultant_id, _(
                "⭐ Your promotion in “{category}” ends on {date} ({impressions} impressions, "
                "{views} profile views so far).", category=label(promotion.category),
                date=present.day(promotion.ends_at), impressions=present.count(promotion.impressions),
                views=present.count(promotion.profile_views)),
                buttons=[[Action(ConsultingIntent.PROMOTE, N_("⭐ Renew"), "")]])
        told += 1
    return told


async def overview(uow: UnitOfWork, operator_id: int) -> list[tuple[Promotion, str, bool]]:
    """Every promotion, newest first, with the consultant's name and whether it runs now."""
    await require(uow, operator_id, "view_promotions")
    now = uow.clock.now()
    rows = await uow.session.execute(select(Promotion, Account.display_name).join(
        Account, Account.id == Promotion.consultant_id).order_by(Promotion.starts_at.desc()))
    return [(p, name, p.starts_at <= now < p.ends_at) for p, name in rows.all()]
