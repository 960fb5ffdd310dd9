"""The booking process's periodic work, as plain functions the scheduler calls: due timers taken
by the system (each in its own short transaction, claimed by a conditional update, so a late,
repeated or doubled run does nothing wrong) and the reminders before each session."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from core.consulting import reminders
from core.consulting.money import unpaid
from core.consulting.moves import take
from core.consulting.process import BOOKING_PROCESS
from core.consulting.tables import Booking
from core.deals import timers
from core.money.ports import PaymentsPort
from core.storage.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)
RETRY_AFTER = timedelta(minutes=5)
Guard = Callable[[UnitOfWork, Booking, PaymentsPort], Awaitable[bool]]


async def _unpaid(uow: UnitOfWork, booking: Booking, payments: PaymentsPort) -> bool:
    return await unpaid(payments, uow, booking.id)


# A timer's transition is taken only while its condition holds; otherwise it lapses quietly.
# (No-shows are not here: the session's own timer decides them; core.consulting.session_link.)
GUARDS: dict[str, Guard] = {"release-unpaid": _unpaid}


async def run_all(uow_factory: UowFactory, payments: PaymentsPort, limit: int = 200
                  ) -> list[tuple[int, str]]:
    """Take every due booking timer; returns (booking id, transition) of each one taken."""
    async with uow_factory() as uow:
        due = await timers.due(uow, BOOKING_PROCESS, limit=limit)
    taken = []
    for timer_id in due:
        try:
            async with uow_factory() as uow:
                outcome = await fire(uow, timer_id, payments)
                await uow.commit()
        except Exception:
            log.exception("booking timer %s failed; it is tried again in %s", timer_id,
                          RETRY_AFTER)
            await _postpone(uow_factory, timer_id)
            continue
        if outcome is not None:
            taken.append(outcome)
    return taken


async def fire(uow: UnitOfWork, timer_id: int, payments: PaymentsPort
               ) -> tuple[int, str] | None:
    """Claim one due timer and take its transition as the system; None when another worker
    claimed it, the booking moved on, or the transition's condition no longer holds."""
    timer = await timers.claim(uow, timer_id, BOOKING_PROCESS)
    if timer is None:
        return None
    booking = await uow.session.get(Booking, timer.subject_id, populate_existing=True)
    if booking is None or booking.status not in BOOKING_PROCESS.transition(timer.fires).sources:
        return None
    guard = GUARDS.get(timer.fires)
    if guard is not None and not await guard(uow, booking, payments):
        return None
    async with uow.session.begin_nested():
        await take(uow, booking.id, timer.fires, None)
    return booking.id, timer.fires


async def remind_all(uow_factory: UowFactory) -> int:
    """Send every booking reminder now due; returns how many notices went."""
    async with uow_factory() as uow:
        soon = [t.id for t in await timers.upcoming(uow, reminders.HORIZON, BOOKING_PROCESS)]
    sent = 0
    for timer_id in soon:
        try:
            async with uow_factory() as uow:
                sent += await reminders.remind(uow, timer_id)
                await uow.commit()
        except Exception:
            log.exception("reminders of booking timer %s failed; the next run tries again",
                          timer_id)
    return sent


async def _postpone(uow_factory: UowFactory, timer_id: int) -> None:
    try:
        async with uow_factory() as uow:
            await timers.postpone(uow, timer_id, RETRY_AFTER)
            await uow.commit()
    except Exception:
        log.exception("booking timer %s could not be postponed", timer_id)
