"""The conversation engine without a database: its turn store in memory
(`conversations.turn_store.TurnStore`) and a unit of work that holds no connection.

The engine's own rules — forms, rules across fields, navigation, typed flow state, refusals —
run on this as on the database: `MemoryChat(entries)` gives an engine over the entries. A flow
whose use cases ask a context's store behind a protocol runs too when the chat is given that
context's fake (`MemoryChat(entries, stores={Shelf: MemoryShelf()})`: core.storage.stores);
every chat holds the accounts' book in memory on its own members (tests/accounts/fakes.py), so
registration, settings and links run here too. A flow that asks core for anything else stored
needs the database (`app`), and this unit of work refuses loudly (`session`).
`tests/test_turn_store_contract.py` holds `MemoryTurns` to what `SqlTurns` does."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from conversations.context import Services
from conversations.engine import Engine
from conversations.flow import Entry
from core.accounts.book import AccountBook
from core.accounts.member import Member
from core.accounts.model import default_currency
from core.clock import Clock, FakeClock
from core.conversation_store import ChatState
from core.events import Event, EventBus
from core.money.reading import reading
from core.notifications.postbox import Postbox
from core.policy import Policy
from core.wiring import Wire, Wiring
from tests.accounts.fakes import MemoryAccountBook
from tests.support.postbox import MemoryPostbox

Kept = TypeVar("Kept")

_ids = itertools.count(1)
_NEWCOMER = Member(
    id=0, display_name="", company=None, email=None, email_verified_at=None, roles=("buyer",),
    interests=(), country=None, city="Riga", latitude=None, longitude=None, language="en",
    timezone="Europe/Riga", currency="EUR", notify_channel=None, quiet_start=None,
    quiet_end=None, weekly_picks=True, suspended_at=None, suspension_reason=None,
    billing_name=None, billing_street=None, billing_postcode=None, billing_town=None,
    billing_country=None, vat_id=None, vat_rate=None)


@dataclass
class MemoryTurns:
    """Conversations, updates seen and members in dicts; what a turn writes lands at commit."""

    conversations: dict[tuple[str, str, str], ChatState] = field(default_factory=dict)
    updates: set[tuple[str, str]] = field(default_factory=set)
    answered: set[tuple[str, str]] = field(default_factory=set)
    members: dict[tuple[str, str], Member] = field(default_factory=dict)
    roles_of: dict[int, set[str]] = field(default_factory=dict)  # admin, company roles
    published: list[Event] = field(default_factory=list)  # what committed turns emitted

    def on(self, uow: MemoryUnitOfWork) -> _TurnInMemory:
        """The store as one turn sees it (the engine's `turns`)."""
        return _TurnInMemory(self, uow)

    async def mark(self, source: str, external_id: str) -> None:
        self.answered.add((source, external_id))

    def conversation(self, channel: str, user_key: str, chat_id: str | None = None) -> ChatState:
        return self.conversations[channel, user_key, chat_id or user_key]

    def register(self, channel: str, user_key: str, display_name: str, *,
                 roles: tuple[str, ...] = ("buyer",), language: str = "en",
                 country: str | None = None, admin: bool = False,
                 account_id: int | None = None) -> Member:
        """A registered member behind a channel identity (what registration does in the
        database), with the defaults registration gives (no country unless one is named);
        `account_id` when a context's fake knows them by one already."""
        member = replace(_NEWCOMER, id=account_id or next(_ids), display_name=display_name,
                         roles=roles, language=language, country=country,
                         currency=default_currency(country))
        self.members[channel, user_key] = member
        if admin:
            self.roles_of[member.id] = {"admin"}
        return member


@dataclass
class _TurnInMemory:
    store: MemoryTurns
    uow: MemoryUnitOfWork

    async def begin(self, channel: str, user_key: str, event_id: str | None) -> bool:
        if event_id is None:
            return True
        key = (channel, event_id)
        if key in self.store.updates or key in self.uow.staged_updates:
            return False
        self.uow.staged_updates.add(key)
        return True

    async def orphaned(self, channel: str, event_id: str) -> bool:
        return False  # one process: a worker that died took the store with it

    async def load(self, channel: str, user_key: str, chat_id: str, *,
                   lock: bool = True) -> ChatState:
        key = (channel, user_key, chat_id)
        if key not in self.store.conversations:
            self.store.conversations[key] = ChatState(
                id=next(_ids), channel=channel, user_key=user_key, chat_id=chat_id, flow=None,
                state=None, data={}, history=[], token="", version=0,
                updated_at=self.uow.clock.now())
        return replace(self.store.conversations[key])  # a copy: written back only by `save`

    async def save(self, conv: ChatState) -> None:
        self.uow.staged_saves.append(replace(conv))

    async def member(self, channel: str, user_key: str) -> Member | None:
        return self.store.members.get((channel, user_key))

    async def roles(self, member: Member) -> set[str]:
        return set(member.roles) | self.store.roles_of.get(member.id, set())


@dataclass
class _Savepoint:
    async def rollback(self) -> None:
        """Nothing to undo: a turn in memory writes only when it commits."""

    async def commit(self) -> None:
        pass


@dataclass
class MemoryUnitOfWork:
    """A transaction over `MemoryTurns`: its writes land at `commit`, and vanish otherwise."""

    clock: Clock
    store: MemoryTurns
    stores: dict[Any, Any] = field(default_factory=dict)  # a context's protocol → its fake
    bus: EventBus = field(default_factory=EventBus)  # its handlers run as in the database's
    policy: Policy = field(default_factory=Policy)  # the rules a handler reads (an offer's card)
    events: list[Event] = field(default_factory=list)
    staged_updates: set[tuple[str, str]] = field(default_factory=set)
    staged_saves: list[ChatState] = field(default_factory=list)
    policy: Policy = field(default_factory=Policy)
    remembered: dict[str, Any] = field(default_factory=dict)  # `kept`, until commit/rollback
    _emitted: dict[int, int] = field(default_factory=dict)  # a fake's events before this one

    def __post_init__(self) -> None:
        self._emitted = {id(store): len(store.events) for store in self._emitting()}

    def _emitting(self) -> list[Any]:
        """The held fakes that emit (each once, however many protocols it is held for)."""
        found = {id(store): store for store in self.stores.values()
                 if isinstance(getattr(store, "events", None), list)}
        return list(found.values())

    def _gather(self) -> None:
        """What the fakes emitted in this transaction, as if emitted on it (their SQL stores
        emit on the unit of work): the bus hands them to their handlers at commit."""
        for store in self._emitting():
            self.events.extend(store.events[self._emitted.get(id(store), 0):])
            self._emitted[id(store)] = len(store.events)

    async def __aenter__(self) -> MemoryUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.rollback()

    async def commit(self) -> None:
        """As core.storage.uow's: the events' handlers in the transaction (they may emit
        more), then what it wrote lands — the turns, and the notices of the held postbox —
        then the committed events go to the after-commit handlers."""
        handled = 0
        self._gather()
        with reading(None):  # a notice is written for its recipient, never in the actor's format
            while handled < len(self.events):
                handled += 1
                await self.bus.handle_during(self, self.events[handled - 1])
                self._gather()  # a handler's own store may emit more
        self.store.published += self.events
        for store in self.stores.values():
            if hasattr(store, "land"):
                store.land()
        self.store.updates |= self.staged_updates
        for conv in self.staged_saves:
            self.store.conversations[conv.channel, conv.user_key, conv.chat_id] = conv
        events = self.events
        await self.rollback()
        if events:
            await self.bus.handle_after(events)

    async def rollback(self) -> None:
        for store in self.stores.values():
            if hasattr(store, "drop"):
                store.drop()
        self.staged_updates, self.staged_saves, self.events = set(), [], []
        self.remembered = {}

    def kept(self, name: str, empty: Callable[[], Kept]) -> Kept:
        """What this transaction remembers under `name` (core.storage.uow's `kept`)."""
        found: Kept = self.remembered.setdefault(name, empty())
        return found

    async def savepoint(self) -> _Savepoint:
        return _Savepoint()

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def held_store(self, protocol: Any) -> Any:
        """The fake held for a context's protocol (core.storage.stores.store_of asks)."""
        if protocol not in self.stores:
            raise RuntimeError(f"this step asked for the {protocol.__name__} store: give the "
                               f"test's chat one (MemoryChat(stores={{...}}))")
        return self.stores[protocol]

    @property
    def session(self) -> Any:
        raise RuntimeError("this step asked the database for something: a test of a flow "
                           "that reads or writes core's storage needs the `app` fixture")


class MemoryChat:
    """An engine over `entries` with nothing stored anywhere but here."""

    def __init__(self, entries: Iterable[Entry], *, clock: Clock | None = None,
                 services: Services | None = None, stores: dict[Any, Any] | None = None,
                 wiring: Iterable[Wire] = (), bus: EventBus | None = None) -> None:
        self.clock = clock or FakeClock()
        self.turns = MemoryTurns()
        self.services = services or Services()
        self.stores = dict(stores or {})  # the contexts' fakes its flows' use cases run on
        self.stores.setdefault(Postbox, MemoryPostbox(self.turns))
        postbox = self.stores[Postbox]
        if isinstance(postbox, MemoryPostbox) and postbox.turns is None:
            postbox.turns = self.turns  # the people this chat registers are reached here
        self.bus = bus or EventBus()  # the contexts' handlers, wired as config.event_wiring does
        for wire in wiring:
            wire(self.bus, Wiring(uow=self.uow))  # type: ignore[arg-type]
        # The accounts' book on the engine's own members: whom a turn finds is whom a step changes.
        self.stores.setdefault(AccountBook, MemoryAccountBook(self.turns.members, self.clock,
                                                                  ids=_ids))
        self.engine = self.engine_of(entries)

    @property
    def postbox(self) -> MemoryPostbox:
        """The notices this chat's transactions wrote (tests/support/outbox.py reads them)."""
        held: MemoryPostbox = self.stores[Postbox]
        return held

    def restarted(self, entries: Iterable[Entry]) -> MemoryChat:
        """The same stored chats and stores under a new process: nothing of this one's engine
        (its locks, its answered marks in flight) carries over."""
        again = MemoryChat(entries, clock=self.clock, services=self.services, stores=self.stores,
                           bus=self.bus)
        again.turns = self.turns
        again.engine = again.engine_of(entries)
        return again

    def engine_of(self, entries: Iterable[Entry]) -> Engine:
        """Another engine on the same store: the same people and chats under another release."""
        return Engine(self.uow, entries, self.services,  # type: ignore[arg-type]
                      turns=self.turns.on, marks=self.turns)  # type: ignore[arg-type]

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.clock, self.turns, self.stores, self.bus)

    def now(self) -> datetime:
        return self.clock.now()
