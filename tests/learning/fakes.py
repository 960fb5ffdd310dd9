"""The learning context's storage in memory: the library's shelf (`core.learning.shelf.Shelf`)
and the gatherings' agenda (`core.learning.agenda.Agenda`); their use cases run on these
without a database. `test_shelf_contract.py` and `test_agenda_contract.py` hold them to what
the SQL ones do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from core.events import Event
from core.learning.agenda import GatheringView, NewGathering
from core.learning.shelf import ItemView, NewItem

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock


@dataclass(frozen=True)
class Audited:
    actor_id: int
    action: str
    subject: str
    detail: dict[str, Any]


@dataclass
class MemoryShelf:
    """Items in a list, people in dicts, the clock standing still at `at`."""

    at: datetime = START
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


@dataclass
class MemoryAgenda:
    """Gatherings in a dict, answers by (gathering, person), the clock standing still at `at`
    (tests move it), events and audit entries kept in lists."""

    at: datetime = START
    admins: set[int] = field(default_factory=set)
    gatherings: dict[int, GatheringView] = field(default_factory=dict)
    timers: dict[int, datetime] = field(default_factory=dict)  # gathering → its start's timer
    answers: dict[tuple[int, int], str] = field(default_factory=dict)
    audited: list[Audited] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def now(self) -> datetime:
        return self.at

    async def is_admin(self, account_id: int) -> bool:
        return account_id in self.admins

    async def put(self, new: NewGathering) -> GatheringView:
        view = GatheringView(
            id=len(self.gatherings) + 1, kind=new.kind, status="scheduled", title=new.title,
            description=new.description, starts_at=new.starts_at, minutes=new.minutes,
            place=new.place, join_url=new.join_url, recording_url=None,
            publisher_id=new.publisher_id, sequence=0)
        self.gatherings[view.id] = view
        self.timers[view.id] = new.starts_at
        return view

    async def get(self, gathering_id: int) -> GatheringView | None:
        return self.gatherings.get(gathering_id)

    async def starting_from(self, since: datetime, limit: int) -> list[GatheringView]:
        found = [g for g in self.gatherings.values() if g.starts_at >= since]
        return sorted(found, key=lambda g: (g.starts_at, g.id))[:limit]

    async def recorded_since(self, since: datetime, limit: int) -> list[GatheringView]:
        found = [g for g in self.gatherings.values()
                 if g.recording_url is not None and g.starts_at >= since]
        return sorted(found, key=lambda g: (g.starts_at, g.id), reverse=True)[:limit]

    async def latest(self, limit: int) -> list[GatheringView]:
        return sorted(self.gatherings.values(), key=lambda g: (g.starts_at, g.id),
                      reverse=True)[:limit]

    async def answer(self, gathering_id: int, account_id: int, answer: str) -> None:
        self.answers[gathering_id, account_id] = answer

    async def counts(self, gathering_ids: Iterable[int]) -> dict[tuple[int, str], int]:
        ids = set(gathering_ids)
        return dict(Counter((g, a) for (g, __), a in self.answers.items() if g in ids))

    async def answers_of(self, gathering_ids: Iterable[int], account_id: int) -> dict[int, str]:
        ids = set(gathering_ids)
        return {g: a for (g, who), a in self.answers.items() if g in ids and who == account_id}

    async def attendees(self, gathering_id: int, answers: tuple[str, ...]) -> list[int]:
        return sorted(who for (g, who), a in self.answers.items()
                      if g == gathering_id and a in answers)

    async def set_recording(self, gathering_id: int, url: str) -> GatheringView:
        view = self.gatherings[gathering_id] = replace(self.gatherings[gathering_id],
                                                       recording_url=url)
        return view

    async def start(self, gathering_id: int) -> bool:
        found = self.gatherings.get(gathering_id)
        if found is None or found.status != "scheduled":
            return False
        self.gatherings[gathering_id] = replace(found, status="started")
        return True

    async def audit(self, actor_id: int, action: str, subject: str, **detail: Any) -> None:
        self.audited.append(Audited(actor_id, action, subject, detail))

    def emit(self, event: Event) -> None:
        self.events.append(event)
