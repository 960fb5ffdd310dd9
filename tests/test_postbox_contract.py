"""The outbox's storage behaves alike in memory and in the database: one set of tests
(`PostboxContract`) runs against the tests' `MemoryPostbox` (no database) and the `SqlPostbox`
(on SQLite and PostgreSQL), so the notices flows are seen to write in memory are those the
database's outbox gets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import update

from core.accounts.tables import Identity
from core.notifications.postbox import Chat, Notice, Postbox, SqlPostbox
from core.notifications.tables import OutboxMessage, OutboxStatus
from tests.support.accounts import person_in
from tests.support.memory_engine import MemoryTurns
from tests.support.postbox import MemoryPostbox

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def notice(account_id: int | None, address: str, text: str, key: str | None = None) -> Notice:
    return Notice(account_id, "terminal", address, {"text": text}, False, key, NOW, NOW)


class PostboxContract:
    """What every postbox does; a subclass gives `boxes`: a postbox, how people come to be,
    and how its transaction's notices land (and are delivered)."""

    async def test_a_person_is_read_with_the_chats_they_linked_in_order(self, boxes):
        ann = await boxes.person("Ann Ozola", ("telegram", "5501"))
        member = await boxes.box.account_of(ann)
        assert member is not None and (member.id, member.display_name) == (ann, "Ann Ozola")
        assert await boxes.box.chats(ann) == [Chat("terminal", "ann.ozola"),
                                              Chat("telegram", "5501")]
        await boxes.box.recipients({ann, 999_999})  # read ahead: the same answers after
        assert await boxes.box.chats(ann) == [Chat("terminal", "ann.ozola"),
                                              Chat("telegram", "5501")]

    async def test_no_one_is_read_for_an_account_that_does_not_exist(self, boxes):
        await boxes.box.recipients({999_999})
        assert await boxes.box.account_of(999_999) is None
        assert await boxes.box.chats(999_999) == []

    async def test_notices_are_staged_in_the_transaction_and_known_once_written(self, boxes):
        ann = await boxes.person("Ann")
        first = notice(ann, "ann", "Hello", key="doc:terms:1@terminal:ann")
        boxes.box.add(first)
        boxes.box.add(notice(None, "#ops", "Team"))
        assert [n.payload["text"] for n in boxes.box.staged()] == ["Hello", "Team"]
        assert not await boxes.box.written("doc:terms:1@terminal:ann")  # not before commit
        await boxes.land()
        assert await boxes.box.written("doc:terms:1@terminal:ann")
        assert not await boxes.box.written("doc:terms:2@terminal:ann")
        assert await boxes.texts() == ["Hello", "Team"]

    async def test_only_a_delivered_notice_is_written_as_sent(self, boxes):
        ann = await boxes.person("Ann")
        boxes.box.add(notice(ann, "ann", "Terms", key="doc:terms:1@terminal:ann"))
        await boxes.land()
        assert not await boxes.box.written("doc:terms:1@terminal:ann", sent=True)
        await boxes.deliver("doc:terms:1@terminal:ann")
        assert await boxes.box.written("doc:terms:1@terminal:ann", sent=True)


@dataclass
class MemoryBoxes:
    box: MemoryPostbox = field(default_factory=MemoryPostbox)
    turns: MemoryTurns = field(default_factory=MemoryTurns)

    async def person(self, name: str, *more: tuple[str, str]) -> int:
        key = name.lower().replace(" ", ".")
        member = self.turns.register("terminal", key, name)
        self.box.person(member, Chat("terminal", key), *(Chat(c, a) for c, a in more))
        return member.id

    async def land(self) -> None:
        self.box.land()

    async def deliver(self, key: str) -> None:
        for n in self.box.notices:
            if n.dedupe_key == key:
                n.status = OutboxStatus.SENT

    async def texts(self) -> list[str]:
        return [n.payload["text"] for n in self.box.notices]


class TestMemoryPostbox(PostboxContract):
    @pytest.fixture
    def boxes(self):
        return MemoryBoxes()


@dataclass
class SqlBoxes:
    """A SqlPostbox in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    box: Postbox

    async def person(self, name: str, *more: tuple[str, str]) -> int:
        account_id = await person_in(self.uow, name)
        for n, (channel, address) in enumerate(more):
            self.uow.add(Identity(account_id=account_id, channel=channel,
                                  user_key=f"{address}-{n}", address=address,
                                  created_at=self.uow.clock.now()))
        await self.uow.session.flush()
        return account_id

    async def land(self) -> None:
        await self.uow.flush()

    async def deliver(self, key: str) -> None:
        await self.uow.session.execute(update(OutboxMessage).where(
            OutboxMessage.dedupe_key == key).values(status=OutboxStatus.SENT))

    async def texts(self) -> list[str]:
        rows = await self.uow.session.execute(
            OutboxMessage.__table__.select().order_by(OutboxMessage.id))
        return [row.payload["text"] for row in rows]


class TestSqlPostbox(PostboxContract):
    @pytest.fixture
    async def boxes(self, app):
        async with app.uow() as uow:
            yield SqlBoxes(uow, SqlPostbox(uow))
