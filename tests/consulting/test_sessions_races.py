"""Races on SQLite and PostgreSQL: a double tap on End, both parties ending at once, an end
racing the switch to paid, both joining at once — each happens once, and money moves once."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from core.consulting.sessions import service as sessions
from core.process.tables import ProcessTimer
from payments.tables import PaymentOperation
from tests.consulting.session_support import act, book, live, people, row, tick, told


async def _operations(app, kind: str) -> int:
    async with app.uow() as uow:
        return (await uow.session.execute(select(func.count(PaymentOperation.id)).where(
            PaymentOperation.kind == kind))).scalar_one()


async def _ended_notices(app, account_id: int) -> int:
    return sum("⏹ Session #" in p["text"] for p in await told(app, account_id))


async def test_a_double_tap_on_end_ends_the_session_once(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=20)
    first = await act(app, sessions.end, session_id, seeker)
    clock.advance(seconds=2)
    again = await act(app, sessions.end, session_id, seeker)
    assert first.ended_at == again.ended_at and again.charged_minor == 6000
    assert await _operations(app, "capture") == 1
    assert (await _ended_notices(app, seeker), await _ended_notices(app, consultant)) == (0, 1)


async def test_both_parties_ending_at_the_same_moment_end_it_once(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=20)
    await asyncio.gather(act(app, sessions.end, session_id, seeker),
                         act(app, sessions.end, session_id, consultant))
    ended = await row(app, session_id)
    assert ended.status == "ended_paid" and ended.ended_by in ("seeker", "consultant")
    assert await _operations(app, "capture") == 1
    ender, other = (seeker, consultant) if ended.ended_by == "seeker" else (consultant, seeker)
    assert (await _ended_notices(app, ender), await _ended_notices(app, other)) == (0, 1)


async def test_an_end_racing_the_switch_to_paid_charges_once(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=10, seconds=30)
    await asyncio.gather(act(app, sessions.end, session_id, seeker), tick(app))
    ended = await row(app, session_id)
    assert (ended.status, ended.charged_minor) == ("ended_paid", 6000)
    assert await _operations(app, "capture") == 1
    assert await _operations(app, "void") == 0


async def test_both_joining_at_once_start_the_session_once(app, clock):
    seeker, consultant = await people(app)
    session_id = await book(app, seeker, consultant)
    await asyncio.gather(act(app, sessions.join, session_id, seeker),
                         act(app, sessions.join, session_id, consultant))
    assert (await row(app, session_id)).status == "live_free"
    async with app.uow() as uow:
        armed = (await uow.session.execute(select(func.count(ProcessTimer.id)).where(
            ProcessTimer.process == "session", ProcessTimer.state == "live_free"))).scalar_one()
    assert armed == 1
    started = [p for p in await told(app, seeker) if "has started" in p["text"]]
    assert len(started) == 1
