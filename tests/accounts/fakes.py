"""The accounts' book in memory (`core.accounts.book.AccountBook`), held to what `SqlAccountBook`
does by tests/accounts/test_account_book_contract.py.

Its members are the engine's: `MemoryChat` hands the book the dict its `MemoryTurns` finds
speakers in, so a member registered in memory (`chat.turns.register`) is the one whose settings
a flow changes, and the next turn reads them changed."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime

from core.accounts.book import KeptLinkCode, PendingEmailCode
from core.accounts.member import Member
from core.clock import Clock, FakeClock

# kept as tuples on the read model, as member_of does
_LISTS = ("roles", "interests", "currencies", "payment_methods")
_BLANK = {f.name: None for f in fields(Member)} | {  # the table's defaults
    "roles": (), "interests": (), "currencies": (), "payment_methods": (), "currency": "EUR",
    "language": "en", "timezone": "UTC", "weekly_picks": True, "carbon_public": False}


@dataclass
class EmailCode:
    id: int
    account_id: int
    email: str
    code_hash: str
    expires_at: datetime
    created_at: datetime
    attempts: int = 0
    consumed_at: datetime | None = None


@dataclass
class MemoryAccountBook:
    """Members by channel identity (one per identity: a linked member under each), what the
    database keeps besides in dicts and lists, the clock the chat's."""

    members: dict[tuple[str, str], Member] = field(default_factory=dict)
    clock: Clock = field(default_factory=FakeClock)
    onboarded: dict[int, datetime] = field(default_factory=dict)
    updated: dict[int, datetime] = field(default_factory=dict)
    email_codes: list[EmailCode] = field(default_factory=list)
    link_codes: dict[str, KeptLinkCode] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))  # the engine's, in a chat

    def now(self) -> datetime:
        return self.clock.now()

    def _values(self, changes: Mapping[str, object]) -> dict[str, object]:
        return {name: tuple(value or ()) if name in _LISTS else value  # type: ignore[call-overload]
                for name, value in changes.items()}

    async def open_account(self, channel: str, user_key: str, address: str,
                           values: Mapping[str, object]) -> Member:
        if (channel, user_key) in self.members:
            raise ValueError(f"{channel}:{user_key} has an account")  # the identity's unique key
        member = Member(**(_BLANK | {"id": next(self.ids)} | self._values(values)))
        self.members[channel, user_key] = member
        self.updated[member.id] = self.now()
        return member

    async def find(self, channel: str, user_key: str) -> Member | None:
        return self.members.get((channel, user_key))

    async def member(self, account_id: int) -> Member | None:
        return next((m for m in self.members.values() if m.id == account_id), None)

    async def change(self, account_id: int, changes: Mapping[str, object]) -> Member | None:
        before = await self.member(account_id)
        if before is None:
            return None
        after = replace(before, **self._values(changes))
        for key, someone in self.members.items():
            if someone.id == account_id:
                self.members[key] = after
        self.updated[account_id] = self.now()
        return after

    async def mark_onboarded(self, account_id: int) -> None:
        if await self.member(account_id) is not None:
            self.onboarded.setdefault(account_id, self.now())

    async def channels(self, account_id: int) -> list[str]:
        return sorted({channel for (channel, _key), m in self.members.items()
                       if m.id == account_id})

    async def issue_email_code(self, account_id: int, email: str, code_hash: str,
                               expires_at: datetime) -> None:
        now = self.now()
        for code in self.email_codes:
            if code.account_id == account_id and code.consumed_at is None:
                code.consumed_at = now
        self.email_codes.append(EmailCode(len(self.email_codes) + 1, account_id, email, code_hash,
                                          expires_at, now))

    async def pending_email_code(self, account_id: int) -> PendingEmailCode | None:
        waiting = [c for c in self.email_codes
                   if c.account_id == account_id and c.consumed_at is None]
        if not waiting:
            return None
        newest = waiting[-1]
        return PendingEmailCode(newest.id, newest.email, newest.code_hash, newest.attempts,
                                newest.expires_at)

    async def count_wrong_code(self, code_id: int) -> None:
        self.email_codes[code_id - 1].attempts += 1

    async def use_email_code(self, code_id: int) -> None:
        self.email_codes[code_id - 1].consumed_at = self.now()

    async def keep_link_code(self, link: KeptLinkCode) -> None:
        if link.code in self.link_codes:
            raise ValueError(f"link code {link.code} is kept already")  # the primary key
        self.link_codes[link.code] = link

    async def link_code(self, code: str) -> KeptLinkCode | None:
        return self.link_codes.get(code)

    async def claim_link_code(self, code: str) -> bool:
        link = self.link_codes.get(code)
        if link is None or link.used_at is not None:
            return False
        self.link_codes[code] = replace(link, used_at=self.now())
        return True

    async def add_identity(self, account_id: int, channel: str, user_key: str,
                           address: str) -> None:
        joined = await self.member(account_id)
        if joined is None or (channel, user_key) in self.members:
            raise ValueError(f"{channel}:{user_key} can't join account {account_id}")
        self.members[channel, user_key] = joined
