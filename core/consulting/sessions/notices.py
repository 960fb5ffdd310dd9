"""What the seeker and the consultant hear as a session moves: the notices declared on its
transitions (started, paid, extended, ended…), made sendable, and someone waiting to join.
Handlers write to the outbox in the emitting transaction (urgent: a live session ignores quiet
hours). What they make the notices of is `notice_parts`; the reminders its timers send,
`reminders`; what one party hears of the other's doing, `exchange_notices`."""

from __future__ import annotations

from core.actions import Action, ActionRows
from core.consulting.intents import ConsultingIntent
from core.consulting.sessions.events import SessionJoined, SessionMoved
from core.consulting.sessions.lifecycle import CONSULTANT, OVERTIME, SEEKER, SESSION_PROCESS, SessionState
from core.consulting.sessions.notice_parts import (
    _clock,
    _do,
    _end,
    _extend,
    _minutes,
    _names,
    _session,
    _tell,
    call_line,
    price_text,
)
from core.consulting.sessions.rules import FREE_MINUTES
from core.consulting.sessions.tables import ConsultSession
from core.consulting.sessions.view import SessionView, session_view
from core.deals.notices.timers import when_for
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import addressed_to
from core.process.model import SYSTEM
from core.process.notices import Moved, NoticeBook, Said
from core.storage.uow import UnitOfWork


async def on_joined(uow: UnitOfWork, event: SessionJoined) -> None:
    """The other party hears someone is waiting for them, with Join."""
    session = await _session(uow, event.session_id)
    if session is None or session.status != SessionState.WAITING:
        return
    names = await _names(uow, session)
    other = session.consultant_id if event.account_id == session.seeker_id else session.seeker_id
    async with addressed_to(uow, other):
        await _tell(uow, other, _("👋 {name} joined session #{id} and is waiting for you.",
                                  name=names[event.account_id], id=session.id),
                    [[_do(ConsultingIntent.JOIN_SESSION, N_("▶ Join"), session)]])


async def _moved(uow: UnitOfWork, event: SessionMoved) -> Moved | None:
    session = await _session(uow, event.session_id)
    if session is None:
        return None
    return Moved(event.transition, session,
                 {SEEKER: session.seeker_id, CONSULTANT: session.consultant_id},
                 event.source, event.target, event)


def _urgent(text: str) -> Said:
    return Said(text, urgent=True)


async def started_free(uow: UnitOfWork, moved: Moved, role: str, reader: int) -> Said:
    return _urgent(await _free_start(uow, moved.subject, reader, call_line(moved.subject)))


async def started_paid(uow: UnitOfWork, moved: Moved, role: str, reader: int) -> Said:
    session = moved.subject
    names = await _names(uow, session)
    n, link = session.id, call_line(session)
    seeker, consultant = names[session.seeker_id], names[session.consultant_id]
    if role == SEEKER:
        return _urgent(_("▶ Session #{id} with {consultant} has started. It is paid from the "
                         "start ({price}): no free minutes are left for you with "
                         "{consultant}.{link}", id=n, consultant=consultant,
                         price=price_text(session_view(session)), link=link))
    return _urgent(_("▶ Session #{id} with {seeker} has started, paid from the start.{link}",
                     id=n, seeker=seeker, link=link))


async def called_off(uow: UnitOfWork, moved: Moved, role: str, reader: int) -> Said | None:
    """An admin's call-off; the system's (its booking ended) is said by the booking's notices."""
    if moved.subject.ended_by == SYSTEM:
        return None
    return _urgent(_("Session #{id} was called off.", id=moved.subject.id))


async def went_paid(uow: UnitOfWork, moved: Moved, role: str, reader: int) -> Said:
    session = moved.subject
    return _urgent(_("⏱ {free_minutes}:00 — session #{id} is now paid ({price}).",
                     free_minutes=FREE_MINUTES, id=session.id, price=price_text(session_view(session))))


async def time_up(uow: UnitOfWork, moved: Moved, role: str, reader: int) -> Said:
    session = moved.subject
    names = await _names(uow, session)
    if session_view(session).prepaid:  # a package's session keeps its length
        return _urgent(_("⌛ The booked time of session #{id} is up; it ends in {minutes} "
                         "minutes.", id=session.id, minutes=_minutes(OVERTIME)))
    if role == SEEKER:
        return _urgent(_("⌛ The booked time of session #{id} is up. Extend it, or it "
                         "ends in {minutes} minutes.", id=session.id,
                         minutes=_minutes(OVERTIME)))
    return _urgent(_("⌛ The booked time of session #{id} is up; "
                     "{seeker} was asked whether to extend it.", id=session.id,
                     seeker=names[session.seeker_id]))


