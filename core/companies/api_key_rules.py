"""A company's API keys, on plain values (no database): the scopes a key may hold, what each
API use needs, how a key is written and read back, and how its secret is kept — only a hash,
compared in constant time — so a copy of the database lets nobody in."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.errors import DomainError
from core.i18n import N_, _

READ, TRADE, DOCUMENTS = "read", "trade", "documents"
SCOPES = (READ, TRADE, DOCUMENTS)
SCOPE_LABELS = {READ: N_("Read: the market, the company's deals and offers"),
                TRADE: N_("Trade: offers and bids"),
                DOCUMENTS: N_("Documents: invoices, e-invoices and the statement")}

PREFIX = "agora"
LOOKUP_BYTES = 6  # 12 hex characters: found by an index, never secret
SECRET_BYTES = 32  # 256 bits: no pepper or slow hash needed against guessing
NAME_LIMIT = 60
# `last_used_at` is written at most this often, so reading the API is not a write per request.
LAST_USED_EVERY = timedelta(minutes=1)
_SHAPE = re.compile(rf"^{PREFIX}_([0-9a-f]{{{LOOKUP_BYTES * 2}}})_([A-Za-z0-9_-]{{20,64}})$")


@dataclass(frozen=True)
class Token:
    """A key as its holder types it, read back into its lookup part and its secret."""

    lookup: str
    secret: str


def written(lookup: str, secret: str) -> str:
    """The key shown once at creation: `agora_<lookup>_<secret>`."""
    return f"{PREFIX}_{lookup}_{secret}"


def read_token(text: str) -> Token | None:
    """The parts of a presented key; None for anything not shaped like one."""
    found = _SHAPE.match(text.strip())
    return Token(found.group(1), found.group(2)) if found else None


def digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, stored: str) -> bool:
    """Whether a presented secret is the one stored, compared in constant time."""
    return hmac.compare_digest(digest(secret), stored)


def checked_scopes(scopes: Iterable[str]) -> list[str]:
    """Scopes in their usual order; at least one, each known."""
    chosen = [scope for scope in SCOPES if scope in set(scopes)]
    if not chosen or set(scopes) - set(SCOPES):
        raise DomainError(_("Choose at least one scope: read, trade or documents."))
    return chosen


def checked_name(name: str) -> str:
    """What the admin calls the key (the system that uses it): 1 to 60 characters."""
    tidy = " ".join((name or "").split())
    if not tidy:
        raise DomainError(_("Please name the key after the system that uses it."))
    if len(tidy) > NAME_LIMIT:
        raise DomainError(_("The name is too long ({limit} characters at most).",
                            limit=NAME_LIMIT))
    return tidy


def stale(last_used: datetime | None, now: datetime) -> bool:
    """Whether the key's last use should be written again."""
    return last_used is None or now - last_used >= LAST_USED_EVERY
