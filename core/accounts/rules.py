"""The accounts' rules, on plain values (no database): how long an email code and a link code
live, how many wrong email codes are allowed, what each code looks like, the roles a person
chooses, which profile changes are allowed, and whose account two linked identities join."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.accounts.intents import AccountIntent
from core.accounts.model import SELF_CHOSEN_ROLES
from core.actions import Action
from core.errors import DomainError, NotAllowed
from core.i18n import N_, _, known_language

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


def chosen_roles(roles: Iterable[str]) -> list[str]:
    """The roles a person chose for themselves, in their order, those no one may choose
    (an operator's) left out; at least one."""
    allowed = {role.value for role in SELF_CHOSEN_ROLES}
    chosen = [role for role in roles if role in allowed]
    if not chosen:
        raise DomainError(_("Choose at least one role."))
    return chosen


def check_changes(fields: Iterable[str], editable: Iterable[str], language: str | None) -> None:
    """A profile change names only `editable` fields (and the email), and a language Agora
    writes in (`language`: the one asked for, None when it is not changed)."""
    unknown = set(fields) - set(editable) - {"email"}
    if unknown:
        raise NotAllowed(_("These fields can't be edited: {fields}",
                           fields=", ".join(sorted(unknown))))
    if language is not None and known_language(language) != language:
        raise NotAllowed(_("I can't write in that language."))


def unknown_link_code() -> DomainError:
    """The refusal of a link code that is unknown, used or expired (told apart to no one)."""
    return DomainError(_("That link code is unknown or has expired; ask for a new one."),
                       actions=(Action(AccountIntent.LINK_ACCOUNT, N_("🔗 New link code")),))


def check_link_code(used_at: datetime | None, expires: datetime, now: datetime) -> None:
    """A link code works once, until it expires."""
    if used_at is not None or expired(expires, now):
        raise unknown_link_code()


@dataclass(frozen=True)
class Joining:
    """Whose account two identities share once linked, and which identity is new to it."""

    account_id: int
    adds_codes_identity: bool  # True: the code's identity joins this one's account


def joining(code_from: tuple[str, str], codes_account: int | None,
            here: tuple[str, str], this_account: int | None) -> Joining:
    """Linking the identity a code was asked from (`code_from`: channel, user key; with its
    account, if registered) and the one typing it (`here`): the registered one's account takes
    the other identity. Refused from the same identity, when both are registered (the same
    account: already linked; two accounts: no merging), and when neither is."""
    if code_from == here:
        raise DomainError(_("Send this code from your *other* account, not from this one."))
    if codes_account and this_account:
        if codes_account == this_account:
            raise DomainError(_("These two identities are already linked."))
        raise NotAllowed(_("Both identities already have an account; merging two accounts "
                           "isn't supported yet. Please contact support."))
    if this_account:
        return Joining(this_account, adds_codes_identity=True)
    if codes_account:
        return Joining(codes_account, adds_codes_identity=False)
    raise DomainError(_("Neither identity is registered yet. Register on one first."),
                      actions=(Action(AccountIntent.REGISTER, N_("📝 Register")),))