async def extended(uow: UnitOfWork, moved: Moved, role: str, reader: int) -> Said:
    session = moved.subject
    return _urgent(_("➕ Session #{id} was extended: {minutes} minutes added in all.",
                     id=session.id, minutes=session.extended_minutes))


async def ended(uow: UnitOfWork, moved: Moved, role: str, reader: int) -> Said | None:
    """What the ending means for each; whoever ended the session read it in their own chat's
    answer: one message each."""
    session = moved.subject
    if moved.transition in ("end-free", "end-paid") and session.ended_by == role:
        return None
    return _urgent(ended_text(session_view(session), reader))


async def end_button(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return [[_end(moved.subject)]]


async def extend_or_end(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    if session_view(moved.subject).prepaid:  # a package's session is not extended
        return [[_end(moved.subject)]]
    return [[_extend(moved.subject)], [_end(moved.subject)]]


async def review(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return _ended(session_view(moved.subject))[0][1]


async def recap_notes(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return _ended(session_view(moved.subject))[1][1]


async def _free_start(uow: UnitOfWork, session: ConsultSession, reader: int, link: str) -> str:
    until = await when_for(uow, reader, session.paid_from or session.starts_at)
    return _("▶ Session #{id} has started. The first {free_minutes} minutes are free: "
             "ending before {until} costs nothing. Then {price}.{link}", id=session.id,
             free_minutes=FREE_MINUTES, until=until, price=price_text(session_view(session)), link=link)


def ended_text(session: SessionView, reader_id: int | None) -> str:
    """What an ended session means for this party (the chat's answer to whoever ended it)."""
    to_seeker, to_consultant = _ended(session)
    return (to_seeker if reader_id == session.seeker_id else to_consultant)[0]


def _ended(session: SessionView) -> tuple[tuple[str, ActionRows], ...]:
    assert session.ended_at is not None
    took = _clock(session, session.ended_at)
    charged = session.charged or Money(0, session.rate.currency)
    if session.prepaid:
        return _prepaid_ended(session, took, charged)
    money = (_("⏹ Session #{id} ended ({took}). {charged} is charged; the receipt follows.",
               id=session.id, took=took, charged=charged) if charged.amount else
             _("⏹ Session #{id} ended ({took}). Nothing is charged; the authorisation is "
               "cancelled.", id=session.id, took=took))
    earned = (_("⏹ Session #{id} ended ({took}). {charged} is charged; you are paid it minus "
                "the platform's commission.", id=session.id, took=took, charged=charged)
              if charged.amount else
              _("⏹ Session #{id} ended ({took}). Nothing is charged.", id=session.id, took=took))
    return _with_next_steps(session, money, earned)


def _with_next_steps(session: SessionView, to_seeker: str, to_consultant: str
                     ) -> tuple[tuple[str, ActionRows], ...]:
    """Each party's ending with their next steps: the seeker's review and recap, the
    consultant's recap notes."""
    review = [[_do(ConsultingIntent.REVIEW_SESSION, N_("⭐ Review the session"), session)],
              [Action(ConsultingIntent.SESSION_RECAP, N_("📄 Get the recap"), f"get:{session.id}")]]
    notes = [[Action(ConsultingIntent.SESSION_RECAP, N_("📝 Write recap notes"), f"notes:{session.id}")]]
    return ((to_seeker, review), (to_consultant, notes))


def _prepaid_ended(session: SessionView, took: str, charged: Money
                   ) -> tuple[tuple[str, ActionRows], ...]:
    """A package's session ended: used from the package, or back in it (ended free)."""
    if charged.amount:
        money = _("⏹ Session #{id} ended ({took}). It was one session of your package.",
                  id=session.id, took=took)
        earned = _("⏹ Session #{id} ended ({took}). Its share of the package, {charged}, is "
                   "paid to you minus the platform's commission.", id=session.id, took=took,
                   charged=charged)
    else:
        money = _("⏹ Session #{id} ended ({took}) in its free minutes: the session goes back "
                  "to your package.", id=session.id, took=took)
        earned = _("⏹ Session #{id} ended ({took}) in its free minutes: the session goes back "
                   "to the seeker's package.", id=session.id, took=took)
    return _with_next_steps(session, money, earned)


# The session's notices as declared in core.consulting.sessions.lifecycle, made sendable.
SESSIONS = NoticeBook(
    SESSION_PROCESS, _moved,
    texts={"started_free": started_free, "started_paid": started_paid,
           "called_off": called_off, "went_paid": went_paid, "time_up": time_up,
           "extended": extended, "ended": ended},
    buttons={"end": end_button, "extend_or_end": extend_or_end, "review": review,
             "recap_notes": recap_notes},
)
