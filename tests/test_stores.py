"""A context's store in a unit of work (core.storage.stores): the SQL one on the database's unit
of work, the store itself when a use case is handed one, and the fake a test's unit of work holds
for the protocol — so a flow's use cases run on the fakes when the engine runs in memory."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.clock import FakeClock
from core.learning.shelf import Shelf, SqlShelf, shelf_of
from core.storage.uow import UnitOfWork
from core.support.desk import Desk
from tests.learning.fakes import MemoryShelf
from tests.support.memory_engine import MemoryChat


def test_the_database_s_unit_of_work_gives_the_sql_store():
    uow = UnitOfWork(async_sessionmaker(), FakeClock())  # never opened: no connection is made
    assert isinstance(shelf_of(uow), SqlShelf)


def test_a_store_handed_in_place_of_a_unit_of_work_is_the_store():
    shelf = MemoryShelf()
    assert shelf_of(shelf) is shelf


def test_a_unit_of_work_in_memory_gives_the_fake_it_holds_and_names_one_it_lacks():
    shelf = MemoryShelf()
    uow = MemoryChat([], stores={Shelf: shelf}).uow()
    assert shelf_of(uow) is shelf
    from core.support.desk import desk_of

    with pytest.raises(RuntimeError, match="asked for the Desk store"):
        desk_of(uow)
    assert Desk not in uow.stores
