"""The accounts' rules on plain values — code lifetimes and attempts: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.accounts import rules
from core.errors import DomainError, NotAllowed

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_code_expires_its_ttl_after_issue_and_exactly_then():
    until = rules.expires_at(NOW, 15)
    assert until == NOW + timedelta(minutes=15)
    assert not rules.expired(until, until - timedelta(microseconds=1))
    assert rules.expired(until, until)
    assert rules.expired(rules.expires_at(NOW, 0), NOW)


def test_an_email_code_keeps_its_leading_zeros():
    assert rules.email_code(42) == "000042"
    assert rules.email_code(0) == "000000"
    assert rules.email_code(999_999) == "999999"


def test_the_stored_hash_depends_on_the_account_and_is_not_the_code():
    digest = rules.code_hash(7, "123456")
    assert digest == rules.code_hash(7, "123456") and "123456" not in digest
    assert digest != rules.code_hash(8, "123456")
    assert len(digest) == 64


def test_a_code_may_be_tried_before_it_expires_and_below_the_limit():
    assert rules.check_may_try(NOW + timedelta(minutes=1), 4, 5, NOW) is None  # no error


def test_an_expired_code_is_refused_first():
    with pytest.raises(DomainError, match="expired"):
        rules.check_may_try(NOW, 0, 5, NOW)


def test_a_code_is_refused_once_the_attempts_reach_the_limit():
    with pytest.raises(DomainError, match="Too many wrong codes"):
        rules.check_may_try(NOW + timedelta(minutes=1), 5, 5, NOW)


def test_a_wrong_code_says_how_many_tries_are_left_and_none_at_the_limit():
    assert str(rules.wrong_code(1, 5)) == "That code is not right. 4 attempt(s) left."
    assert str(rules.wrong_code(4, 5)) == "That code is not right. 1 attempt(s) left."
    assert "Too many wrong codes" in str(rules.wrong_code(5, 5))
    assert "Too many wrong codes" in str(rules.wrong_code(6, 5))


def test_a_link_code_is_kept_trimmed_in_capitals():
    assert rules.link_code_key("  ab2c3d4e \n") == "AB2C3D4E"
    assert len(rules.LINK_CODE_ALPHABET) == 32
    assert not set("01OI") & set(rules.LINK_CODE_ALPHABET)


def test_a_person_chooses_their_own_roles_but_never_an_operators():
    assert rules.chosen_roles(["seller", "buyer"]) == ["seller", "buyer"]
    assert rules.chosen_roles(["consultant", "admin"]) == ["consultant"]
    for none_left in ([], ["admin"], ["moderator", "boss"]):
        with pytest.raises(DomainError, match="at least one role"):
            rules.chosen_roles(none_left)


EDITABLE = {"display_name", "city", "language"}


def test_a_profile_change_names_editable_fields_and_a_language_agora_writes():
    rules.check_changes(["display_name", "email"], EDITABLE, None)
    rules.check_changes(["language"], EDITABLE, "lv")
    with pytest.raises(NotAllowed, match="can't be edited: email_verified_at, roles"):
        rules.check_changes(["city", "roles", "email_verified_at"], EDITABLE, None)
    for language in ("xx", "pl-PL", "LV"):  # unknown, or not as kept (a bare lower-case code)
        with pytest.raises(NotAllowed, match="that language"):
            rules.check_changes(["language"], EDITABLE, language)


def test_a_link_code_works_once_until_it_expires():
    until = NOW + timedelta(minutes=10)
    rules.check_link_code(None, until, NOW)
    for used_at, now in ((NOW, NOW), (None, until)):
        with pytest.raises(DomainError, match="unknown or has expired") as refused:
            rules.check_link_code(used_at, until, now)
        assert [a.label for a in refused.value.actions] == ["🔗 New link code"]


TELEGRAM, SLACK = ("telegram", "42"), ("slack", "T1:U9")


def test_the_registered_identitys_account_takes_the_other_one():
    # The code came from a registered Telegram account, typed on an unregistered Slack identity.
    assert rules.joining(TELEGRAM, 7, SLACK, None) == rules.Joining(7, adds_codes_identity=False)
    # The code came from an unregistered Slack identity, typed on a registered Telegram account.
    assert rules.joining(SLACK, None, TELEGRAM, 7) == rules.Joining(7, adds_codes_identity=True)


def test_linking_is_refused_from_the_same_identity_twice_registered_or_neither():
    with pytest.raises(DomainError, match="other"):
        rules.joining(TELEGRAM, 7, TELEGRAM, 7)
    with pytest.raises(DomainError, match="already linked"):
        rules.joining(TELEGRAM, 7, SLACK, 7)
    with pytest.raises(NotAllowed, match="merging two accounts"):
        rules.joining(TELEGRAM, 7, SLACK, 8)
    with pytest.raises(DomainError, match="Neither identity is registered"):
        rules.joining(TELEGRAM, None, SLACK, None)
