"""The live sessions' storage, behind their use cases: a repository protocol (`Logbook`), as
the bookings' `Diary` (`core.consulting.bookings.diary`) and the learning context's `Shelf`
are. Its SQL implementation, `SqlLogbook`, works inside the caller's unit of work
(`core.consulting.sessions.sql_logbook`); the tests' `MemoryLogbook`
(`tests/consulting/session_fakes.py`) runs who may join, post, end, extend, review and reply,
and the session's moves and its recap, without a database; `tests/consulting/test_logbook_contract.py`
holds the two alike.

A session, its messages, extensions and reviews travel as their entities (`ConsultSession`,
`SessionMessage`, `SessionExtension`, `SessionReview`): callers (flows, notices, the money
bridge) read them as before, and outside a session they are plain objects the fake keeps.

What stays on the database alone: the money (an authorisation confirmed, what is captured,
the free minutes a pair has used, an extension paid) and two parties racing for one move —
proven in `tests/consulting/test_sessions_money*.py` and `test_sessions_races.py`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from core.consulting.sessions.tables import (
    ConsultSession,
    SessionExtension,
    SessionMessage,
    SessionReview,
)
from core.events import Event
from core.money.model import Money

Joined = tuple[datetime | None, datetime | None]  # the seeker's and the consultant's first join


class Logbook(Protocol):
    """What the sessions' use cases ask of storage, of who is an admin, of the clock and the
    bus."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def is_admin(self, account_id: int) -> bool:
        """Whether the account is an administrator."""
        ...

    async def session(self, session_id: int, *, fresh: bool = False) -> ConsultSession | None:
        """The session, as this transaction holds it (`fresh`: read again from storage)."""
        ...

    async def of_booking(self, booking_id: int) -> ConsultSession | None:
        """The session opened for this booking, if one was."""
        ...

    async def reload(self, session: ConsultSession) -> None:
        """The session given, read again: another party or a timer may have moved it."""
        ...

    async def move(self, session: ConsultSession, source: str, changes: dict[str, object]
                   ) -> bool:
        """Write these values (the status among them) only if the session is still in
        `source`; False when it moved meanwhile. The session given holds them after."""
        ...

    async def stop_timers(self, session_id: int, state: str) -> None:
        """Stop the running timers of `state` for this session."""
        ...

    async def restart_timers(self, session_id: int, state: str,
                             due: dict[str, datetime]) -> None:
        """The timers of `state` run again for this session (`due`: when those named fall
        due; the process's own delay for the rest)."""
        ...

    async def mark_joined(self, session: ConsultSession, role: str, at: datetime
                          ) -> Joined | None:
        """The party's (seeker or consultant) first join, once: both parties' join times as
        they now stand, or None when this party had joined already."""
        ...

    async def free_minutes(self, seeker_id: int | None, consultant_id: int,
                           excluding: int | None = None) -> int:
        """The free minutes this pair's session (`excluding`: itself) starts with; without
        `excluding`, the pair's next one (what a booking card and a profile page promise); no
        seeker: someone new to this consultant (a visitor)."""
        ...

    async def booking_room(self, session: ConsultSession) -> str:
        """The meeting link of the session's booking."""
        ...

    async def add_message(self, message: SessionMessage) -> SessionMessage:
        """Store a message; it has its id from now on."""
        ...

    async def message(self, message_id: int) -> SessionMessage | None:
        """One message, as this transaction holds it: what is relayed to the other party."""
        ...

    async def messages(self, session_id: int) -> list[SessionMessage]:
        """The session's messages in the order they were written."""
        ...

    async def extensions(self, session_id: int) -> list[SessionExtension]:
        """The session's extensions asked for, first first."""
        ...

    async def add_extension(self, extension: SessionExtension) -> SessionExtension:
        """Store an extension asked for; it has its id from now on."""
        ...

    async def add_review(self, review: SessionReview) -> bool:
        """Store a review, and give it its id; False (nothing stored) when the session has
        one already."""
        ...

    async def review(self, review_id: int) -> SessionReview | None:
        """One review."""
        ...

    async def review_of(self, session_id: int) -> int | None:
        """The id of the session's review, if it has one."""
        ...

    async def reply_once(self, review: SessionReview, text: str, at: datetime) -> bool:
        """The consultant's reply written, if the review has none yet (False otherwise); the
        review given holds it after."""
        ...

    async def reviews_of(self, consultant_id: int, limit: int, offset: int
                         ) -> list[SessionReview]:
        """The consultant's reviews, newest (highest id) first."""
        ...

    async def standing(self, consultant_id: int) -> tuple[int, int, int, Decimal | None]:
        """The consultant's stars summed, their reviews and sessions that took place counted,
        and the mean of every consultant's stars (None before any review)."""
        ...

    async def keep_standing(self, consultant_id: int, rating_x100: int, reviews: int,
                            sessions: int) -> None:
        """Write the consultant's standing where cards and the directory read it."""
        ...

    def recap_price(self, currency: str) -> Money:
        """The recap's price in this currency (`AGORA_RECAP_PRICE`; 0: free)."""
        ...

    async def grant_recap(self, session_id: int, at: datetime) -> bool:
        """The recap is the seeker's from `at`, once: False when it was granted before."""
        ...

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        """The display names of those accounts that exist."""
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...
