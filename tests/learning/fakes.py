"""The library's shelf in memory (`core.learning.shelf.Shelf`): its use cases run on it without a
database. `test_shelf_contract.py` holds it to what the SQL shelf does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.learning.shelf import ItemView, NewItem


@dataclass(frozen=True)
class Audited:
    actor_id: int
    action: str
    subject: str
    detail: dict[str, Any]


@dataclass
class MemoryShelf:
    """Items in a list, people in dicts, the clock standing still at `at`."""

    at: datetime = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    people: dict[int, str] = field(default_factory=dict)  # account id → display name
    admins: set[int] = field(default_factory=set)
    consultants: set[int] = field(default_factory=set)
    items: list[ItemView] = field(default_factory=list)
    audited: list[Audited] = field(default_factory=list)

    def person(self, account_id: int, name: str, *, admin: bool = False,
               consultant: bool = False) -> int:
        """Someone the shelf knows (what registration and the console do for the SQL one)."""
        self.people[account_id] = name
        if admin:
            self.admins.add(account_id)
        if consultant:
            self.consultants.add(account_id)
        return account_id

    def now(self) -> datetime:
        return self.at

    async def is_admin(self, account_id: int) -> bool:
        return account_id in self.admins

    async def is_consultant(self, account_id: int) -> bool:
        return account_id in self.consultants

    async def put(self, item: NewItem) -> ItemView:
        stored = ItemView(id=len(self.items) + 1, **asdict(item))
        self.items.append(stored)
        return stored

    async def get(self, item_id: int) -> ItemView | None:
        return next((i for i in self.items if i.id == item_id), None)

    async def newest(self, topic: str | None, limit: int) -> list[ItemView]:
        found = [i for i in self.items if topic is None or i.topic == topic]
        return sorted(found, key=lambda i: i.id, reverse=True)[:limit]

    async def counts(self) -> dict[str, int]:
        return dict(Counter(i.topic for i in self.items))

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        return {a: self.people[a] for a in set(account_ids) if a in self.people}

    async def audit(self, actor_id: int, action: str, subject: str, **detail: Any) -> None:
        self.audited.append(Audited(actor_id, action, subject, detail))
