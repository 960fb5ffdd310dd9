"""What one turn of the engine asks of storage (`TurnStore`), and its SQL implementation on
the turn's unit of work (`SqlTurns`).

A turn records the update (each is handled once, and one person's updates one at a time), loads
the conversation, finds who is speaking and their roles, and writes the conversation back. The
engine asks only this, so its own rules — forms, navigation, typed flow state, refusals — run as
well on an in-memory store (the tests' `MemoryTurns`, `tests/support/memory_engine.py`) as on
the database; `tests/test_turn_store_contract.py` holds the two to the same behaviour. What a
step does besides is the flow's, through `ctx.uow` and core's services."""

from __future__ import annotations

from typing import Protocol

from core import conversation_store
from core.accounts.member import Member, find_member
from core.conversation_store import ChatState
from core.operators.roles import chat_roles
from core.storage.uow import UnitOfWork


class TurnStore(Protocol):
    """Storage as one turn sees it, inside the turn's transaction."""

    async def begin(self, channel: str, user_key: str, event_id: str | None) -> bool:
        """Take the person's turn and record the update; False when it was handled before."""
        ...

    async def orphaned(self, channel: str, event_id: str) -> bool:
        """An update handled before whose answer its worker died owing (True once)."""
        ...

    async def load(self, channel: str, user_key: str, chat_id: str, *,
                   lock: bool = True) -> ChatState:
        """This chat's conversation (a new one on the first message)."""
        ...

    async def save(self, conv: ChatState) -> None:
        """Write the conversation back at the end of the turn."""
        ...

    async def member(self, channel: str, user_key: str) -> Member | None:
        """The registered member behind a channel identity."""
        ...

    async def roles(self, member: Member) -> set[str]:
        """What the member's menus show: their roles, admin, their company roles."""
        ...


class SqlTurns:
    """`TurnStore` in the database, on the turn's unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def begin(self, channel: str, user_key: str, event_id: str | None) -> bool:
        return await conversation_store.begin_update(self._uow, channel, user_key, event_id)

    async def orphaned(self, channel: str, event_id: str) -> bool:
        return await conversation_store.orphaned(self._uow, channel, event_id)

    async def load(self, channel: str, user_key: str, chat_id: str, *,
                   lock: bool = True) -> ChatState:
        return await conversation_store.load(self._uow, channel, user_key, chat_id, lock=lock)

    async def save(self, conv: ChatState) -> None:
        await conversation_store.save(self._uow, conv)

    async def member(self, channel: str, user_key: str) -> Member | None:
        return await find_member(self._uow, channel, user_key)

    async def roles(self, member: Member) -> set[str]:
        return await chat_roles(self._uow, member)


class Marks(Protocol):
    """Where updates are marked answered once their channel has sent the answer
    (`core.conversation_store.AnsweredMarks` in the database)."""

    async def mark(self, source: str, external_id: str) -> None:
        ...
