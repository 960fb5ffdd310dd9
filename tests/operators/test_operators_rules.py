"""The operators' rules on plain values — roles, permissions, named identities: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import DomainError, InvalidField, NotAllowed
from core.operators import rules


def test_an_admin_may_do_everything_and_nobody_else_grants_roles():
    for action in rules.PERMISSIONS:
        assert rules.may({rules.ADMIN}, action)
    assert not any(rules.may({role}, "grant_roles") for role in rules.ROLES if role != rules.ADMIN)


def test_each_role_may_only_its_share():
    assert rules.may({"moderator"}, "moderate")
    assert not rules.may({"support"}, "moderate")
    assert rules.may({"support", "finance"}, "decide_disputes")
    assert not rules.may(set(), "view_dashboard")


def test_an_unknown_action_is_a_bug():
    with pytest.raises(KeyError):
        rules.may({rules.ADMIN}, "launch_rockets")


def test_every_role_has_a_label_and_admin_is_named_once():
    assert set(rules.ROLE_LABELS) == set(rules.ROLES)
    assert rules.ADMIN == "admin"


@pytest.mark.parametrize("label, parts", [
    ("terminal:root", ("terminal", "root")),
    (" slack:T1:U1 ", ("slack", "T1:U1")),
    ("telegram:", None), (":root", None), ("root", None), ("", None),
])
def test_a_named_identity_is_channel_and_user_key(label, parts):
    assert rules.split_label(label) == parts


def test_only_the_known_console_roles_are_granted():
    for role in rules.ROLES:
        rules.check_role(role)
    for wrong in ("owner", "Admin", ""):
        with pytest.raises(DomainError, match="support, moderator, finance, admin"):
            rules.check_role(wrong)


def test_an_admin_takes_any_role_away_but_their_own_admin_role():
    rules.check_revoke(1, 2, rules.ADMIN)  # another admin's
    rules.check_revoke(1, 1, "finance")  # a role of their own besides admin
    with pytest.raises(DomainError, match="your own admin role"):
        rules.check_revoke(1, 1, rules.ADMIN)


def test_neither_an_administrator_nor_oneself_is_suspended():
    rules.check_suspendable(1, 2, account_is_admin=False)
    for operator, account, admin in ((1, 1, False), (1, 2, True)):
        with pytest.raises(NotAllowed):
            rules.check_suspendable(operator, account, account_is_admin=admin)


def test_a_suspensions_reason_is_tidied_and_five_to_five_hundred_characters():
    assert rules.reason("  Spam   in\nevery  board ") == "Spam in every board"
    assert rules.reason("Fraud") == "Fraud"
    assert rules.reason("x" * 500) == "x" * 500
    for wrong in ("", "  ab  c ", "x" * 501):
        with pytest.raises(InvalidField) as refused:
            rules.reason(wrong)
        assert refused.value.field == "reason"


def test_a_sign_in_link_lasts_its_minutes_and_a_session_its_hours_until_signed_out():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert rules.link_expires(now, 15) == now + timedelta(minutes=15)
    until = rules.session_expires(now, 12)
    assert until == now + timedelta(hours=12)
    assert rules.session_open(None, until, until - timedelta(seconds=1))
    assert not rules.session_open(None, until, until)  # the moment it expires
    assert not rules.session_open(now + timedelta(hours=1), until, now + timedelta(hours=2))
