"""Loyalty use cases: a member's standing, redeeming points, referral codes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, update

from core.errors import Conflict, DomainError, NotFound
from core.i18n import _
from core.loyalty import points, rules
from core.loyalty.points import Movement
from core.loyalty.tables import LoyaltyMember, Redemption
from core.money.model import Money
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
COMPLETIONS = ("deal", "session")


@dataclass(frozen=True)
class Standing:
    balance: int
    earned_in_year: int
    tier: str
    next_tier: tuple[str, int] | None
    code: str
    pending_discount: Money
    history: list[Movement]


async def enrol(uow: UnitOfWork, account_id: int, lock: bool = False) -> LoyaltyMember:
    """The member's row, made on first use (safe when two make it at once); `lock` holds it
    until commit (PostgreSQL: FOR UPDATE; SQLite's write lock is taken at BEGIN IMMEDIATE)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for __ in range(8))
    await uow.session.execute(dialect_insert(uow, LoyaltyMember).values(
        account_id=account_id, code=code, created_at=uow.clock.now()).on_conflict_do_nothing())
    stmt = select(LoyaltyMember).where(LoyaltyMember.account_id == account_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await uow.session.execute(stmt.execution_options(populate_existing=True))
            ).scalar_one()


async def standing(uow: UnitOfWork, account_id: int) -> Standing:
    """Balance, tier (by points earned in the last 12 months), code, pending discount, history."""
    row = await enrol(uow, account_id)
    year = await points.earned_in_year(uow, account_id)
    return Standing(await points.balance(uow, points.member(account_id)), year,
                    rules.tier_of(year), rules.next_tier(year), row.code,
                    await waiting_discount(uow, account_id),
                    await points.history(uow, account_id))


@dataclass(frozen=True)
class Brief:
    """A member's standing in short (a profile's line): no history, nothing written."""

    balance: int
    tier: str
    pending_discount: Money


async def waiting_discount(uow: UnitOfWork, account_id: int) -> Money:
    """What the member's redemptions still take off their next commissions."""
    pending = (await uow.session.execute(select(func.coalesce(func.sum(Redemption.remaining), 0))
                                         .where(Redemption.account_id == account_id))).scalar_one()
    return Money(int(pending), rules.POINT_VALUE_CURRENCY)


async def brief(uow: UnitOfWork, account_id: int) -> Brief:
    return Brief(await points.balance(uow, points.member(account_id)),
                 rules.tier_of(await points.earned_in_year(uow, account_id)),
                 await waiting_discount(uow, account_id))


@dataclass(frozen=True)
class Redeemed:
    """A redemption as its member reads it: the points spent and what comes off a commission."""

    id: int
    points: int
    value: Money


async def redeem(uow: UnitOfWork, account_id: int, spent: int) -> Redeemed:
    """Spend points for a commission discount at the member's next payment as payee. The
    member's row is locked first, so two redemptions at once never spend the same points."""
    rules.check_redemption(spent)
    await enrol(uow, account_id, lock=True)
    have = await points.balance(uow, points.member(account_id))
    if spent > have:
        raise Conflict(_("You have {have} points; that redemption needs {spent}.", have=have, spent=spent))
    value = rules.value_of(spent)
    row = Redemption(account_id=account_id, points=spent, currency=value.currency,
                     value=value.amount, remaining=value.amount, created_at=uow.clock.now())
    await uow.insert(row)
    try:
        await points.post(uow, f"redeem:{row.id}", "redeem", account_id,
                          f"redeemed for {value} off a commission",
                          [(points.member(account_id), -spent), (points.REDEEMED, spent)])
    except points.NotEnoughPoints:
        raise Conflict(_("Those points were just spent.")) from None
    return Redeemed(row.id, spent, value)


async def use_discount(uow: UnitOfWork, payee_id: int, commission: Money,
                       reference: str) -> Money:
    """Take the payee's waiting discount (at most the commission) for a payment; each use is a
    guarded update of what remains, so two payments never use the same euro twice."""
    zero = Money(0, commission.currency)
    if commission.amount <= 0:
        return zero
    # Asked at every release: Core statements built once, on the transaction's connection.
    conn = await uow.core()
    open_ = (await conn.execute(_WAITING, {"r_account": payee_id,
                                           "r_currency": commission.currency})).all()
    used = 0
    for redemption_id, remaining in open_:
        take = min(remaining, commission.amount - used)
        if take <= 0:
            break
        moved = await conn.execute(_USE, {
            "r_id": redemption_id, "r_was": remaining, "r_left": remaining - take,
            "r_reference": reference[:64], "r_at": uow.clock.now()})
        if moved.rowcount == 1:
            used += take
    return Money(used, commission.currency)


_REDEMPTIONS = table_of(Redemption)
_WAITING = (select(_REDEMPTIONS.c.id, _REDEMPTIONS.c.remaining)
            .where(_REDEMPTIONS.c.account_id == bindparam("r_account"),
                   _REDEMPTIONS.c.currency == bindparam("r_currency"),
                   _REDEMPTIONS.c.remaining > 0).order_by(_REDEMPTIONS.c.id))
_USE = (update(_REDEMPTIONS).where(_REDEMPTIONS.c.id == bindparam("r_id"),
                                   _REDEMPTIONS.c.remaining == bindparam("r_was"))
        .values(remaining=bindparam("r_left"), last_reference=bindparam("r_reference"),
                used_at=bindparam("r_at")))


async def join_by_code(uow: UnitOfWork, account_id: int, code: str) -> int:
    """Record who referred this member (once, never themselves, before a first deal or
    session); returns the referrer's account id."""
    referrer = (await uow.session.execute(select(LoyaltyMember.account_id).where(
        LoyaltyMember.code == code.strip().upper()))).scalar_one_or_none()
    if referrer is None:
        raise NotFound(_("That referral code is unknown."))
    if referrer == account_id:
        raise DomainError(_("That is your own referral code: share it with others."))
    me = await enrol(uow, account_id)
    if me.referred_by == referrer:
        return referrer
    if me.referred_by is not None:
        raise Conflict(_("You joined through another member's referral already."))
    if await points.has_kind(uow, account_id, COMPLETIONS):
        raise Conflict(_("Referral codes count before your first deal or session."))
    moved = await uow.session.execute(update(LoyaltyMember).where(
        LoyaltyMember.account_id == account_id, LoyaltyMember.referred_by.is_(None))
        .values(referred_by=referrer))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("You joined through another member's referral already."))
    return referrer
