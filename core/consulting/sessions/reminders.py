"""The session reminders its timers send once each, before a deadline: “End now — free” near
the end of the free minutes, and the offer to extend before the booked end."""

from __future__ import annotations

from core.actions import ActionRows
from core.consulting.sessions.lifecycle import EXTEND_BEFORE, NUDGE_BEFORE, SESSION_PROCESS, SessionState
from core.consulting.sessions.notice_parts import _end, _extend, _minutes, _names, _session, _tell, price_text
from core.consulting.sessions.rules import FREE_MINUTES
from core.consulting.sessions.tables import ConsultSession
from core.consulting.sessions.view import session_view
from core.i18n import _
from core.notifications.outbox import addressed_to
from core.process import timers
from core.storage.uow import UnitOfWork

HORIZON = max(o for t in SESSION_PROCESS.timers for o in t.remind)


async def remind_due(uow: UnitOfWork) -> int:
    """Send the session reminders now due before a deadline, each once; returns how many."""
    now, sent = uow.clock.now(), 0
    for timer in await timers.upcoming(uow, HORIZON):
        if timer.process != SESSION_PROCESS.name:
            continue
        offsets = next((t.remind for t in SESSION_PROCESS.timers_in(timer.state)
                        if t.fires == timer.fires), ())
        passed = [o for o in offsets if timer.due_at - o <= now]
        if [o for o in passed if await timers.mark_reminded(uow, timer.id, o)]:
            sent += await remind(uow, timer.subject_id, timer.state)
    return sent


async def remind(uow: UnitOfWork, session_id: int, state: str) -> int:
    """The reminder of a state's timer: “End now — free” at minute 8, the offer to extend
    before the booked end (the call to join goes when the session opens). Returns how many."""
    session = await _session(uow, session_id)
    if session is None or session.status != state:
        return 0
    await _names(uow, session)  # the recipients' addresses, loaded once
    wanted: list[int] = []
    if state == SessionState.LIVE_FREE:
        wanted.append(session.seeker_id)
    elif state == SessionState.LIVE_PAID:
        wanted += [session.seeker_id, session.consultant_id]
    for account_id in wanted:
        async with addressed_to(uow, account_id):
            text, buttons = _reminder(session, state, account_id)
            await _tell(uow, account_id, text, buttons)
    return len(wanted)


def _reminder(session: ConsultSession, state: str, account_id: int) -> tuple[str, ActionRows]:
    """A reminder's text and buttons, for this reader."""
    if state == SessionState.LIVE_FREE:
        return (_("⏳ {minutes} free minutes left in session #{id}. End now and nothing is "
                  "charged; from {free_minutes}:00 it is {price}.", minutes=_minutes(NUDGE_BEFORE),
                  id=session.id, free_minutes=FREE_MINUTES, price=price_text(session_view(session))),
                [[_end(session)]])
    if account_id == session.seeker_id:
        return (_("⏳ {minutes} minutes of booked time left in session #{id}. Extend it?",
                  minutes=_minutes(EXTEND_BEFORE), id=session.id),
                [[_extend(session)], [_end(session)]])
    return (_("⏳ {minutes} minutes of booked time left in session #{id}.",
              minutes=_minutes(EXTEND_BEFORE), id=session.id), [])
