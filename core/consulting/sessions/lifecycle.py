"""The live session, declared once: from both parties joining, through the free first minutes
and the paid time, to its end — who may take each step and which deadline each state starts.
`take` is the only way a session moves: a guarded move in its `Logbook`, the timers
of the state left stopped and those of the state entered started, and, on ending, what is due."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from core.consulting.sessions.events import SessionMoved
from core.consulting.sessions.logbook import Logbook
from core.consulting.sessions.money import charge_for
from core.consulting.sessions.rules import FREE_MINUTES
from core.consulting.sessions.tables import ConsultSession
from core.errors import Conflict
from core.i18n import N_, _
from core.process.bookings import CONSULTANT_GRACE
from core.process.diagrams import diagram_and_table
from core.process.model import ADMIN, SYSTEM, Notice, Process, Timer, Transition

SEEKER, CONSULTANT = "seeker", "consultant"
PARTY = (SEEKER, CONSULTANT)
NO_SHOW_AFTER = CONSULTANT_GRACE  # after the scheduled start (the booking policy states it)
NUDGE_BEFORE = timedelta(minutes=2)  # “End now — free” at minute 8
EXTEND_BEFORE = timedelta(minutes=5)  # the seeker is offered more time before the booked end
OVERTIME = timedelta(minutes=5)  # past the booked end, the seeker may still extend this long
LIVE = ("live_free", "live_paid", "overtime")
ENDED = ("ended_free", "ended_paid")  # the session took place
CLOSED = (*ENDED, "no_show", "called_off")

STATE_LABELS = {
    "waiting": N_("waiting for both to join"),
    "live_free": f"live — the first {FREE_MINUTES} minutes are free",
    "live_paid": N_("live — paid time"),
    "overtime": N_("live — the booked time is up"),
    "ended_free": N_("ended in the free minutes — nothing charged"),
    "ended_paid": N_("ended — charged"),
    "no_show": N_("not held — someone did not join"),
    "called_off": N_("called off"),
}



def _both(text: str, buttons: str = "") -> tuple[Notice, ...]:
    """The seeker, then the consultant, hear `text` (sent by core.consulting.sessions.notices;
    urgent: a live session ignores quiet hours)."""
    return (Notice(SEEKER, text, buttons), Notice(CONSULTANT, text, buttons))


# An ending: the seeker may review and get the recap, the consultant write recap notes; whoever
# ended it read it in their own chat's answer.
_ENDED = (Notice(SEEKER, "ended", "review"), Notice(CONSULTANT, "ended", "recap_notes"))

class SessionState(StrEnum):
    """A session's `status`: the states of SESSION_PROCESS, compared by name."""

    WAITING = "waiting"
    LIVE_FREE = "live_free"
    LIVE_PAID = "live_paid"
    NO_SHOW = "no_show"
    CALLED_OFF = "called_off"
    ENDED_FREE = "ended_free"
    OVERTIME = "overtime"
    ENDED_PAID = "ended_paid"


# What else a session's transitions set going, and who carries it out (core.process.effects).
SETTLE, COUNT, POINTS = "settle-payment", "count-session", "earn-points"
SESSION_EFFECTS = {
    SETTLE: "payments: the authorisation is voided (ended in the free minutes) or what is due "
            "is captured, never more than was authorised",
    COUNT: "consulting: the session counts towards the consultant's completed sessions",
    POINTS: "loyalty: both parties earn points for a session that took place",
    "booking-in-session": "consulting: the booking is in session",
    "booking-completed": "consulting: the booking is completed",
    "booking-no-show": "consulting: the booking records who did not come (a seeker's absence "
                       "may cost the policy's fee)",
    "booking-called-off": "consulting: the booking is called off (a cancellation is past it)",
}
STARTS = ("booking-in-session",)
TOOK_PLACE = (SETTLE, COUNT, POINTS, "booking-completed")

