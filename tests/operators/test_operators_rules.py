"""The operators' rules on plain values — roles, permissions, named identities: no database."""

from __future__ import annotations

import pytest

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
