"""A Mini App's initData is accepted only as Telegram signs it for this bot, and only fresh
(the signature computed independently here, as Telegram's documentation specifies)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from bots.telegram.init_data import Refused, verify

TOKEN = "123456:test-token"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def signed(token: str = TOKEN, at: datetime = NOW, **changes: str) -> str:
    fields = {"query_id": "AAHdF6IQ", "auth_date": str(int(at.timestamp())),
              "user": json.dumps({"id": 4242, "first_name": "Ann", "language_code": "lv"}),
              **changes}
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def test_telegrams_signature_names_the_person():
    person = verify(signed(), TOKEN, NOW + timedelta(minutes=5))
    assert (person.telegram_id, person.first_name, person.language_code) == (4242, "Ann", "lv")


@pytest.mark.parametrize("init_data, why", [
    (signed(token="999:another-bot"), "not signed"),
    (signed().replace("4242", "4243"), "not signed"),  # another person, same hash
    (signed() + "&user=x", "repeated"),
    (signed().split("&hash=")[0], "not signed"),
    ("", "no initData"),
    ("hash=" + "0" * 64, "not signed"),
    ("x" * 5000, "no initData"),
])
def test_forged_or_altered_init_data_is_refused(init_data, why):
    with pytest.raises(Refused, match=why):
        verify(init_data, TOKEN, NOW)


def test_stale_or_future_init_data_is_refused():
    with pytest.raises(Refused, match="stale"):
        verify(signed(at=NOW - timedelta(hours=2)), TOKEN, NOW)
    with pytest.raises(Refused, match="stale"):
        verify(signed(at=NOW + timedelta(hours=1)), TOKEN, NOW)


def test_a_signed_string_without_a_user_is_refused():
    with pytest.raises(Refused, match="without a user"):
        verify(signed(user="not json"), TOKEN, NOW)
