"""A company's rules on plain values: what each role may do, when a purchase needs an approver,
and what a name, a set of roles and a limit must be."""

from __future__ import annotations

import pytest

from core.companies import rules
from core.errors import DomainError
from core.money.model import Money


def test_each_role_may_do_its_own_part_and_an_admin_everything():
    assert rules.may(["buyer"], "buy") and not rules.may(["buyer"], "approve")
    assert rules.may(["approver"], "approve") and not rules.may(["approver"], "see_all")
    assert rules.may(["finance"], "see_all") and rules.may(["finance"], "billing")
    assert not rules.may(["finance"], "buy") and not rules.may(["finance"], "manage")
    assert all(rules.may(["admin"], what) for what in rules.MAY)


def test_a_purchase_needs_approval_only_above_a_limit_in_the_limits_currency():
    limit = Money.parse("10000", "EUR")
    assert not rules.needs_approval(None, Money.parse("1000000", "EUR"))  # no limit
    assert not rules.needs_approval(limit, Money.parse("10000", "EUR"))  # at the limit
    assert rules.needs_approval(limit, Money.parse("10000.01", "EUR"))
    assert rules.needs_approval(limit, Money.parse("10", "SEK"))  # no exchange rate assumed
    assert rules.needs_approval(Money.parse("0", "EUR"), Money.parse("0.01", "EUR"))


def test_roles_names_and_limits_are_checked():
    assert rules.checked_roles(["admin", "buyer"]) == ["buyer", "admin"]
    for wrong in ([], ["owner"], ["buyer", "boss"]):
        with pytest.raises(DomainError):
            rules.checked_roles(wrong)
    assert rules.checked_name("  Baltic   Heat  AS ") == "Baltic Heat AS"
    for wrong in ("", "x", "y" * 121):
        with pytest.raises(DomainError):
            rules.checked_name(wrong)
    with pytest.raises(DomainError):
        rules.checked_limit(Money(-1, "EUR"))
    assert rules.checked_limit(None) is None


def test_an_invitation_code_uses_unmistakable_characters():
    code = rules.invite_code(range(40))
    assert len(code) == rules.INVITE_LENGTH
    assert not set(code) & set("01IO")
