"""Account events: past-tense facts of registration, verification and linking."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class AccountRegistered(Event):
    account_id: int
    channel: str


@dataclass(frozen=True)
class EmailVerified(Event):
    account_id: int


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
