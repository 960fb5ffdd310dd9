"""The webhooks' rules without a database: the signature Stripe's way and its check (a wrong
secret, a changed body or an old timestamp fail), which addresses are taken, the retry schedule."""

from __future__ import annotations

import hashlib
import hmac
import random
from datetime import timedelta

import pytest

from core.errors import DomainError
from core.webhooks import rules

BODY = b'{"id":"evt_1","type":"deal.paid"}'


def test_the_signature_is_an_hmac_of_the_timestamp_and_body_and_verifies_with_its_secret():
    header = rules.signature("whsec_a", 1_800_000_000, BODY)
    expected = hmac.new(b"whsec_a", b"1800000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1800000000,v1={expected}"
    assert rules.verify("whsec_a", header, BODY, now=1_800_000_100)


def test_a_wrong_secret_a_changed_body_or_an_old_timestamp_fail_verification():
    header = rules.signature("whsec_a", 1_800_000_000, BODY)
    assert not rules.verify("whsec_b", header, BODY, now=1_800_000_000)
    assert not rules.verify("whsec_a", header, BODY + b" ", now=1_800_000_000)
    assert not rules.verify("whsec_a", header, BODY, now=1_800_000_000 + 301)
    assert not rules.verify("whsec_a", "v1=00", BODY, now=1_800_000_000)


def test_https_is_required_and_plain_http_only_to_this_machine_where_allowed():
    assert rules.check_url(" https://erp.example.com/agora ", local_http=False) == \
        "https://erp.example.com/agora"
    assert rules.check_url("http://127.0.0.1:9000/h", local_http=True)
    for url, local in (("http://127.0.0.1:9000/h", False), ("http://erp.example.com/h", True),
                       ("ftp://x", True), ("https://user:pw@x.example/", False)):
        with pytest.raises(DomainError):
            rules.check_url(url, local_http=local)


def test_retries_wait_longer_each_time_with_jitter_over_about_three_days():
    total = sum(rules.RETRY_DELAYS, timedelta())
    assert timedelta(days=3) <= total <= timedelta(days=3, hours=12)
    rng = random.Random(7)
    waits = [rules.retry_after(n, rng) for n in range(1, rules.TRIES)]
    for wait, base in zip(waits, rules.RETRY_DELAYS, strict=True):
        assert base * 0.9 <= wait <= base * 1.1
    assert waits != list(rules.RETRY_DELAYS)  # jittered


def test_an_endpoint_takes_known_event_types_only():
    assert rules.check_types(["deal.paid", "deal.agreed"]) == ["deal.agreed", "deal.paid"]
    with pytest.raises(DomainError):
        rules.check_types(["deal.exploded"])
    with pytest.raises(DomainError):
        rules.check_types([])
