"""API keys' rules on plain values: a key is written and read back into its lookup part and
its secret, only the secret's hash is kept and compared, scopes are checked, and a key's last
use is written at most once a minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.companies import api_key_rules as rules
from core.errors import DomainError

SECRET = "s3cr3t-Value_that-is-long-enough"


def test_a_key_is_read_back_into_its_lookup_and_secret_and_nothing_else_is():
    written = rules.written("0123456789ab", SECRET)
    assert written == f"agora_0123456789ab_{SECRET}"
    assert rules.read_token(f"  {written} ") == rules.Token("0123456789ab", SECRET)
    for wrong in ("", "agora_0123456789ab", f"agora_0123456789AB_{SECRET}",
                  f"other_0123456789ab_{SECRET}", "agora_0123456789ab_short",
                  f"agora_0123456789ab_{SECRET} extra"):
        assert rules.read_token(wrong) is None, wrong


def test_only_the_secrets_hash_is_kept_and_it_is_compared_whole():
    kept = rules.digest(SECRET)
    assert SECRET not in kept and len(kept) == 64
    assert rules.matches(SECRET, kept)
    assert not rules.matches(SECRET[:-1] + "X", kept)


def test_scopes_are_known_ones_in_their_usual_order():
    assert rules.checked_scopes(["documents", "read"]) == ["read", "documents"]
    for wrong in ([], ["read", "admin"]):
        with pytest.raises(DomainError):
            rules.checked_scopes(wrong)


def test_a_key_is_named_after_its_system_in_a_few_words():
    assert rules.checked_name("  ERP   robot ") == "ERP robot"
    for wrong in ("", "   ", "x" * 61):
        with pytest.raises(DomainError):
            rules.checked_name(wrong)


def test_a_keys_last_use_is_written_at_most_once_a_minute():
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert rules.stale(None, now)
    assert not rules.stale(now - timedelta(seconds=59), now)
    assert rules.stale(now - timedelta(minutes=1), now)
