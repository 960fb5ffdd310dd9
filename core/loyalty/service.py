"""Loyalty use cases: a member's standing, redeeming points, referral codes.

Each asks only loyalty's book (`core.loyalty.book.PointsBook`): given the unit of work it works
on the database (`SqlPointsBook`); given a book, on that one (the tests' in-memory book), so its
rules are tested without a database."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from core.errors import Conflict, DomainError, NotFound
from core.i18n import _
from core.loyalty import points, rules
from core.loyalty.book import Member, Movement, PointsBook, book_of
from core.money.model import Money
from core.storage.uow import UnitOfWork

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


async def enrol(uow: UnitOfWork | PointsBook, account_id: int, lock: bool = False) -> Member:
    """The member, made on first use with a new referral code (safe when two make it at once);
    `lock` holds them until commit, so that their redemptions queue."""
    code = "".join(secrets.choice(CODE_ALPHABET) for __ in range(8))
    return await book_of(uow).enrol(account_id, code, lock=lock)


async def standing(uow: UnitOfWork | PointsBook, account_id: int) -> Standing:
    """Balance, tier (by points earned in the last 12 months), code, pending discount, history."""
    book = book_of(uow)
    me = await enrol(book, account_id)
    year = await points.earned_in_year(book, account_id)
    return Standing(await points.balance(book, points.member(account_id)), year,
                    rules.tier_of(year), rules.next_tier(year), me.code,
                    await waiting_discount(book, account_id),
                    await points.history(book, account_id))


@dataclass(frozen=True)
class Brief:
    """A member's standing in short (a profile's line): no history, nothing written."""

    balance: int
    tier: str
    pending_discount: Money


async def waiting_discount(uow: UnitOfWork | PointsBook, account_id: int) -> Money:
    """What the member's redemptions still take off their next commissions."""
    return Money(await book_of(uow).pending(account_id), rules.POINT_VALUE_CURRENCY)


async def brief(uow: UnitOfWork | PointsBook, account_id: int) -> Brief:
    book = book_of(uow)
    return Brief(await points.balance(book, points.member(account_id)),
                 rules.tier_of(await points.earned_in_year(book, account_id)),
                 await waiting_discount(book, account_id))


@dataclass(frozen=True)
class Redeemed:
    """A redemption as its member reads it: the points spent and what comes off a commission."""

    id: int
    points: int
    value: Money


async def redeem(uow: UnitOfWork | PointsBook, account_id: int, spent: int) -> Redeemed:
    """Spend points for a commission discount at the member's next payment as payee. The
    member's row is locked first, so two redemptions at once never spend the same points."""
    book = book_of(uow)
    rules.check_redemption(spent)
    await enrol(book, account_id, lock=True)
    have = await points.balance(book, points.member(account_id))
    if spent > have:
        raise Conflict(_("You have {have} points; that redemption needs {spent}.", have=have, spent=spent))
    value = rules.value_of(spent)
    redemption_id = await book.redeemed(account_id, spent, value.currency, value.amount)
    try:
        await points.post(book, f"redeem:{redemption_id}", "redeem", account_id,
                          f"redeemed for {value} off a commission",
                          [(points.member(account_id), -spent), (points.REDEEMED, spent)])
    except points.NotEnoughPoints:
        raise Conflict(_("Those points were just spent.")) from None
    return Redeemed(redemption_id, spent, value)


async def use_discount(uow: UnitOfWork | PointsBook, payee_id: int, commission: Money,
                       reference: str) -> Money:
    """Take the payee's waiting discount (at most the commission) for a payment; each use is a
    guarded update of what remains, so two payments never use the same euro twice."""
    zero = Money(0, commission.currency)
    if commission.amount <= 0:
        return zero
    book = book_of(uow)
    used = 0
    for redemption_id, remaining in await book.open_redemptions(payee_id, commission.currency):
        take = min(remaining, commission.amount - used)
        if take <= 0:
            break
        if await book.use(redemption_id, remaining, remaining - take, reference[:64]):
            used += take
    return Money(used, commission.currency)


async def join_by_code(uow: UnitOfWork | PointsBook, account_id: int, code: str) -> int:
    """Record who referred this member (once, never themselves, before a first deal or
    session); returns the referrer's account id."""
    book = book_of(uow)
    referrer = await book.member_by_code(code.strip().upper())
    if referrer is None:
        raise NotFound(_("That referral code is unknown."))
    if referrer == account_id:
        raise DomainError(_("That is your own referral code: share it with others."))
    me = await enrol(book, account_id)
    if me.referred_by == referrer:
        return referrer
    if me.referred_by is not None:
        raise Conflict(_("You joined through another member's referral already."))
    if await points.has_kind(book, account_id, COMPLETIONS):
        raise Conflict(_("Referral codes count before your first deal or session."))
    if not await book.refer(account_id, referrer):
        raise Conflict(_("You joined through another member's referral already."))
    return referrer