SESSION_PROCESS = Process(
    name="session",
    initial="waiting",
    effects=SESSION_EFFECTS,
    transitions=(
        Transition("start-free", ("waiting",), "live_free", (*PARTY, SYSTEM),
                   notices=_both("started_free", "end"), effects=STARTS),
        Transition("start-paid", ("waiting",), "live_paid", (*PARTY, SYSTEM),
                   notices=_both("started_paid", "end"), effects=STARTS),
        Transition("no-show", ("waiting",), "no_show", (SYSTEM,),
                   silent="the booking's notices say who did not come, with what it costs",
                   effects=("booking-no-show",)),
        # Called off by the system (its booking ended), only the booking's notices say it.
        Transition("call-off", ("waiting",), "called_off", (SYSTEM, ADMIN),
                   notices=_both("called_off"), effects=("booking-called-off",)),
        Transition("go-paid", ("live_free",), "live_paid", (SYSTEM,),
                   notices=_both("went_paid", "end")),
        Transition("end-free", ("live_free",), "ended_free", PARTY, N_("End now — free"),
                   notices=_ENDED, effects=TOOK_PLACE),
        Transition("time-up", ("live_paid",), "overtime", (SYSTEM,),
                   notices=(Notice(SEEKER, "time_up", "extend_or_end"),
                            Notice(CONSULTANT, "time_up", "end"))),
        Transition("extend", ("live_paid", "overtime"), "live_paid", (SYSTEM,),
                   notices=_both("extended", "end")),
        Transition("end-paid", ("live_paid", "overtime"), "ended_paid", PARTY,
                   N_("End the session"), notices=_ENDED, effects=TOOK_PLACE),
        Transition("overtime-ends", ("overtime",), "ended_paid", (SYSTEM,), notices=_ENDED,
                   effects=TOOK_PLACE),
    ),
    final=CLOSED,
    timers=(
        # The call to join goes when the booking opens the session (core.consulting.sessions.link).
        Timer("waiting", NO_SHOW_AFTER, "no-show", at="10 min after the scheduled start"),
        Timer("live_free", timedelta(minutes=FREE_MINUTES), "go-paid", (NUDGE_BEFORE,)),
        Timer("live_paid", timedelta(0), "time-up", (EXTEND_BEFORE,),
              at="the booked end, extensions included"),
        Timer("overtime", OVERTIME, "overtime-ends"),
    ),
)


async def role_of(book: Logbook, session: ConsultSession, actor_id: int | None) -> str | None:
    """seeker, consultant, admin, system (no actor) — or None for anyone else."""
    if actor_id is None:
        return SYSTEM
    if actor_id == session.seeker_id:
        return SEEKER
    if actor_id == session.consultant_id:
        return CONSULTANT
    return ADMIN if await book.is_admin(actor_id) else None


def deadlines(session: ConsultSession) -> dict[str, datetime]:
    """When each timer of this session falls due (the process's own `after` for the rest)."""
    due = {"no-show": session.starts_at + NO_SHOW_AFTER}
    if session.paid_from is not None:
        due["go-paid"] = session.paid_from
    if session.started_at is not None:
        due["time-up"] = session.started_at + timedelta(
            minutes=session.booked_minutes + session.extended_minutes)
    return due


async def take(book: Logbook, session: ConsultSession, transition: str, role: str,
               **values: Any) -> ConsultSession:
    """Take `transition` as `role`, setting `values` in the same guarded update; an ending
    records when, by whom and what is due (on a unit of work: `take(logbook_of(uow), …)`)."""
    step = SESSION_PROCESS.check(transition, session.status, role)
    source, now = session.status, book.now()
    changes: dict[str, Any] = {"status": step.target, "updated_at": now, **values}
    if step.target in CLOSED:
        changes.setdefault("ended_at", now)
        changes.setdefault("ended_by", role)
        charged = charge_for(session, now) if step.target == "ended_paid" else None
        changes["charged_minor"] = charged.amount if charged is not None else 0
    if not await book.move(session, source, changes):
        raise Conflict(_("That session moved on a moment ago; look at it again."))
    if step.target != source:
        await book.stop_timers(session.id, source)
    await book.restart_timers(session.id, step.target, deadlines(session))
    book.emit(SessionMoved(session.id, transition, source, step.target))
    return session


def markdown() -> str:
    """The process as a Markdown page (docs/session-process.md is this, written out)."""
    return ("# Session process\n"
            "Generated from `core/consulting/sessions/lifecycle.py` (a test fails when this file "
            "and the declaration differ). *Who hears* is each transition's declared notices, "
            "sent by `core/consulting/sessions/notices.py`.\n"
            + diagram_and_table(SESSION_PROCESS))
