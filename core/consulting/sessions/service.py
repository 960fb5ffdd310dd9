"""Live consultant sessions, one function per use case. Each takes the acting account and
checks here that it may act: the seeker and the consultant take part, admins may look, anyone
else is told the session doesn't exist. Money never moves in these transactions: the money
bridge (payments.bridges.sessions) voids or captures after commit, from what is recorded.
Who may read a session is `access`'s; a booking's session is made and called off in
`from_booking`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from core.consulting.sessions import reminders as session_reminders
from core.consulting.sessions.access import _party, get
from core.consulting.sessions.events import (
    CallLinkSet,
    ExtensionRequested,
    SessionJoined,
    SessionMessagePosted,
)
from core.consulting.sessions.from_booking import reference
from core.consulting.sessions.lifecycle import (
    CLOSED,
    CONSULTANT,
    LIVE,
    SEEKER,
    SESSION_PROCESS,
    SessionState,
    take,
)
from core.consulting.sessions.logbook import Logbook
from core.consulting.sessions.rules import extension_price, price_for
from core.consulting.sessions.sql_logbook import logbook_of
from core.consulting.sessions.tables import ConsultSession, SessionExtension, SessionMessage
from core.consulting.sessions.view import SessionView, session_view
from core.deals.threads.service import SharedFile
from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import _
from core.money.model import Money
from core.process import timers
from core.process.model import SYSTEM
from core.storage.uow import UnitOfWork

__all__ = ["max_charge"]
MAX_TEXT = 4000
EXTEND_MINUTES = (5, 120)
max_charge = price_for  # what the booking authorises: max_charge(rate, rate_unit, booked_minutes)


async def free_window_for(uow: UnitOfWork | Logbook, seeker_id: int, consultant_id: int) -> int:
    """The free minutes this pair's next session starts with, under the policy's rule: 10, or
    0 once the rule's free sessions for the pair are used."""
    return await logbook_of(uow).free_minutes(seeker_id, consultant_id)


async def seen(uow: UnitOfWork | Logbook, session_id: int, actor_id: int | None) -> SessionView:
    """The session as its chat shows it (`get`'s read model), to whoever may see it."""
    return session_view(await get(uow, session_id, actor_id))


async def join(uow: UnitOfWork | Logbook, session_id: int, account_id: int) -> ConsultSession:
    """A party is here; the session starts once both are (and the payment is authorised)."""
    book = logbook_of(uow)
    session, role = await _party(book, session_id, account_id)
    if session.status in CLOSED:
        raise Conflict(_("That session has ended."))
    joined = session.seeker_joined_at if role == SEEKER else session.consultant_joined_at
    if session.status == SessionState.WAITING and joined is None \
            and await book.mark_joined(session, role, book.now()) is not None:
        book.emit(SessionJoined(session.id, account_id))
    return await start_if_ready(book, session, role)


async def start_if_ready(uow: UnitOfWork | Logbook, session: ConsultSession,
                         role: str = SYSTEM) -> ConsultSession:
    """Start a waiting session whose parties have both joined and whose payment is authorised:
    free for the first minutes if the pair still has them, else paid from minute 0."""
    ready = session.seeker_joined_at and session.consultant_joined_at and session.authorised_minor
    if session.status != SessionState.WAITING or not ready:
        return session
    book = logbook_of(uow)
    free = await book.free_minutes(session.seeker_id, session.consultant_id, session.id)
    now = book.now()
    try:
        await take(book, session, "start-free" if free else "start-paid", role, started_at=now,
                   paid_from=now + timedelta(minutes=free), free_used=bool(free))
    except Conflict:  # started a moment ago by the other party's join
        await book.reload(session)
    return session


