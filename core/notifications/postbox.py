"""The outbox's storage behind a protocol (docs/architecture.md, *A context's storage behind a
protocol*): who a notice is for and where they are reached, whether a chat has a document
already, and the notices a transaction writes. Its rules — which channel, a document once per
chat, cards, dedupe keys — are core.notifications.outbox's; `SqlPostbox` is the database's,
the tests' `MemoryPostbox` (tests/support/postbox.py) the one in memory."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.orm.util import identity_key

from core.accounts.member import MEMBER_COLUMNS, Member, member_of, member_of_columns
from core.accounts.tables import Account, Identity
from core.notifications.tables import OutboxMessage, OutboxStatus
from core.storage.stores import store_of
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork

_KNOWN = "notify-recipients"  # account id → (its member, its chats), this transaction
# Built once: a payment's or a deal's parties are read in every transaction that tells them
# something — as read models and their chats' columns, on the transaction's connection (an
# account's ORM load, and the session's bookkeeping of it, cost twice the read).
_IDENTITIES, _ACCOUNTS, _OUTBOX = table_of(Identity), table_of(Account), table_of(OutboxMessage)
_FEW = 4  # up to this many recipients the ids are bound one by one, an IN not re-rendered


@dataclass(frozen=True, slots=True)
class Chat:
    """Where a channel reaches a person (a Telegram chat, a Slack DM, a terminal name)."""

    channel: str
    address: str


@dataclass(slots=True)
class Notice:
    """A notice this transaction writes to the outbox: the row it will be (columns of
    `OutboxMessage`), written at commit with the transaction's others in one INSERT
    (`UnitOfWork.stage`); until then it may still be changed (`payload`, `available_at`)."""

    account_id: int | None
    channel: str
    address: str
    payload: dict[str, Any]
    urgent: bool
    dedupe_key: str | None
    available_at: datetime
    created_at: datetime
    status: str = OutboxStatus.PENDING
    attempts: int = 0


class Postbox(Protocol):
    """Where notices are written, and what they are written from."""

    async def recipients(self, account_ids: set[int]) -> None:
        """Read these accounts and their chats at once, for the notices that follow."""
        ...

    async def account_of(self, account_id: int) -> Member | None:
        """The account as it stands in this transaction (None when there is none)."""
        ...

    async def chats(self, account_id: int) -> list[Chat]:
        """The chats the account is reached in, in the order they were linked."""
        ...

    async def written(self, dedupe_key: str, *, sent: bool = False) -> bool:
        """Whether a notice with this key was written before this transaction's own (`sent`:
        and delivered)."""
        ...

    def add(self, notice: Notice) -> None:
        """Write the notice when the transaction commits."""
        ...

    def staged(self) -> list[Notice]:
        """The notices this transaction has written so far."""
        ...


def postbox_of(uow: object) -> Postbox:
    """The postbox of a unit of work (core.storage.stores.store_of)."""
    return store_of(uow, Postbox, SqlPostbox)


@functools.cache
def _recipients_of(few: int | None) -> Select[Any]:
    ids = ([bindparam(f"id{n}") for n in range(few)] if few is not None
           else bindparam("ids", expanding=True))
    return (select(*MEMBER_COLUMNS, _IDENTITIES.c.channel, _IDENTITIES.c.address)
            .outerjoin(_IDENTITIES, _IDENTITIES.c.account_id == _ACCOUNTS.c.id)
            .where(_ACCOUNTS.c.id.in_(ids)).order_by(_IDENTITIES.c.id))


_CHATS = (select(_IDENTITIES.c.channel, _IDENTITIES.c.address)
          .where(_IDENTITIES.c.account_id == bindparam("account_id")).order_by(_IDENTITIES.c.id))
# Built once: asked of each document a notice carries once per chat (a receipt, the terms).
_WRITTEN = {sent: select(OutboxMessage.id).where(
    OutboxMessage.dedupe_key == bindparam("key"),
    *((OutboxMessage.status == OutboxStatus.SENT,) if sent else ())) for sent in (False, True)}


class SqlPostbox:
    """The outbox's tables in the caller's transaction; the recipients it reads are kept for
    the rest of it (`UnitOfWork.kept`), its notices staged for one INSERT at commit."""

    __slots__ = ("_uow",)

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def _known(self) -> dict[int, tuple[Member, list[Chat]]]:
        return self._uow.kept(_KNOWN, dict[int, tuple[Member, list[Chat]]])

    async def recipients(self, account_ids: set[int]) -> None:
        known = self._known()
        wanted = account_ids - set(known)
        if not wanted:
            return
        await self._uow.settle()  # what this transaction changed of them is written first
        ids = sorted(wanted)
        statement, params = ((_recipients_of(len(ids)), {f"id{n}": i for n, i in enumerate(ids)})
                             if len(ids) <= _FEW else (_recipients_of(None), {"ids": ids}))
        width = len(MEMBER_COLUMNS)
        for row in await (await self._uow.core()).execute(statement, params):
            account_id, channel, address = row[0], row[width], row[width + 1]
            if account_id not in known:
                known[account_id] = (member_of_columns(tuple(row[:width])), [])
            if channel is not None:
                known[account_id][1].append(Chat(channel, address))

    async def account_of(self, account_id: int) -> Member | None:
        """The session's own row when it holds it whole (it may have changed in this
        transaction), else as `recipients` read it (with its chats)."""
        held = self._uow.session.identity_map.get(identity_key(Account, account_id))
        if isinstance(held, Account) and not inspect(held).expired_attributes:
            return member_of(held)
        if account_id not in self._known():
            await self.recipients({account_id})
        known = self._known().get(account_id)
        return known[0] if known is not None else None

    async def chats(self, account_id: int) -> list[Chat]:
        known = self._known().get(account_id)
        if known is not None:
            return known[1]
        rows = await (await self._uow.core()).execute(_CHATS, {"account_id": account_id})
        return [Chat(channel, address) for channel, address in rows]

    async def written(self, dedupe_key: str, *, sent: bool = False) -> bool:
        return (await self._uow.session.execute(
            _WRITTEN[sent], {"key": dedupe_key})).first() is not None

    def add(self, notice: Notice) -> None:
        self._uow.stage(_OUTBOX, notice)

    def staged(self) -> list[Notice]:
        return self._uow.staged(Notice)
