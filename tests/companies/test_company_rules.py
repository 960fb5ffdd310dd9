"""A company's rules on plain values: what each role may do, when a purchase needs an approver,
who decides on and sees a held purchase, and what a name, a set of roles and a limit must
be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.companies import rules
from core.errors import Conflict, DomainError, NotAllowed
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


NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def test_an_invitation_lets_someone_in_until_it_expires_and_only_once():
    expires = NOW + rules.INVITATION_LIFETIME
    assert rules.invitation_open(None, expires, NOW)
    assert rules.invitation_open(None, expires, expires - timedelta(seconds=1))
    assert not rules.invitation_open(None, expires, expires)  # the moment it expires
    assert not rules.invitation_open(NOW - timedelta(hours=1), expires, NOW)  # used


def test_anyone_may_leave_but_only_an_admin_removes_someone_else():
    rules.check_may_remove(7, 7, ["buyer"], "Baltic Heat")  # leaving
    rules.check_may_remove(7, 8, ["admin"], "Baltic Heat")
    for roles in (["buyer"], ["approver", "finance"], []):
        with pytest.raises(NotAllowed, match="Baltic Heat"):
            rules.check_may_remove(7, 8, roles, "Baltic Heat")


def test_the_last_admin_can_neither_go_nor_lose_the_role():
    assert rules.loses_admin(["buyer", "admin"], ["buyer"])
    assert rules.loses_admin(["admin"], [])  # removed from the company
    assert not rules.loses_admin(["admin"], ["admin", "finance"])
    assert not rules.loses_admin(["buyer"], [])
    rules.check_keeps_an_admin(2)
    for admins in (1, 0):
        with pytest.raises(Conflict):
            rules.check_keeps_an_admin(admins)


def test_only_people_of_the_companys_slack_workspace_may_ask_to_join():
    assert rules.from_workspace("T01", ["T09:U1", "T01:U2"])
    assert not rules.from_workspace("T01", ["T09:U1"])
    assert not rules.from_workspace("T01", [])
    assert not rules.from_workspace("T01", ["T011:U1"])  # a team whose id only begins alike
    assert not rules.from_workspace(None, ["T01:U1"])  # a company founded outside Slack
    assert not rules.from_workspace("", [":U1"])


def test_a_request_to_join_waits_until_it_is_answered_and_may_be_asked_again():
    assert rules.awaits_answer(["asked_to_join"])
    assert not rules.awaits_answer([])
    assert not rules.awaits_answer(["asked_to_join", "refused"])
    assert not rules.awaits_answer(["asked_to_join", "joined"])
    assert rules.awaits_answer(["asked_to_join", "refused", "asked_to_join"])


def test_any_colleague_gives_the_billing_details_once_finance_or_an_admin_changes_them():
    rules.check_may_bill(False, ["buyer"], "Baltic Heat")  # the first time: anyone
    for roles in (["finance"], ["admin"], ["buyer", "finance"]):
        rules.check_may_bill(True, roles, "Baltic Heat")
    for roles in (["buyer"], ["approver"], []):
        with pytest.raises(NotAllowed, match="Only finance or an admin of Baltic Heat"):
            rules.check_may_bill(True, roles, "Baltic Heat")


def test_a_held_purchase_is_decided_by_an_approver_of_the_company_never_its_buyer():
    with pytest.raises(NotAllowed, match="Someone else"):
        rules.check_may_decide(7, 7, ["admin"])  # not her own, even as admin
    for roles in (None, ["buyer"], ["finance"]):
        with pytest.raises(NotAllowed, match="Only an approver"):
            rules.check_may_decide(8, 7, roles)
    rules.check_may_decide(8, 7, ["approver"])
    rules.check_may_decide(8, 7, ["buyer", "admin"])


def test_a_held_purchase_is_seen_by_its_buyer_and_the_companys_approvers_and_finance():
    assert rules.may_see_purchase(7, 7, None, 1, [])  # who asked, whatever her seat
    assert not rules.may_see_purchase(None, 7, None, 1, ["admin"])
    assert [rules.may_see_purchase(8, 7, 1, 1, [role]) for role in rules.ROLES] == [
        False, True, True, True]
    assert not rules.may_see_purchase(8, 7, 2, 1, ["admin"])  # another company's admin


def test_a_purchase_above_the_limit_needs_someone_else_who_approves():
    with pytest.raises(NotAllowed, match="no one else in Baltic Heat AS"):
        rules.check_has_approvers([], Money.parse("100", "EUR"), "Baltic Heat AS")
    rules.check_has_approvers([3], Money.parse("100", "EUR"), "Baltic Heat AS")