async def post(uow: UnitOfWork | Logbook, session_id: int, sender_id: int, text: str,
               file: SharedFile | None = None) -> SessionMessage:
    """A message (text, voice note, photo or file) relayed to the other party."""
    book = logbook_of(uow)
    session, __ = await _party(book, session_id, sender_id)
    if session.status not in (SessionState.WAITING, *LIVE):
        raise Conflict(_("This session has ended; messages are no longer relayed."))
    text = text.strip() or (f"📎 {file.name}" if file else "")
    if not text or len(text) > MAX_TEXT:
        raise DomainError(_("A message has 1 to {max_text} characters.", max_text=MAX_TEXT))
    message = await book.add_message(SessionMessage(
        session_id=session.id, sender_id=sender_id, kind=_kind(file), text=text,
        file_path=file.path if file else None, file_name=file.name if file else None,
        mime_type=file.mime_type if file else None, created_at=book.now()))
    other = session.consultant_id if sender_id == session.seeker_id else session.seeker_id
    book.emit(SessionMessagePosted(session.id, message.id, sender_id, other))
    return message


def _kind(file: SharedFile | None) -> str:
    if file is None:
        return "text"
    head = file.mime_type.split("/")[0]
    return {"audio": "voice", "image": "photo"}.get(head, "file")


async def end(uow: UnitOfWork | Logbook, session_id: int, account_id: int) -> ConsultSession:
    """Either party ends the session: free before the free window closes, charged after. A
    second tap, or both ending at once, ends it once."""
    book = logbook_of(uow)
    session, role = await _party(book, session_id, account_id)
    for __ in range(3):
        if session.status in CLOSED:
            return session  # ended already: nothing more happens
        if session.status == SessionState.WAITING:
            raise Conflict(_("The session hasn't started yet."))
        try:
            return await _end_now(book, session, role)
        except Conflict:  # a timer or the other party moved it a moment ago: look again
            await book.reload(session)
    return session


async def _end_now(book: Logbook, session: ConsultSession, role: str) -> ConsultSession:
    await _paid_if_due(book, session)
    step = "end-free" if session.status == SessionState.LIVE_FREE else "end-paid"
    return await take(book, session, step, role)


async def _paid_if_due(book: Logbook, session: ConsultSession) -> None:
    """The free minutes are over though their timer has not run yet: switch now."""
    if session.status == SessionState.LIVE_FREE and session.paid_from is not None \
            and book.now() >= session.paid_from:
        await take(book, session, "go-paid", SYSTEM)


async def extend(uow: UnitOfWork | Logbook, session_id: int, seeker_id: int, minutes: int = 15
                 ) -> SessionExtension:
    """The seeker asks for `minutes` more: a new authorisation of the larger maximum, which
    replaces the one in force when it is confirmed. Asking again before that is the same ask."""
    book = logbook_of(uow)
    session, role = await _party(book, session_id, seeker_id)
    if role != SEEKER:
        raise NotAllowed(_("Only the seeker can extend a session."))
    if session.escrow_ref.startswith("package:"):
        raise Conflict(_("A session from a package keeps its length: book another one."))
    await _paid_if_due(book, session)
    if session.status not in (SessionState.LIVE_PAID, SessionState.OVERTIME):
        raise Conflict(_("A session can be extended in its paid time only."))
    if not EXTEND_MINUTES[0] <= minutes <= EXTEND_MINUTES[1]:
        raise DomainError(_("Extend by {least} to {most} minutes.",
                            least=EXTEND_MINUTES[0], most=EXTEND_MINUTES[1]))
    asked = await book.extensions(session.id)
    if asked and asked[-1].authorised_at is None:
        return asked[-1]
    rate = Money(session.rate_minor, session.currency)
    more = extension_price(rate, session.rate_unit, minutes)
    extension = await book.add_extension(SessionExtension(
        session_id=session.id, number=len(asked) + 1, minutes=minutes,
        amount_minor=session.authorised_minor + more.amount,
        reference=f"{reference(session.booking_id)}:extend:{len(asked) + 1}",
        created_at=book.now()))
    book.emit(ExtensionRequested(session.id, extension.id))
    return extension


