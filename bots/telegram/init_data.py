"""Telegram Mini App sign-in: the `initData` string Telegram hands a Mini App, checked as
Telegram specifies (core.telegram.org/bots/webapps, "Validating data received via the Mini
App"): the data-check-string is every field but `hash`, as `key=value` lines sorted by key; the
secret is HMAC-SHA256 of the bot token keyed by "WebAppData"; the hash is HMAC-SHA256 of the
data-check-string with that secret. A Mini App request carries it on every call, so a forged,
altered or stale one is refused before anything else is read (bots.web.mini_app.auth)."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

MAX_AGE = timedelta(hours=1)  # a Mini App opened longer ago than this must be reopened
MAX_LENGTH = 4096


class Refused(Exception):
    """initData that is not Telegram's, or no longer fresh; the message says which."""


@dataclass(frozen=True)
class MiniAppUser:
    telegram_id: int
    first_name: str
    language_code: str | None
    signed_at: datetime


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def signature(fields: dict[str, str], bot_token: str) -> str:
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def verify(init_data: str, bot_token: str, now: datetime, max_age: timedelta = MAX_AGE
           ) -> MiniAppUser:
    """The person `init_data` names, if Telegram signed it for this bot within `max_age`."""
    if not init_data or len(init_data) > MAX_LENGTH:
        raise Refused("no initData")
    pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=False)
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise Refused("a field is repeated")
    given = fields.get("hash", "")
    if not hmac.compare_digest(given.encode(), signature(fields, bot_token).encode()):
        raise Refused("not signed by Telegram for this bot")
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
        user: Any = json.loads(fields["user"])
        person = MiniAppUser(int(user["id"]), str(user.get("first_name", ""))[:64],
                             user.get("language_code"), signed_at)
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise Refused("signed, but without a user") from exc
    if not timedelta(seconds=-60) <= now - signed_at <= max_age:
        raise Refused("stale: open the Mini App again")
    return person
