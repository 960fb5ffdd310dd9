"""The accounts' rules, on plain values (no database): how long an email code and a link code
live, how many wrong email codes are allowed, and what each code looks like."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from core.errors import DomainError
from core.i18n import _

LINK_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
LINK_CODE_LENGTH = 8
EMAIL_CODE_DIGITS = 6


def expires_at(issued_at: datetime, ttl_minutes: int) -> datetime:
    """When a code issued at `issued_at` stops working."""
    return issued_at + timedelta(minutes=ttl_minutes)


def expired(expires: datetime, now: datetime) -> bool:
    """A code is expired from the moment it expires (not after)."""
    return expires <= now


def email_code(number: int) -> str:
    """A number below a million as the six digits of an email code (leading zeros kept)."""
    return f"{number:0{EMAIL_CODE_DIGITS}d}"


def code_hash(account_id: int, code: str) -> str:
    """What is stored of an email code: never the code itself."""
    return hmac.new(str(account_id).encode(), code.encode(), hashlib.sha256).hexdigest()


def check_may_try(expires: datetime, attempts: int, limit: int, now: datetime) -> None:
    """Before a code is compared: refused once it expired or the wrong tries reached `limit`."""
    if expired(expires, now):
        raise DomainError(_("That code has expired. Tap “Send a new code”."))
    if attempts >= limit:
        raise DomainError(_("Too many wrong codes. Tap “Send a new code”."))


def wrong_code(attempts: int, limit: int) -> DomainError:
    """The refusal after one more wrong code (`attempts` counts it): tries left, or none."""
    left = limit - attempts
    if left <= 0:
        return DomainError(_("Too many wrong codes. Tap “Send a new code”."))
    return DomainError(_("That code is not right. {left} attempt(s) left.", left=left))


def link_code_key(typed: str) -> str:
    """A typed link code as it is kept: no spaces around it, capitals."""
    return typed.strip().upper()