async def authorised(uow: UnitOfWork, escrow_ref: str, amount: Money) -> ConsultSession | None:
    """The money layer confirmed a session's authorisation (or an extension's): record it, and
    start or extend the session. None when the reference is no session's."""
    session = (await uow.session.execute(select(ConsultSession).where(
        ConsultSession.escrow_ref == escrow_ref))).scalar_one_or_none()
    if session is not None and amount.currency == session.currency:
        if session.authorised_minor != amount.amount:
            session.authorised_minor = amount.amount
        return await start_if_ready(uow, session)
    extension = (await uow.session.execute(select(SessionExtension).where(
        SessionExtension.reference == escrow_ref))).scalar_one_or_none()
    return await _extension_authorised(uow, extension, amount) if extension else None


async def authorisation_lost(uow: UnitOfWork, escrow_ref: str) -> None:
    """The authorisation of a session not yet started was voided (it was about to expire):
    it cannot start until the booking authorises again."""
    await uow.session.execute(update(ConsultSession).where(
        ConsultSession.escrow_ref == escrow_ref, ConsultSession.status == SessionState.WAITING)
        .values(authorised_minor=0).execution_options(synchronize_session=False))


async def _extension_authorised(uow: UnitOfWork, extension: SessionExtension, amount: Money
                                ) -> ConsultSession | None:
    marked = await uow.session.execute(update(SessionExtension).where(
        SessionExtension.id == extension.id, SessionExtension.authorised_at.is_(None))
        .values(authorised_at=uow.clock.now()).execution_options(synchronize_session=False))
    session = await uow.get(ConsultSession, extension.session_id, populate_existing=True)
    # rowcount: an UPDATE's result is a CursorResult; the stubs type execute() as Result
    billed = (SessionState.LIVE_PAID, SessionState.OVERTIME)
    if marked.rowcount != 1 or session is None or session.status not in billed:  # type: ignore[attr-defined]
        return session  # told before, or the session ended: the money bridge voids it
    return await take(logbook_of(uow), session, "extend", SYSTEM, escrow_ref=extension.reference,
                      authorised_minor=amount.amount,
                      extended_minutes=session.extended_minutes + extension.minutes)


async def set_call_link(uow: UnitOfWork | Logbook, session_id: int, account_id: int,
                        url: str | None = None) -> str:
    """The booking's meeting link sent to the seeker again, or another one the consultant gives
    (`url`) for this live session; the chat keeps time."""
    book = logbook_of(uow)
    session, role = await _party(book, session_id, account_id)
    if role != CONSULTANT:
        raise NotAllowed(_("The consultant sets the call link."))
    if session.status in CLOSED:
        raise Conflict(_("That session has ended."))
    link = (url or await book.booking_room(session)).strip()
    if not link.startswith("https://") or len(link) > 300 or any(c.isspace() for c in link):
        raise DomainError(_("A call link is one https:// address."))
    session.call_link = link
    book.emit(CallLinkSet(session.id))
    return link


async def run_due(uow: UnitOfWork) -> list[tuple[int, str]]:
    """The scheduler's job: take every due session timer as the system and send the reminders
    now due (the join call, “End now — free”, the offer to extend); each goes once."""
    taken: list[tuple[int, str]] = []
    for __ in range(4):  # a state entered late may be due at once (after the scheduler was down)
        claimed = await timers.claim_due(uow, SESSION_PROCESS)
        taken += [(s, t) for s, t in claimed if await _fire(uow, s, t)]
        if not claimed:
            break
    await session_reminders.remind_due(uow)
    return taken


async def _fire(uow: UnitOfWork, session_id: int, transition: str) -> bool:
    """A claimed timer's transition, taken by the system; False when the session moved on."""
    session = await uow.get(ConsultSession, session_id, populate_existing=True)
    if session is None or session.status not in SESSION_PROCESS.transition(transition).sources:
        return False
    values: dict[str, Any] = {}
    if transition == "no-show":
        absent = CONSULTANT if session.consultant_joined_at is None else SEEKER
        values["ended_by"] = f"no-show:{absent}"
    async with uow.nested():
        await take(logbook_of(uow), session, transition, SYSTEM, **values)
    return True
