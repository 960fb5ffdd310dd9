"""Who may read a session and what they read: the session itself (its two parties, admins and
the system; anyone else is told it doesn't exist), its messages, its charge. Each takes a unit
of work or a `Logbook` (`core.consulting.sessions.logbook`)."""

from __future__ import annotations

from core.consulting.sessions.lifecycle import LIVE, PARTY, role_of
from core.consulting.sessions.logbook import Logbook
from core.consulting.sessions.money import charge_for as _charge_for
from core.consulting.sessions.sql_logbook import logbook_of
from core.consulting.sessions.tables import ConsultSession, SessionMessage
from core.errors import NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork


async def get(uow: UnitOfWork | Logbook, session_id: int, actor_id: int | None
              ) -> ConsultSession:
    """The session, for its two parties, admins and the system; NotFound for anyone else."""
    book = logbook_of(uow)
    session = await book.session(session_id)
    if session is None or await role_of(book, session, actor_id) is None:
        raise NotFound(_("That session doesn't exist."))
    return session


async def _party(uow: UnitOfWork | Logbook, session_id: int, account_id: int
                 ) -> tuple[ConsultSession, str]:
    book = logbook_of(uow)
    session = await get(book, session_id, account_id)
    role = await role_of(book, session, account_id)
    if role not in PARTY:
        raise NotAllowed(_("Only the seeker and the consultant take part in a session."))
    return session, role


async def transcript(uow: UnitOfWork | Logbook, session_id: int, actor_id: int | None
                     ) -> list[SessionMessage]:
    """Every message of the session in order, for its parties and admins."""
    book = logbook_of(uow)
    session = await get(book, session_id, actor_id)
    return await book.messages(session.id)


async def charge_due(uow: UnitOfWork | Logbook, session_id: int, actor_id: int | None
                     ) -> Money:
    """What the seeker pays: recorded at the end (nothing when it ended in the free window),
    or what it would be if the session ended now."""
    book = logbook_of(uow)
    session = await get(book, session_id, actor_id)
    if session.charged_minor is not None:
        return Money(session.charged_minor, session.currency)
    if session.status in LIVE:
        return _charge_for(session, book.now())
    return Money(0, session.currency)
