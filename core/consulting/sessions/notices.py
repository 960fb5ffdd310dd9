"""What the seeker and the consultant hear during a session: event handlers writing to the
outbox in the emitting transaction (urgent: a live session ignores quiet hours), the reminders
its timers send once each."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.accounts.tables import Account
from core.actions import Action, ActionRows, Intent
from core.consulting.sessions.events import (
    CallLinkSet,
    RecapGranted,
    ReviewReplied,
    SessionJoined,
    SessionMessagePosted,
    SessionMoved,
    SessionReviewed,
)
from core.consulting.sessions.lifecycle import (
    CONSULTANT,
    EXTEND_BEFORE,
    NUDGE_BEFORE,
    OVERTIME,
    SEEKER,
    SESSION_PROCESS,
    SessionState,
)
from core.consulting.sessions.rules import FREE_MINUTES, extension_price
from core.consulting.sessions.tables import (
    ConsultSession,
    SessionExtension,
    SessionMessage,
    SessionReview,
)
from core.consulting.sessions.view import SessionView, session_view
from core.deals.notices.timers import when_for
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify, recipients
from core.process import timers
from core.process.model import SYSTEM
from core.process.notices import Moved, NoticeBook, Said
from core.storage.uow import UnitOfWork

HORIZON = max(o for t in SESSION_PROCESS.timers for o in t.remind)
EXTEND_BY = 15  # minutes the Extend button offers


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _do(intent: Intent, label: str, session: ConsultSession | SessionView) -> Action:
    return Action(intent, label, str(session.id))


def _end(session: ConsultSession) -> Action:
    free = session.status == SessionState.LIVE_FREE
    return _do(Intent.END_SESSION, N_("⏹ End now — free") if free else N_("⏹ End the session"),
               session)


def _extend(session: ConsultSession) -> Action:
    more = extension_price(Money(session.rate_minor, session.currency), session.rate_unit,
                           EXTEND_BY)
    return Action(Intent.EXTEND_SESSION, _("➕ {minutes} min (+{amount})", minutes=EXTEND_BY,
                                           amount=more), f"{session.id}:{EXTEND_BY}")


def price_text(session: SessionView) -> str:
    """“€2.00 per minute”, “€60.00 for the session”, “€72.00 from the package”."""
    if session.prepaid:
        return _("{rate} from the package", rate=session.rate)
    return (_("{rate} per minute", rate=session.rate) if session.rate_unit == "minute"
            else _("{rate} for the session", rate=session.rate))


def elapsed(session: SessionView, now: datetime) -> str:
    """The visible clock: “⏱ 12:34 · paid”, or “· free” in the free minutes."""
    clock = _clock(session, now)
    if session.started_at is None:
        return clock
    if session.paid_from and now < session.paid_from:
        return _("{clock} · free", clock=clock)
    return _("{clock} · paid", clock=clock)


def _clock(session: SessionView, now: datetime) -> str:
    """“⏱ 12:34”: the time since the start."""
    if session.started_at is None:
        return _("⏱ not started")
    seconds = max(0, int((now - session.started_at).total_seconds()))
    return f"⏱ {seconds // 60:02d}:{seconds % 60:02d}"


async def _tell(uow: UnitOfWork, account_id: int, text: str, buttons: ActionRows | None = None,
                attachment: dict[str, str] | None = None) -> None:
    await notify(uow, account_id, text, buttons=buttons, urgent=True, attachment=attachment)


async def _names(uow: UnitOfWork, session: ConsultSession) -> dict[int, str]:
    await recipients(uow, {session.seeker_id, session.consultant_id})
    names = {}
    for account_id in (session.seeker_id, session.consultant_id):
        account = await uow.get(Account, account_id)
        names[account_id] = account.display_name if account else "?"
    return names


async def _session(uow: UnitOfWork, session_id: int) -> ConsultSession | None:
    return await uow.get(ConsultSession, session_id)


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
                    [[_do(Intent.JOIN_SESSION, N_("▶ Join"), session)]])


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


def call_line(session: ConsultSession) -> str:
    """“📞 Call: https://…” on a new line, where the session's parties meet (empty without)."""
    return _("\n📞 Call: {link}", link=session.call_link) if session.call_link else ""


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
    review = [[_do(Intent.REVIEW_SESSION, N_("⭐ Review the session"), session)],
              [Action(Intent.SESSION_RECAP, N_("📄 Get the recap"), f"get:{session.id}")]]
    notes = [[Action(Intent.SESSION_RECAP, N_("📝 Write recap notes"), f"notes:{session.id}")]]
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


