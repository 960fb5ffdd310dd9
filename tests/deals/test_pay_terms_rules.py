"""Payment on terms, on plain values: the net days of each method, the invoice's due date, the
reminders each on its day and never twice, and what a company may not buy on terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.deals import pay_terms, rules
from core.errors import DomainError
from core.money.model import Money

DUE = date(2027, 1, 30)


def eur(amount: str) -> Money:
    return Money.parse(amount, "EUR")


def test_the_methods_on_terms_have_their_net_days_and_the_invoice_is_due_that_many_days_on():
    assert (pay_terms.net_days("net14"), pay_terms.net_days("net30")) == (14, 30)
    assert pay_terms.net_days("escrow") is None and pay_terms.net_days(None) is None
    assert pay_terms.due_on(date(2026, 12, 31), 30) == DUE
    assert set(pay_terms.METHODS) <= set(rules.PAYMENT_METHODS)


@pytest.mark.parametrize(("today", "sent", "expected"), [
    (date(2027, 1, 26), 0, None),  # four days before: nothing yet
    (date(2027, 1, 27), 0, pay_terms.BEFORE),  # three days before
    (date(2027, 1, 30), pay_terms.BEFORE, None),  # due today: already reminded
    (date(2027, 1, 31), pay_terms.BEFORE, pay_terms.OVERDUE),  # a day late
    (date(2027, 2, 6), pay_terms.OVERDUE, pay_terms.TO_OPERATORS),  # a week late
    (date(2027, 2, 6), pay_terms.TO_OPERATORS, None),  # all sent
    (date(2027, 2, 1), 0, pay_terms.OVERDUE),  # a missed day: only the latest, not "coming due"
])
def test_each_reminder_goes_on_its_day_once_and_a_missed_day_sends_only_the_latest(
        today, sent, expected):
    assert pay_terms.reminder_due(today, DUE, sent) == expected


def test_a_company_buys_on_terms_only_as_approved_and_within_its_limit():
    with pytest.raises(DomainError, match="only for companies Agora approved"):
        pay_terms.checked_credit(30, eur("100"), None, None, eur("0"), "Baltic Heat AS")
    with pytest.raises(DomainError, match="up to 14 days"):
        pay_terms.checked_credit(30, eur("100"), 14, eur("50000"), eur("0"), "Baltic Heat AS")
    with pytest.raises(DomainError, match="is in SEK"):
        pay_terms.checked_credit(14, eur("100"), 30, Money.parse("9000", "SEK"),
                                 Money(0, "SEK"), "Baltic Heat AS")
    with pytest.raises(DomainError) as refused:
        pay_terms.checked_credit(30, eur("4000"), 30, eur("50000"), eur("46500"), "Baltic Heat AS")
    assert "50,500.00" in str(refused.value) and "50,000.00" in str(refused.value)
    pay_terms.checked_credit(30, eur("3500"), 30, eur("50000"), eur("46500"), "Baltic Heat AS")
    pay_terms.checked_credit(14, eur("100"), 30, eur("50000"), eur("0"), "Baltic Heat AS")


def test_operators_approve_net_14_or_30_and_a_contract_is_never_on_terms():
    assert pay_terms.checked_days(14) == 14 and pay_terms.checked_days(30) == 30
    for wrong in (None, 0, 21, 60):
        with pytest.raises(DomainError, match="net 14 or net 30"):
            pay_terms.checked_days(wrong)
    with pytest.raises(DomainError, match="single delivery"):
        rules.checked_terms("EUR", None, 500_000, Decimal("20"), eur("200"), "net30", None, None,
                            None, 3, "month")
