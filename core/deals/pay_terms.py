"""Payment on terms, on plain values (no database): a company Agora approved for it buys with
the goods shipped first and an invoice due some days after shipment (net 14 or net 30), within
a limit on what it owes at once. Reminders go before the due date and after it; an invoice
still unpaid a week after it goes to Agora's finance team."""

from __future__ import annotations

from datetime import date, timedelta

from core.errors import DomainError
from core.i18n import N_, _
from core.money.model import Money

# The payment methods that are payment on terms, and their net days.
NET_DAYS = {"net14": 14, "net30": 30}
METHODS = {"net14": N_("On terms: invoice due 14 days after shipment (bank transfer)"),
           "net30": N_("On terms: invoice due 30 days after shipment (bank transfer)")}
# The reminders, in order: how far from the due date each goes (negative: before it).
BEFORE, OVERDUE, TO_OPERATORS = 1, 2, 3
REMINDERS = {BEFORE: timedelta(days=-3), OVERDUE: timedelta(days=1),
             TO_OPERATORS: timedelta(days=7)}


def net_days(method: str | None) -> int | None:
    """The net days of an on-terms payment method; None for escrow or direct payment."""
    return NET_DAYS.get(method or "")


def due_on(invoiced: date, days: int) -> date:
    """The invoice's due date: `days` after the day it was issued (the day the goods left)."""
    return invoiced + timedelta(days=days)


def reminder_due(today: date, due: date, sent: int) -> int | None:
    """The latest reminder whose day has come and that was not sent yet (a job that missed a
    day sends only the latest: an overdue invoice is not first announced as coming due)."""
    reached = [stage for stage, offset in REMINDERS.items() if today >= due + offset]
    latest = max(reached, default=0)
    return latest if latest > sent else None


def checked_credit(days: int, amount: Money, allowed_days: int | None, limit: Money | None,
                   owed: Money, company: str) -> None:
    """Refuse payment on terms the company may not use: not approved, longer than approved,
    or bringing what it owes on terms (prices without VAT) above its limit."""
    if allowed_days is None or limit is None:
        raise DomainError(_("Payment on terms is only for companies Agora approved for it; "
                            "choose escrow."))
    if days > allowed_days:
        raise DomainError(_("{company} may pay on terms of up to {days} days.",
                            company=company, days=allowed_days))
    if amount.currency != limit.currency:
        raise DomainError(_("{company}'s payment on terms is in {currency}; choose escrow for "
                            "this purchase.", company=company, currency=limit.currency))
    if (owed + amount).amount > limit.amount:
        raise DomainError(_("This would bring what {company} owes on terms to {total}, above "
                            "its limit of {limit}; choose escrow.", company=company,
                            total=owed + amount, limit=limit))


def checked_days(days: int | None) -> int:
    """The net days an operator approves: 14 or 30."""
    if days not in NET_DAYS.values():
        raise DomainError(_("Payment on terms is net 14 or net 30 days."))
    return days  # type: ignore[return-value]
