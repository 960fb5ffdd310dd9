"""The accounts' storage behind a protocol (`AccountBook`; docs/architecture.md, *A context's
storage behind a protocol*): a member's read model by identity or id, their settings changed,
the channels they chat on, email codes issued and link codes kept, claimed and redeemed.

The use cases (core.accounts.service, core.accounts.member) keep the rules — which fields may
change, what a code's expiry means, whose account two identities join — and ask the book only
to read and write; so a settings change runs as well on the tests' in-memory book
(tests/accounts/fakes.py) as on the database (`SqlAccountBook`), and
tests/accounts/test_account_book_contract.py holds the two to the same behaviour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import bindparam, select, update

from core.accounts.read_model import Member, member_of
from core.accounts.tables import Account, EmailVerification, Identity, LinkCode
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class KeptLinkCode:
    """A link code as kept: who asked for it (and their account, when registered), until when
    it works and whether it was used."""

    code: str
    account_id: int | None
    channel: str
    user_key: str
    address: str
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class PendingEmailCode:
    """The member's newest email code still waiting to be typed."""

    id: int
    email: str
    code_hash: str
    attempts: int
    expires_at: datetime


class AccountBook(Protocol):
    """The members' accounts, inside the caller's unit of work."""

    async def open_account(self, channel: str, user_key: str, address: str,
                           values: Mapping[str, object]) -> Member:
        """A new account with the member's fields in `values` (the rest as the table's
        defaults) and its first channel identity."""
        ...

    async def find(self, channel: str, user_key: str) -> Member | None:
        """The member behind a channel identity, if it has registered."""
        ...

    async def member(self, account_id: int) -> Member | None:
        """The member as they stand now (after a change made in this transaction)."""
        ...

    async def change(self, account_id: int, changes: Mapping[str, object]) -> Member | None:
        """Set the member's fields named in `changes` (checked by the caller) and when they
        changed; the member they leave (None: no such account)."""
        ...

    async def mark_onboarded(self, account_id: int) -> None:
        """Note the first time the member finished onboarding (later times change nothing)."""
        ...

    async def channels(self, account_id: int) -> list[str]:
        """The channels the member chats on, each once, sorted."""
        ...

    async def issue_email_code(self, account_id: int, email: str, code_hash: str,
                               expires_at: datetime) -> None:
        """Keep a new email code for `email`; the member's earlier codes stop working."""
        ...

    async def pending_email_code(self, account_id: int) -> PendingEmailCode | None:
        """The member's newest email code not used up, if any."""
        ...

    async def count_wrong_code(self, code_id: int) -> None:
        """A wrong guess at the code: one attempt more."""
        ...

    async def use_email_code(self, code_id: int) -> None:
        """The code was typed right: it works no more."""
        ...

    async def keep_link_code(self, link: KeptLinkCode) -> None:
        """Keep a newly issued link code."""
        ...

    async def link_code(self, code: str) -> KeptLinkCode | None:
        """The kept link code `code` (its key, as typed codes are normalised)."""
        ...

    async def claim_link_code(self, code: str) -> bool:
        """Mark the code used, if no one has: True only for the one who did."""
        ...

    async def add_identity(self, account_id: int, channel: str, user_key: str,
                           address: str) -> None:
        """Join a channel identity to the member's account."""
        ...


# Asked on every update: built once, run with parameters.
_BY_IDENTITY = (select(Account).join(Identity, Identity.account_id == Account.id)
                .where(Identity.channel == bindparam("channel"),
                       Identity.user_key == bindparam("user_key")))


async def find_account(uow: UnitOfWork, channel: str, user_key: str) -> Account | None:
    """The account's row behind a channel identity, if it has registered."""
    return (await uow.session.execute(_BY_IDENTITY, {"channel": channel, "user_key": user_key})
            ).scalar_one_or_none()


