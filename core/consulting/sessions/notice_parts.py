"""What every session notice is made of: the session's price and running clock in words, its
End and Extend buttons, the line with its call link, the parties' names, and telling a party
urgently (a live session ignores quiet hours)."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.actions import Action, ActionRows, Intent
from core.consulting.intents import ConsultingIntent
from core.consulting.sessions.lifecycle import SessionState
from core.consulting.sessions.rules import extension_price
from core.consulting.sessions.sql_logbook import logbook_of
from core.consulting.sessions.tables import ConsultSession
from core.consulting.sessions.view import SessionView
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import account_of, notify, recipients
from core.storage.uow import UnitOfWork

EXTEND_BY = 15  # minutes the Extend button offers


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _do(intent: Intent, label: str, session: ConsultSession | SessionView) -> Action:
    return Action(intent, label, str(session.id))


def _end(session: ConsultSession) -> Action:
    free = session.status == SessionState.LIVE_FREE
    return _do(ConsultingIntent.END_SESSION, N_("⏹ End now — free") if free else N_("⏹ End the session"),
               session)


def _extend(session: ConsultSession) -> Action:
    more = extension_price(Money(session.rate_minor, session.currency), session.rate_unit,
                           EXTEND_BY)
    return Action(ConsultingIntent.EXTEND_SESSION, _("➕ {minutes} min (+{amount})", minutes=EXTEND_BY,
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
        account = await account_of(uow, account_id)  # as `recipients` just read them
        names[account_id] = account.display_name if account else "?"
    return names


async def _session(uow: UnitOfWork, session_id: int) -> ConsultSession | None:
    return await logbook_of(uow).session(session_id)


def call_line(session: ConsultSession) -> str:
    """“📞 Call: https://…” on a new line, where the session's parties meet (empty without)."""
    return _("\n📞 Call: {link}", link=session.call_link) if session.call_link else ""
