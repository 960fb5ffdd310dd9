"""Domain events: past tense facts that a use case collected and hands on after commit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    pass


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