class SqlAccountBook(SqlStore):
    """The accounts' tables, read and written inside the caller's transaction."""

    async def open_account(self, channel: str, user_key: str, address: str,
                           values: Mapping[str, object]) -> Member:
        now = self.now()
        account = Account(**values, created_at=now, updated_at=now)
        await self._uow.insert(account)
        self._uow.add(Identity(account_id=account.id, channel=channel, user_key=user_key,
                               address=address, created_at=now))
        await self._uow.session.flush()
        return member_of(account)

    async def find(self, channel: str, user_key: str) -> Member | None:
        account = await find_account(self._uow, channel, user_key)
        return member_of(account) if account is not None else None

    async def member(self, account_id: int) -> Member | None:
        account = await self._uow.get(Account, account_id)
        return member_of(account) if account is not None else None

    async def change(self, account_id: int, changes: Mapping[str, object]) -> Member | None:
        account = await self._uow.get(Account, account_id)
        if account is None:
            return None
        for name, value in changes.items():
            setattr(account, name, value)
        account.updated_at = self.now()
        return member_of(account)

    async def mark_onboarded(self, account_id: int) -> None:
        account = await self._uow.get(Account, account_id)
        if account is not None and account.onboarded_at is None:
            account.onboarded_at = self.now()

    async def channels(self, account_id: int) -> list[str]:
        stmt = select(Identity.channel).where(Identity.account_id == account_id).distinct()
        return sorted((await self._uow.session.execute(stmt)).scalars())

    async def issue_email_code(self, account_id: int, email: str, code_hash: str,
                               expires_at: datetime) -> None:
        now = self.now()
        await self._uow.session.execute(
            update(EmailVerification)
            .where(EmailVerification.account_id == account_id,
                   EmailVerification.consumed_at.is_(None))
            .values(consumed_at=now))
        self._uow.add(EmailVerification(account_id=account_id, email=email, code_hash=code_hash,
                                        attempts=0, expires_at=expires_at, created_at=now))

    async def pending_email_code(self, account_id: int) -> PendingEmailCode | None:
        stmt = (select(EmailVerification)
                .where(EmailVerification.account_id == account_id,
                       EmailVerification.consumed_at.is_(None))
                .order_by(EmailVerification.id.desc()).limit(1))
        row = (await self._uow.session.execute(stmt)).scalar_one_or_none()
        if row is None:
            return None
        return PendingEmailCode(id=row.id, email=row.email, code_hash=row.code_hash,
                                attempts=row.attempts, expires_at=row.expires_at)

    async def count_wrong_code(self, code_id: int) -> None:
        await self._uow.session.execute(
            update(EmailVerification).where(EmailVerification.id == code_id)
            .values(attempts=EmailVerification.attempts + 1))

    async def use_email_code(self, code_id: int) -> None:
        await self._uow.session.execute(
            update(EmailVerification).where(EmailVerification.id == code_id)
            .values(consumed_at=self.now()))

    async def keep_link_code(self, link: KeptLinkCode) -> None:
        self._uow.add(LinkCode(code=link.code, account_id=link.account_id, channel=link.channel,
                               user_key=link.user_key, address=link.address,
                               expires_at=link.expires_at, used_at=link.used_at))
        await self._uow.session.flush()

    async def link_code(self, code: str) -> KeptLinkCode | None:
        row = await self._uow.get(LinkCode, code)
        if row is None:
            return None
        return KeptLinkCode(code=row.code, account_id=row.account_id, channel=row.channel,
                            user_key=row.user_key, address=row.address,
                            expires_at=row.expires_at, used_at=row.used_at)

    async def claim_link_code(self, code: str) -> bool:
        claimed = await self._uow.session.execute(
            update(LinkCode).where(LinkCode.code == code, LinkCode.used_at.is_(None))
            .values(used_at=self.now()))
        return claimed.rowcount == 1  # type: ignore[attr-defined]

    async def add_identity(self, account_id: int, channel: str, user_key: str,
                           address: str) -> None:
        self._uow.add(Identity(account_id=account_id, channel=channel, user_key=user_key,
                               address=address, created_at=self.now()))
        await self._uow.session.flush()


def book_of(uow: UnitOfWork | AccountBook) -> AccountBook:
    """The accounts' book in this unit of work: the database's, or the one a test gave
    (core.storage.stores.store_of)."""
    return store_of(uow, AccountBook, SqlAccountBook)
