"""The accounts' rules on plain values — code lifetimes and attempts: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.accounts import rules
from core.errors import DomainError

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
