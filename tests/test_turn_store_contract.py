"""What a turn of the engine asks of storage behaves alike in memory and in the database: one
set of tests (`TurnsContract`) runs against the tests' `MemoryTurns` (no database) and
`SqlTurns` (on SQLite and PostgreSQL), so what the engine's rules are tested on in memory
(tests/test_form_rules.py, tests/test_flow_state.py) holds on the real store."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from conversations.turn_store import SqlTurns, TurnStore
from core.operators import named
from tests.support.accounts import registered
from tests.support.memory_engine import MemoryChat

Turn = Callable[[], Any]  # an async context: a store inside one transaction, and its uow


class TurnsContract:
    """What every turn store does; a subclass gives `turns`: `turn()` (a store in a new
    transaction, with `.commit()`) and `person(...)` (a registered member)."""

    async def test_the_first_message_opens_an_empty_conversation_kept_by_its_id(self, turns):
        async with turns.turn() as (store, uow):
            conv = await store.load("terminal", "tess", "tess")
            assert (conv.flow, conv.state, conv.data, conv.history, conv.version) == (
                None, None, {}, [], 0)
            again = await store.load("terminal", "tess", "tess")
            assert again.id == conv.id
            other = await store.load("terminal", "tess", "group-7")  # another chat of hers
            assert other.id != conv.id
            await uow.commit()

    async def test_a_saved_conversation_is_loaded_as_it_was_written(self, turns):
        async with turns.turn() as (store, uow):
            conv = await store.load("terminal", "tess", "tess")
            await store.save(dataclasses.replace(
                conv, flow="sell", state="price", data={"flow": {"price": "230"}},
                history=["quantity"], token="abc123", version=3))
            await uow.commit()
        async with turns.turn() as (store, uow):
            kept = await store.load("terminal", "tess", "tess", lock=False)
            assert (kept.id, kept.flow, kept.state, kept.data, kept.history, kept.token,
                    kept.version) == (conv.id, "sell", "price", {"flow": {"price": "230"}},
                                      ["quantity"], "abc123", 3)

    async def test_a_conversation_saved_in_a_turn_that_failed_is_not_kept(self, turns):
        async with turns.turn() as (store, uow):
            conv = await store.load("terminal", "tess", "tess")
            await uow.commit()
        async with turns.turn() as (store, uow):
            await store.save(dataclasses.replace(conv, flow="sell", version=1))
            await uow.rollback()
        async with turns.turn() as (store, uow):
            assert (await store.load("terminal", "tess", "tess")).flow is None

    async def test_an_update_is_taken_once_and_one_without_an_id_every_time(self, turns):
        async with turns.turn() as (store, uow):
            assert await store.begin("terminal", "tess", "e1")
            await uow.commit()
        async with turns.turn() as (store, uow):
            assert not await store.begin("terminal", "tess", "e1")
            assert await store.begin("slack", "tess", "e1")  # ids are per channel
            assert await store.begin("terminal", "tess", None)
            assert not await store.orphaned("terminal", "e1")  # its worker lives: no debt

    async def test_an_update_whose_turn_failed_is_taken_again(self, turns):
        async with turns.turn() as (store, uow):
            assert await store.begin("terminal", "tess", "e2")
            await uow.rollback()
        async with turns.turn() as (store, uow):
            assert await store.begin("terminal", "tess", "e2")

    async def test_the_member_behind_an_identity_with_their_roles(self, turns):
        await turns.person("tess", "Tess", roles=("seller",))
        await turns.person("root", "Root", roles=("buyer",), admin=True)
        async with turns.turn() as (store, _uow):
            assert await store.member("terminal", "nobody") is None
            tess = await store.member("terminal", "tess")
            assert tess is not None and tess.display_name == "Tess"
            assert await store.roles(tess) == {"seller"}
            root = await store.member("terminal", "root")
            assert root is not None and await store.roles(root) == {"buyer", "admin"}


class TestMemoryTurns(TurnsContract):
    @pytest.fixture
    def turns(self):
        return MemoryTurnsWorld(MemoryChat([]))


@dataclasses.dataclass
class MemoryTurnsWorld:
    chat: MemoryChat

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[tuple[TurnStore, Any]]:
        async with self.chat.uow() as uow:
            yield self.chat.turns.on(uow), uow

    async def person(self, key: str, name: str, *, roles: tuple[str, ...],
                     admin: bool = False) -> None:
        self.chat.turns.register("terminal", key, name, roles=roles, admin=admin)


class TestSqlTurns(TurnsContract):
    @pytest.fixture
    def turns(self, app):
        return SqlTurnsWorld(app)


@dataclasses.dataclass
class SqlTurnsWorld:
    app: Any

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[tuple[TurnStore, Any]]:
        async with self.app.uow() as uow:
            yield SqlTurns(uow), uow

    async def person(self, key: str, name: str, *, roles: tuple[str, ...],
                     admin: bool = False) -> None:
        await registered(self.app, key, roles=roles, display_name=name)
        if admin:
            await _named_admin(self.app, key)


async def _named_admin(app: Any, key: str) -> None:
    async with app.uow() as uow:
        await named.add(uow, [f"terminal:{key}"])
        await uow.commit()


