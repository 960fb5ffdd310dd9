"""Packages as people read them: one line per package offered, bought or sold, in the
reader's language and conventions (core.i18n.present)."""

from __future__ import annotations

from dataclasses import dataclass

from core.accounts.tables import Account
from core.consulting.bookings.diary import Diary
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.packages import retainers, rules
from core.consulting.packages import service as packages
from core.consulting.packages.balances import Balance
from core.consulting.packages.rules import RetainerState
from core.consulting.packages.tables import Retainer, SessionPackage
from core.consulting.profiles import service as profiles
from core.errors import DomainError, NotFound
from core.i18n import _, n_, present
from core.money.model import Money
from core.storage.uow import UnitOfWork


def offer_line(package: SessionPackage, single: Money | None = None) -> str:
    """“5 x 60 min for €360.00 (€72.00 a session), valid 90 days; unused sessions are
    refunded in full at expiry”."""
    price = Money(package.price_minor, package.currency)
    each = rules.share(price, package.sessions, package.sessions)
    if package.monthly:
        line = _("{sessions} × {minutes} min every month for {price} a month ({each} a session), "
                 "renewed by card until cancelled; {rule}", sessions=present.number(package.sessions),
                 minutes=present.number(package.minutes), price=price, each=each,
                 rule=_(rules.RULE_TEXT[package.refund_rule]))
        return line + _saving(package, price, single)
    line = _("{sessions} × {minutes} min for {price} ({each} a session), valid {days} days; {rule}",
             sessions=present.number(package.sessions), minutes=present.number(package.minutes),
             price=price, each=each, days=present.number(package.valid_days),
             rule=_(rules.RULE_TEXT[package.refund_rule]))
    return line + _saving(package, price, single)


def _saving(package: SessionPackage, price: Money, single: Money | None) -> str:
    if single is None or single.amount * package.sessions <= price.amount:
        return ""
    return " · " + _("you save {saved}", saved=Money(
        single.amount * package.sessions - price.amount, price.currency))


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
    """A package booking's cancellation rule (core.consulting.packages.drawing.settle_booking)."""
    return _("Cancel up to {hours} hours before the start and the session goes back to your "
             "package. Later, or if you do not come, the session is used: the fee the policy "
             "states goes to the consultant and the rest of its share back to you.",
             hours=present.number(free_cancel_hours))


async def _name(uow: UnitOfWork, account_id: int) -> str:
    account = await uow.get(Account, account_id)
    return account.display_name if account else "—"


async def held_text(uow: UnitOfWork | Diary, account_id: int) -> str:
    """The packages this account bought or sold that still run, a line each ("" if none)."""
    diary = diary_of(uow)
    running, balances = await diary.packages_held(account_id)
    parties = {p for r in running for p in (r.seeker_id, r.consultant_id)} | \
        {p for b in balances for p in (b.seeker_id, b.consultant_id)}
    names = await diary.names(parties) if parties else {}

    def other(seeker_id: int, consultant_id: int) -> str:
        return names.get(consultant_id if seeker_id == account_id else seeker_id, "—")

    lines = [retainer_line(r, other(r.seeker_id, r.consultant_id)) for r in running]
    lines += [balance_line(b, other(b.seeker_id, b.consultant_id)) for b in balances]
    return "\n".join(lines)


def retainer_line(retainer: Retainer, other: str) -> str:
    """“🔁 Retainer #2 with Ann: 4 x 60 min a month for €288.00, renews 26 Dec 2026”."""
    line = _("🔁 Retainer #{id} with {other}: {sessions} × {minutes} min a month for {price}",
             id=retainer.id, other=other, sessions=present.number(retainer.sessions),
             minutes=present.number(retainer.minutes),
             price=Money(retainer.price_minor, retainer.currency))
    if retainer.status == RetainerState.AWAITING_CARD:
        return line + ", " + _("waiting for the card to be saved")
    if retainer.status == RetainerState.PAST_DUE:
        return line + ", " + _("this month's payment is due")
    return line + (", " + _("renews {day}", day=present.day(retainer.renews_at))
                   if retainer.renews_at else "")


async def running_retainers(uow: UnitOfWork, account_id: int) -> list[int]:
    """The retainers this account may end now."""
    return [r.id for r in await retainers.of_account(uow, account_id)]


async def consent_text(uow: UnitOfWork, package_id: int) -> str:
    """What the seeker agrees to before a retainer's card is saved (and kept with it)."""
    package = await uow.get(SessionPackage, package_id)
    if package is None or not package.monthly or not package.active:
        raise NotFound(_("That package is no longer offered."))
    name = await _name(uow, package.consultant_id)
    return _("🔁 You agree that Agora charges {price} to the card you save now: today, and then "
             "each month on the same day, until you or {name} end the retainer. "
             "Each month holds {sessions} sessions of {minutes} minutes; {rule}.",
             price=Money(package.price_minor, package.currency), name=name,
             sessions=present.number(package.sessions), minutes=present.number(package.minutes),
             rule=_(rules.RULE_TEXT[package.refund_rule]))


async def subscribe(uow: UnitOfWork, seeker_id: int, package_id: int) -> int:
    """`retainers.subscribe`, as the chat confirms it: the retainer's number."""
    return (await retainers.subscribe(uow, seeker_id, package_id)).id


async def end_retainer(uow: UnitOfWork, retainer_id: int, actor_id: int) -> int:
    """`retainers.cancel`, as the chat confirms it: the retainer's number."""
    return (await retainers.cancel(uow, retainer_id, actor_id)).id


@dataclass(frozen=True)
class Offers:
    """A consultant's packages on offer, as a seeker or the consultant reads them."""

    consultant_id: int
    name: str
    lines: list[tuple[int, str, bool]]  # (package id, its terms in a line, monthly)


async def offers(uow: UnitOfWork, consultant_id: int, *, savings: bool = True) -> Offers:
    """The packages offered now, with what each saves over single sessions (`savings`)."""
    profile = await profiles.get(uow, consultant_id)
    lines = []
    for package in await packages.offers_of(uow, consultant_id):
        single = profiles.price_for(profile, package.minutes) \
            if savings and package.minutes in profiles.lengths(profile) else None
        lines.append((package.id, offer_line(package, single), package.monthly))
    return Offers(consultant_id, await _name(uow, consultant_id), lines)


async def offer(uow: UnitOfWork, consultant_id: int, sessions: int, discount_percent: int,
                valid_days: int | str, refund_rule: str) -> tuple[int, str]:
    """A new package of the consultant's, of their session length (`service.offer`), as the
    chat confirms it: its number and terms."""
    profile = await profiles.get(uow, consultant_id)
    lengths = [m for m in profiles.lengths(profile) if m in packages.PACKAGE_LENGTHS]
    if not lengths:
        raise DomainError(_("Packages are of 30- or 60-minute sessions; your rate offers "
                            "neither."))
    monthly = valid_days == rules.MONTHLY
    package = await packages.offer(uow, consultant_id, sessions, max(lengths), discount_percent,
                                   0 if monthly else int(valid_days), refund_rule, monthly)
    return package.id, offer_line(package)


async def buy(uow: UnitOfWork, seeker_id: int, package_id: int) -> int:
    """`service.buy`, as the chat confirms it: the purchase's number."""
    return (await packages.buy(uow, seeker_id, package_id)).id
