"""Account events: past-tense facts of registration, verification and linking."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.events import Event


@dataclass(frozen=True)
class AccountRegistered(Event):
    account_id: int
    channel: str


@dataclass(frozen=True)
class EmailVerified(Event):
    account_id: int


@dataclass(frozen=True)
class VerificationCodeIssued(Event):
    """A fresh code for `email` (sent by the notices; never logged, hence no repr)."""

    account_id: int
    email: str
    code: str = field(repr=False)
    ttl_minutes: int = 15


@dataclass(frozen=True)
class IdentityLinked(Event):
    account_id: int
    channel: str


@dataclass(frozen=True)
class ProfileUpdated(Event):
    account_id: int
    fields: tuple[str, ...]


@dataclass(frozen=True)
class AccountSuspended(Event):
    """An operator suspended the account (or restored it: `suspended` False)."""

    account_id: int
    suspended: bool = True
