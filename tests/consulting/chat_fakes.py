"""The consultants' side of the product in memory, as the flows and the read models see it: the
bookings' `MemoryDiary`, the sessions' `MemoryLogbook` and the directory's `MemoryListing`
held by one unit of work (`tests.support.memory_engine`), so a booking's card, a consultant's
page and the chat's consulting flows run with no database. On the database the three read one
profile row; here a consultant made by `listed` is kept by the listing's roster and copied to
the diary (`copied` again after a roster change the diary must see)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from conversations.context import Services
from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import Choice, ListPage
from core.catalog.media import FileStore
from core.clock import FakeClock
from core.consulting.bookings.diary import Diary
from core.consulting.profiles.directory import Directory
from core.consulting.profiles.listing import Listing
from core.consulting.sessions.logbook import Logbook
from core.consulting.tables import ConsultantProfile
from core.wiring import Wire
from tests.consulting.booking_fakes import MemoryDiary
from tests.consulting.fakes import MemoryListing, live_consultant
from tests.consulting.session_fakes import MemoryLogbook
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat, MemoryTurns, MemoryUnitOfWork


def stores(diary: MemoryDiary, logbook: MemoryLogbook | None = None,
           listing: MemoryListing | None = None) -> dict[Any, Any]:
    """The fakes by protocol: a logbook and a listing not given are empty ones on the diary's
    clock, knowing its people."""
    return {Diary: diary,
            Logbook: logbook or MemoryLogbook(at=diary.at, people=diary.people,
                                              admins=diary.admins),
            Listing: listing or MemoryListing()}


def reading(diary: MemoryDiary, logbook: MemoryLogbook | None = None,
            listing: MemoryListing | None = None) -> MemoryUnitOfWork:
    """A unit of work in memory holding the fakes: what a card or a page is read in, as a
    flow's would be."""
    return MemoryUnitOfWork(FakeClock(diary.at), MemoryTurns(), stores(diary, logbook, listing))


async def listed(diary: MemoryDiary, listing: MemoryListing, files: FileStore, account_id: int,
                 name: str, **changes: Any) -> int:
    """A consultant live in the directory, made by the profiles' use cases on the listing's
    roster (`fakes.live_consultant`, `changes` overriding the complete profile), and kept by
    the diary too: what `helpers.consultant` does on the database."""
    listing.roster.person(account_id, timezone=changes.get("timezone", "Europe/Riga"))
    listing.names[account_id] = name
    await live_consultant(listing.roster, files, account_id, **changes)
    diary.person(account_id, name, zone=changes.get("timezone", "Europe/Riga"))
    return copied(diary, listing, account_id)


def copied(diary: MemoryDiary, listing: MemoryListing, account_id: int) -> int:
    """The roster's profile, as it now stands, copied to the diary."""
    diary.profiles[account_id] = ConsultantProfile(**listing.roster.kept[account_id])
    return account_id


async def in_chat(diary: MemoryDiary, logbook: MemoryLogbook | None = None,
                  listing: MemoryListing | None = None, wiring: Iterable[Wire] = ()
                  ) -> MemoryChat:
    """The real flows through the engine in memory, on the diary's clock, on these fakes (the
    directory loaded from the listing): everyone the diary knows registered by their account
    id, on the terminal as their name in lower case (consultants as consultants, admins as
    admins), with no country; the handlers in `wiring` run at each commit (their notices in
    the chat's postbox)."""
    held = stores(diary, logbook, listing)
    directory = Directory()
    await directory.load(held[Listing])
    chat = MemoryChat(ALL_FLOWS, clock=FakeClock(diary.at), stores=held,
                      services=Services(directory=directory), wiring=wiring)
    for account_id, name in diary.people.items():
        roles = ("consultant",) if account_id in diary.profiles else ("seeker",)
        # No country, as `tests.support.accounts.registered` registers them: amounts are read
        # the English way (“€40.00”), not a Latvian reader's.
        chat.turns.register("terminal", name.lower(), name, roles=roles,
                            admin=account_id in diary.admins, account_id=account_id)
    return chat


async def opened(tmp_path: Path, wiring: Iterable[Wire] = (), **changes: Any
                 ) -> tuple[MemoryDiary, ChatUser]:
    """Cora (account 1) is live (`changes` overriding her profile); Sid (2, a seeker in Riga)
    opens her page from the directory in chat (`/consultants`, Everyone): the diary and Sid's
    chat, its `subtitle` her line in the results."""
    diary, listing = MemoryDiary(), MemoryListing()
    await listed(diary, listing, FileStore(tmp_path), 1, "Cora", **changes)
    diary.person(2, "Sid", zone="Europe/Riga")
    sid = ChatUser(await in_chat(diary, listing=listing, wiring=wiring), "sid")
    await sid.say("/consultants")
    await sid.tap("Everyone")
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    sid.subtitle = page.items[0].subtitle  # type: ignore[attr-defined]
    await sid.send(Choice(page.items[0].button.data))
    return diary, sid


async def free_times(tmp_path: Path, wiring: Iterable[Wire] = ()
                     ) -> tuple[MemoryDiary, ChatUser]:
    """`helpers.free_times` in memory: Sid opens Cora's page and taps Book a time."""
    diary, sid = await opened(tmp_path, wiring)
    await sid.tap("Book a time")
    return diary, sid
