"""Packages as people read them: one line per package offered, bought or sold, in the
reader's language and conventions (core.i18n.present)."""

from __future__ import annotations

from dataclasses import dataclass

from core.accounts.tables import Account
from core.consulting.packages import rules
from core.consulting.packages import service as packages
from core.consulting.packages.service import Balance
from core.consulting.packages.tables import SessionPackage
from core.consulting.profiles import service as profiles
from core.errors import DomainError
from core.i18n import _, n_, present
from core.money.model import Money
from core.storage.uow import UnitOfWork


def offer_line(package: SessionPackage, single: Money | None = None) -> str:
    """“5 x 60 min for €360.00 (€72.00 a session), valid 90 days; unused sessions are
    refunded in full at expiry”."""
    price = Money(package.price_minor, package.currency)
    each = rules.share(price, package.sessions, package.sessions)
    line = _("{sessions} × {minutes} min for {price} ({each} a session), valid {days} days; {rule}",
             sessions=present.number(package.sessions), minutes=present.number(package.minutes),
             price=price, each=each, days=present.number(package.valid_days),
             rule=_(rules.RULE_TEXT[package.refund_rule]))
    if single is not None and single.amount * package.sessions > price.amount:
        line += " · " + _("you save {saved}", saved=Money(
            single.amount * package.sessions - price.amount, price.currency))
    return line


def balance_line(balance: Balance, other: str) -> str:
    """“📦 Package #3 with Ann: 2 of 5 sessions left to book (1 booked, 2 used), until 21 Feb
    2027”."""
    left = n_("{left} of {sessions} session left to book",
              "{left} of {sessions} sessions left to book", balance.left,
              left=present.number(balance.left), sessions=present.number(balance.sessions))
    line = _("📦 Package #{id} with {other}: {left} ({booked} booked, {used} used)",
             id=balance.purchase_id, other=other, left=left,
             booked=present.number(balance.booked), used=present.number(balance.used))
    if balance.expires_at is not None:
        line += ", " + _("until {day}", day=present.day(balance.expires_at))
    return line


def prepaid_line(balance: Balance) -> str:
    """What a booking drawn from a package says instead of an authorisation."""
    return _("📦 Prepaid from package #{id}: {left} of {sessions} sessions left to book, until "
             "{day}.", id=balance.purchase_id, left=present.number(balance.left),
             sessions=present.number(balance.sessions),
             day=present.day(balance.expires_at) if balance.expires_at else "—")


def prepaid_policy(free_cancel_hours: int) -> str:
    """A package booking's cancellation rule (core.consulting.packages.service.settle_booking)."""
    return _("Cancel up to {hours} hours before the start and the session goes back to your "
             "package; later, or if the seeker does not come, it counts as used.",
             hours=present.number(free_cancel_hours))


async def _name(uow: UnitOfWork, account_id: int) -> str:
    account = await uow.session.get(Account, account_id)
    return account.display_name if account else "—"


async def held_text(uow: UnitOfWork, account_id: int) -> str:
    """The packages this account bought or sold that still run, a line each ("" if none)."""
    lines = []
    for balance in await packages.balances(uow, account_id):
        other = balance.consultant_id if balance.seeker_id == account_id else balance.seeker_id
        lines.append(balance_line(balance, await _name(uow, other)))
    return "\n".join(lines)


@dataclass(frozen=True)
class Offers:
    """A consultant's packages on offer, as a seeker or the consultant reads them."""

    consultant_id: int
    name: str
    lines: list[tuple[int, str]]  # (package id, its terms in a line)


async def offers(uow: UnitOfWork, consultant_id: int, *, savings: bool = True) -> Offers:
    """The packages offered now, with what each saves over single sessions (`savings`)."""
    profile = await profiles.get(uow, consultant_id)
    lines = []
    for package in await packages.offers_of(uow, consultant_id):
        single = profiles.price_for(profile, package.minutes) \
            if savings and package.minutes in profiles.lengths(profile) else None
        lines.append((package.id, offer_line(package, single)))
    return Offers(consultant_id, await _name(uow, consultant_id), lines)


async def offer(uow: UnitOfWork, consultant_id: int, sessions: int, discount_percent: int,
                valid_days: int, refund_rule: str) -> tuple[int, str]:
    """A new package of the consultant's, of their session length (`service.offer`), as the
    chat confirms it: its number and terms."""
    profile = await profiles.get(uow, consultant_id)
    lengths = [m for m in profiles.lengths(profile) if m in packages.PACKAGE_LENGTHS]
    if not lengths:
        raise DomainError(_("Packages are of 30- or 60-minute sessions; your rate offers "
                            "neither."))
    package = await packages.offer(uow, consultant_id, sessions, max(lengths), discount_percent,
                                   valid_days, refund_rule)
    return package.id, offer_line(package)


async def buy(uow: UnitOfWork, seeker_id: int, package_id: int) -> int:
    """`service.buy`, as the chat confirms it: the purchase's number."""
    return (await packages.buy(uow, seeker_id, package_id)).id