async def on_message(uow: UnitOfWork, event: SessionMessagePosted) -> None:
    """Relay a session message to the other party on their own channel, with the clock."""
    session = await _session(uow, event.session_id)
    message = await uow.get(SessionMessage, event.message_id)
    sender = await uow.get(Account, event.sender_id)
    if session is None or message is None:
        return
    file = {"kind": "session-file", "key": str(message.id)} if message.file_path else None
    name = sender.display_name if sender else "?"
    async with addressed_to(uow, event.recipient_id):
        clock = elapsed(session_view(session), message.created_at)
        await _tell(uow, event.recipient_id, f"💬 {name} · {clock}\n{message.text}",
                    attachment=file)


async def on_call_link(uow: UnitOfWork, event: CallLinkSet) -> None:
    """The seeker gets the consultant's call link; the chat keeps time."""
    session = await _session(uow, event.session_id)
    if session is not None and session.call_link:
        async with addressed_to(uow, session.seeker_id):
            await _tell(uow, session.seeker_id, _("📞 Call link for session #{id}: "
                        "{link}\nThe chat keeps time and carries files.", id=session.id,
                        link=session.call_link))


async def on_recap_granted(uow: UnitOfWork, event: RecapGranted) -> None:
    """The seeker gets the recap as a PDF."""
    session = await _session(uow, event.session_id)
    if session is not None:
        async with addressed_to(uow, session.seeker_id):
            await notify(uow, session.seeker_id, _("📝 The recap of session #{id} is attached.",
                                                   id=session.id),
                         attachment={"kind": "session-recap", "key": str(session.id)})


async def on_reviewed(uow: UnitOfWork, event: SessionReviewed) -> None:
    """The consultant hears of a new review, with Reply (once)."""
    review = await uow.get(SessionReview, event.review_id)
    if review is not None:
        said = f"\n“{review.comment}”" if review.comment else ""
        async with addressed_to(uow, review.consultant_id):
            await notify(uow, review.consultant_id, _(
                "{stars} A review of session #{id}.{said}", stars="⭐" * review.stars,
                id=review.session_id, said=said), buttons=[[Action(
                    Intent.REVIEW_SESSION, N_("↩ Reply"), f"reply:{review.session_id}")]])


async def on_replied(uow: UnitOfWork, event: ReviewReplied) -> None:
    """The seeker hears the consultant's reply to their review."""
    review = await uow.get(SessionReview, event.review_id)
    if review is not None:
        async with addressed_to(uow, review.seeker_id):
            await notify(uow, review.seeker_id, _("↩ The consultant replied to your review of "
                         "session #{id}:\n“{reply}”", id=review.session_id, reply=review.reply))


async def ask_to_authorise(uow: UnitOfWork, extension_id: int, escrow_id: int) -> None:
    """The seeker is asked to authorise an extension's larger amount (the money layer opened it)."""
    extension = await uow.get(SessionExtension, extension_id)
    session = await _session(uow, extension.session_id) if extension else None
    if extension is None or session is None:
        return
    amount = Money(extension.amount_minor, session.currency)
    async with addressed_to(uow, session.seeker_id):
        await _tell(uow, session.seeker_id, _("➕ To add {minutes} minutes to session "
                    "#{id}, authorise {amount} in all; it replaces the current "
                    "authorisation, and only the time used is charged.",
                    minutes=extension.minutes, id=session.id, amount=amount),
                    [[Action(Intent.PAY, N_("💳 Authorise"), str(escrow_id))]])


async def ask_to_pay_recap(uow: UnitOfWork, session_id: int, escrow_id: int, price: Money
                           ) -> None:
    """The seeker is asked to pay for the recap; it is sent once paid."""
    session = await _session(uow, session_id)
    if session is not None:
        async with addressed_to(uow, session.seeker_id):
            await notify(uow, session.seeker_id, _("📝 The recap of session #{id} costs "
                         "{price}; it is sent to you once paid.", id=session_id, price=price),
                         buttons=[[Action(Intent.PAY, N_("💳 Pay for the recap"), str(escrow_id))]])


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
    if state == "live_free":
        wanted.append(session.seeker_id)
    elif state == "live_paid":
        wanted += [session.seeker_id, session.consultant_id]
    for account_id in wanted:
        async with addressed_to(uow, account_id):
            text, buttons = _reminder(session, state, account_id)
            await _tell(uow, account_id, text, buttons)
    return len(wanted)


def _reminder(session: ConsultSession, state: str, account_id: int) -> tuple[str, ActionRows]:
    """A reminder's text and buttons, for this reader."""
    if state == "live_free":
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



# The session's notices as declared in core.consulting.sessions.lifecycle, made sendable.
SESSIONS = NoticeBook(
    SESSION_PROCESS, _moved,
    texts={"started_free": started_free, "started_paid": started_paid,
           "called_off": called_off, "went_paid": went_paid, "time_up": time_up,
           "extended": extended, "ended": ended},
    buttons={"end": end_button, "extend_or_end": extend_or_end, "review": review,
             "recap_notes": recap_notes},
)
