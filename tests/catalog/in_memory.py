"""The catalogue's chats with no database anywhere: the real flows (`/sell`, `/mylistings`,
`/moderation`…) through the engine in memory, their use cases on the in-memory stock
(core.storage.stores hands the flows' catalogue calls the chat's `MemoryStock`), their notices
in the chat's postbox (`market(wiring=…)`). What needs more than that — the search index kept
in step by the bus, timers — stays on the database (`app`): the same journeys there are in the
tests beside."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from conversations.context import Services
from conversations.flows.all_flows import ALL_FLOWS
from core.catalog.media import FileStore, LocalFileFetcher
from core.catalog.search import Catalog
from core.catalog.stock import SellerInfo, Stock
from core.clock import FakeClock
from core.policy import Policy
from core.wiring import Wire
from tests.catalog.fakes import MemoryStock
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat


def market(files: Path | None = None, *, clock: FakeClock | None = None,
           wiring: Iterable[Wire] = (), **policy: Any) -> tuple[MemoryChat, MemoryStock]:
    """A chat over every flow whose catalogue is the stock returned, both on one clock's time
    (the stock's stands still there), under the default policy changed by `policy`; files sent
    from the terminal are stored under `files`. Its search index reads the stock again before
    every search (no bus tells it of a change here, as after a commit on the database); the
    handlers in `wiring` (the catalogue's notices: core.catalog.wiring) run at each commit,
    their notices read by tests.support.outbox's `told(chat, …)`."""
    clock = clock or FakeClock()
    stock = MemoryStock(at=clock.now(), policy=Policy(**policy))
    catalog = Catalog(look_seconds=0)
    services = Services(files=FileStore(files), fetchers={"terminal": LocalFileFetcher()},
                        catalog=catalog) if files else Services(catalog=catalog)
    return MemoryChat(ALL_FLOWS, clock=clock, services=services, stores={Stock: stock},
                      wiring=wiring), stock


def member(chat: MemoryChat, stock: MemoryStock, key: str, *,
           roles: tuple[str, ...] = ("seller", "buyer"), admin: bool = False,
           **profile: Any) -> ChatUser:
    """A registered member chatting on the terminal as `key` (their name too), known to the
    stock as a seller and, with `admin`, as the administrator; `profile` changes the member's
    defaults (`timezone="Asia/Tokyo"`…)."""
    person = chat.turns.register("terminal", key, key, roles=roles, admin=admin,
                                 country="LV")
    chat.turns.members["terminal", key] = replace(person, **profile)
    stock.sellers[person.id] = SellerInfo(key, "", 0, 0)
    if admin:
        stock.roles[person.id] = frozenset({"admin"})
    return ChatUser(chat, key)


def account_of(chat: MemoryChat, key: str) -> int:
    """The account id of the member chatting as `key`."""
    return chat.turns.members["terminal", key].id


def rated(stock: MemoryStock, seller_id: int, rating_x10: int) -> None:
    """A seller's reputation as `helpers.make_account(rating_x10=…)` gives it (12 ratings,
    9 deals)."""
    stock.ratings[seller_id] = rating_x10 / 10
    stock.sellers[seller_id] = replace(stock.sellers[seller_id], rating_x10=rating_x10,
                                       ratings=12, deals=9, stars_total=round(rating_x10 * 12 / 10))
