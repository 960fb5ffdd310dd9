"""The library's storage, behind its use cases: a repository protocol (`Shelf`) and its SQL
implementation on the unit of work (`SqlShelf`). The use cases in `core.learning.library` ask
only this, so they run as well on an in-memory shelf (the tests' `MemoryShelf`,
`tests/learning/fakes.py`) as on the database; `tests/learning/test_shelf_contract.py` runs one
set of tests against both, so the two cannot drift apart.

A shelf lives inside one unit of work: what it writes is committed, or rolled back, with the
rest of the use case (`async with uow:` … `await uow.commit()` stays the caller's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.consulting.tables import ConsultantProfile
from core.learning.on_unit_of_work import OnUnitOfWork
from core.learning.tables import LearningItem
from core.operators import audit
from core.storage.stores import store_of
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class ItemView:
    """A library item: a report or guide (a link, or a PDF in the file store) or an insight."""

    id: int
    kind: str  # link | pdf | insight (core.learning.library.KIND_MARKS)
    topic: str  # one of core.learning.library.TOPICS, in English
    title: str
    summary: str  # an insight's whole text
    url: str | None
    file_path: str | None  # in the FileStore
    file_name: str | None
    author_id: int
    created_at: datetime


@dataclass(frozen=True)
class NewItem:
    """An item to put on the shelf, checked; the shelf gives it its id."""

    kind: str
    topic: str
    title: str
    summary: str
    author_id: int
    created_at: datetime
    url: str | None = None
    file_path: str | None = None
    file_name: str | None = None


class Shelf(Protocol):
    """What the library's use cases ask of storage, and of who people are."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def is_admin(self, account_id: int) -> bool:
        """Whether the account administers Agora (who may publish reports and guides)."""
        ...

    async def is_consultant(self, account_id: int) -> bool:
        """Whether the account has a consultant's profile (who may publish insights)."""
        ...

    async def put(self, item: NewItem) -> ItemView:
        """Store a new item; it has its id from now on."""
        ...

    async def get(self, item_id: int) -> ItemView | None:
        ...

    async def newest(self, topic: str | None, limit: int) -> list[ItemView]:
        """A topic's items (every topic's, for None), the newest first: the highest id."""
        ...

    async def counts(self) -> dict[str, int]:
        """How many items each topic holds (topics without any left out)."""
        ...

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        """The display names of those accounts that exist."""
        ...

    async def audit(self, actor_id: int, action: str, subject: str, **detail: Any) -> None:
        """An entry in the operators' audit log, in the same transaction."""
        ...


def item_view(row: LearningItem) -> ItemView:
    """The read model of a library item's row."""
    return ItemView(id=row.id, kind=row.kind, topic=row.topic, title=row.title,
                    summary=row.summary, url=row.url, file_path=row.file_path,
                    file_name=row.file_name, author_id=row.author_id, created_at=row.created_at)


class SqlShelf(OnUnitOfWork):
    """The shelf in the database, inside `uow`'s transaction."""

    async def is_consultant(self, account_id: int) -> bool:
        return await self._uow.get(ConsultantProfile, account_id) is not None

    async def put(self, item: NewItem) -> ItemView:
        row = LearningItem(kind=item.kind, topic=item.topic, title=item.title,
                           summary=item.summary, url=item.url, file_path=item.file_path,
                           file_name=item.file_name, author_id=item.author_id,
                           created_at=item.created_at)
        return item_view(await self._uow.insert(row))

    async def get(self, item_id: int) -> ItemView | None:
        row = await self._uow.get(LearningItem, item_id)
        return item_view(row) if row is not None else None

    async def newest(self, topic: str | None, limit: int) -> list[ItemView]:
        query = select(LearningItem).order_by(LearningItem.id.desc()).limit(limit)
        if topic is not None:
            query = query.where(LearningItem.topic == topic)
        return [item_view(row) for row in (await self._uow.session.execute(query)).scalars()]

    async def counts(self) -> dict[str, int]:
        return dict((await self._uow.session.execute(
            select(LearningItem.topic, func.count()).group_by(LearningItem.topic))).all())

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        wanted = set(account_ids)
        if not wanted:
            return {}
        return dict((await self._uow.session.execute(select(Account.id, Account.display_name)
                                                     .where(Account.id.in_(wanted)))).all())

    async def audit(self, actor_id: int, action: str, subject: str, **detail: Any) -> None:
        await audit.record(self._uow, actor_id, action, subject, **detail)


def shelf_of(uow: UnitOfWork | Shelf) -> Shelf:
    """The library's shelf in this unit of work: the database's, or the shelf given (a test's
    in-memory one)."""
    return store_of(uow, Shelf, SqlShelf)
