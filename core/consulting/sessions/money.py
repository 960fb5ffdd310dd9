"""A session's charge from its row, and the free window from the pair's history: the
database side of the session's money rules (core.consulting.sessions.rules)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.consulting.sessions.rules import STARTED, charge, free_window, parse_free_rule
from core.consulting.sessions.tables import ConsultSession
from core.money.model import Money
from core.storage.uow import UnitOfWork


def rate_of(session: ConsultSession) -> Money:
    """The session's agreed rate (per minute or per session, as `rate_unit` says)."""
    return Money(session.rate_minor, session.currency)


def charged_of(session: ConsultSession) -> Money | None:
    """What the session was charged, once it was (None before)."""
    return None if session.charged_minor is None else Money(session.charged_minor, session.currency)


def charge_for(session: ConsultSession, ended_at: datetime) -> Money:
    """What the seeker pays for this session ending at `ended_at` (rules.charge)."""
    return charge(Money(session.rate_minor, session.currency), session.rate_unit,
                  session.started_at, session.paid_from, session.booked_minutes,
                  session.extended_minutes, Money(session.authorised_minor, session.currency),
                  ended_at)


async def free_window_for(uow: UnitOfWork, seeker_id: int | None, consultant_id: int,
                          excluding: int | None = None) -> int:
    """Free minutes this seeker's next session with this consultant starts with (the booking
    card says so): 10, or 0 once the rule's free sessions for the pair are used (no seeker:
    none are, for someone new to the consultant)."""
    rule = parse_free_rule(uow.policy.free_minutes_rule)
    if rule.kind != "once" or seeker_id is None:
        return free_window(rule, 0)
    query = select(func.count(ConsultSession.id)).where(
        ConsultSession.seeker_id == seeker_id, ConsultSession.consultant_id == consultant_id,
        ConsultSession.free_used.is_(True), ConsultSession.status.in_(STARTED))
    if excluding is not None:
        query = query.where(ConsultSession.id != excluding)
    if rule.days is not None:
        query = query.where(ConsultSession.started_at >= uow.clock.now() - timedelta(days=rule.days))
    used = (await uow.session.execute(query)).scalar_one()
    return free_window(rule, used)


def started_with(session: ConsultSession | None) -> int | None:
    """The free minutes a session that has started started with (None: not started yet)."""
    if session is not None and session.started_at and session.paid_from:
        return round((session.paid_from - session.started_at).total_seconds() / 60)
    return None
