"""The outbox in memory: `MemoryPostbox`, the tests' `core.notifications.postbox.Postbox`, held
to `SqlPostbox` by tests/test_postbox_contract.py.

Every `MemoryChat` holds one (tests/support/memory_engine.py) over its registered people, so a
flow's notices land here instead of in the database, and tests/support/outbox.py's `told` reads
them from the chat as it reads the app's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.accounts.member import Member
from core.notifications.postbox import Chat, Notice
from core.notifications.tables import OutboxStatus

if TYPE_CHECKING:
    from tests.support.memory_engine import MemoryTurns


@dataclass
class MemoryPostbox:
    """People by id with their chats, and the notices written for them: those of the open
    transaction (`pending`) land in `notices` when it commits and vanish when it rolls back
    (the unit of work in memory calls `land` and `drop`)."""

    turns: MemoryTurns | None = None  # a chat's registered people, reached where they wrote
    people: dict[int, Member] = field(default_factory=dict)
    chats_of: dict[int, list[Chat]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    pending: list[Notice] = field(default_factory=list)

    def person(self, member: Member, *chats: Chat) -> Member:
        """Someone known by id, reached in `chats` (first linked first)."""
        self.people[member.id] = member
        self.chats_of[member.id] = list(chats)
        return member

    async def recipients(self, account_ids: set[int]) -> None:
        """Nothing to read ahead: everyone is at hand."""

    async def account_of(self, account_id: int) -> Member | None:
        if account_id in self.people:
            return self.people[account_id]
        return next((member for member in self._registered() if member.id == account_id), None)

    async def chats(self, account_id: int) -> list[Chat]:
        if account_id in self.people:
            return list(self.chats_of.get(account_id, []))
        if self.turns is None:
            return []
        return [Chat(channel, user_key) for (channel, user_key), member
                in self.turns.members.items() if member.id == account_id]

    async def written(self, dedupe_key: str, *, sent: bool = False) -> bool:
        return any(notice.dedupe_key == dedupe_key
                   and (not sent or notice.status == OutboxStatus.SENT)
                   for notice in self.notices)

    def add(self, notice: Notice) -> None:
        self.pending.append(notice)

    def staged(self) -> list[Notice]:
        return list(self.pending)

    def land(self) -> None:
        """The open transaction commits: its notices are written, a dedupe key once (the
        outbox's unique key refuses a second, and the commit with it)."""
        keys = [n.dedupe_key for n in self.notices + self.pending if n.dedupe_key is not None]
        if len(keys) != len(set(keys)):
            self.pending = []
            raise RuntimeError("a notice's dedupe key was written twice")
        self.notices.extend(self.pending)
        self.pending = []

    def drop(self) -> None:
        """The open transaction rolls back: its notices with it."""
        self.pending = []

    def _registered(self) -> list[Member]:
        return list(self.turns.members.values()) if self.turns is not None else []
