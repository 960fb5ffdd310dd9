"""The rules of a session package, without a database: the terms a consultant may offer, the
price of a discount, each used session's exact share of the price, and what unused sessions
give back at expiry."""

from __future__ import annotations

import calendar
from datetime import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from core.errors import DomainError
from core.i18n import N_, _
from core.money.model import Money


class PackageState(StrEnum):
    """A package bought: paid, then its sessions used until they run out or it expires (its
    unused sessions settled by the refund rule); a retainer's month unpaid is cancelled."""

    AWAITING_PAYMENT = "awaiting_payment"
    ACTIVE = "active"
    EXPIRED = "expired"
    USED_UP = "used_up"
    CANCELLED = "cancelled"


class RetainerState(StrEnum):
    """A monthly retainer: awaiting_card → active ⇄ past_due (a renewal declined) → cancelled."""

    AWAITING_CARD = "awaiting_card"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELLED = "cancelled"


class UseState(StrEnum):
    """A package's session given to a booking: reserved, then used or returned to the balance."""

    RESERVED = "reserved"
    USED = "used"
    RETURNED = "returned"


SESSIONS = (3, 5, 10)
DISCOUNTS = (0, 5, 10, 15, 20)  # percent off the sessions' single price
VALID_DAYS = (30, 90, 180, 365)
MONTHLY = "monthly"  # the offer form's choice of a retainer: sessions every month, renewed
REFUND_RULES = ("full", "half", "none")
REFUND_PERCENT = {"full": 100, "half": 50, "none": 0}
RULE_TEXT = {"full": N_("unused sessions are refunded in full at expiry"),
             "half": N_("half the price of unused sessions is refunded at expiry"),
             "none": N_("unused sessions are not refunded at expiry")}


def check_terms(sessions: int, minutes: int, valid_days: int, refund_rule: str) -> None:
    """A package's terms, as the offer form allows them."""
    if sessions not in SESSIONS or valid_days not in VALID_DAYS or refund_rule not in REFUND_RULES:
        raise DomainError(_("A package has {sessions} sessions, is valid {days} days, and "
                            "its refund rule is one of the three offered.",
                            sessions="/".join(map(str, SESSIONS)),
                            days="/".join(map(str, VALID_DAYS))))
    if not 15 <= minutes <= 240:
        raise DomainError(_("A package's sessions last 15 to 240 minutes."))


def package_price(single: Money, sessions: int, discount_percent: int) -> Money:
    """`sessions` sessions at `single` each, `discount_percent` off, to the cent."""
    if discount_percent not in DISCOUNTS:
        raise DomainError(_("The discount is one of {choices} %.",
                            choices=", ".join(map(str, DISCOUNTS))))
    kept = 1 - Decimal(discount_percent).scaleb(-2)  # 10 % off → 0.90 of the price
    whole = Decimal(single.amount * sessions) * kept
    return Money(int(whole.quantize(Decimal(1), ROUND_HALF_UP)), single.currency)


def share(price: Money, sessions: int, number: int) -> Money:
    """The share of the `number`-th session used (1-based): the price split evenly, the
    cents that do not divide going to the first sessions, so the shares add up to the price."""
    base, extra = divmod(price.amount, sessions)
    return Money(base + (1 if number <= extra else 0), price.currency)


def fee_split(share_: Money, fee: Money) -> tuple[Money, Money]:
    """A session used by a late cancellation or a no-show: the consultant gets the policy's
    fee out of its share, the seeker the rest back (what the booking's words promise)."""
    kept = Money(min(fee.amount, share_.amount), share_.currency)
    return kept, share_ - kept


def unused_value(price: Money, sessions: int, used: int) -> Money:
    """What the sessions not used are worth: the price less the shares of those used."""
    return Money(price.amount - sum(share(price, sessions, n).amount
                                    for n in range(1, used + 1)), price.currency)


def refund_at_expiry(unused: Money, rule: str) -> Money:
    """The part of the unused value given back under `rule` (rounded down to the cent; the
    rest is the consultant's)."""
    back = Decimal(unused.amount) * Decimal(REFUND_PERCENT[rule]).scaleb(-2)
    return Money(int(back.quantize(Decimal(1), ROUND_DOWN)), unused.currency)


def next_month(moment: datetime) -> datetime:
    """The same day and time a month later (the month's last day when it has fewer days):
    when a retainer's month ends and the next is charged."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
