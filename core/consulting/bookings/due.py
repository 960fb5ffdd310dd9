"""The booking process's periodic work, as plain functions the scheduler calls: due timers taken
by the system (each in its own short transaction, claimed by a conditional update, so a late,
repeated or doubled run does nothing wrong) and the reminders before each session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.consulting.bookings import reminders
from core.consulting.bookings.moves import reference, take
from core.consulting.tables import Booking
from core.payments_port import EscrowState, PaymentsPort
from core.process import timers
from core.process.bookings import BOOKING_PROCESS
from core.process.timer_jobs import fire_each, remind_each
from core.storage.uow import UnitOfWork, UowFactory

UNPAID = (EscrowState.AWAITING_AUTHORISATION,)  # an escrow still waiting for the seeker's authorisation

Guard = Callable[[UnitOfWork, Booking, PaymentsPort], Awaitable[bool]]


async def unpaid(payments: PaymentsPort, uow: UnitOfWork, booking_id: int) -> bool:
    """Whether the booking's authorisation is still missing (in the caller's transaction)."""
    escrow = await payments.by_reference(reference(booking_id), uow)
    return escrow is None or escrow.state in UNPAID


async def _unpaid(uow: UnitOfWork, booking: Booking, payments: PaymentsPort) -> bool:
    if booking.package_purchase_id is not None:  # prepaid by its package
        return False
    return await unpaid(payments, uow, booking.id)


# A timer's transition is taken only while its condition holds; otherwise it lapses quietly.
# (No-shows are not here: the session's own timer decides them; core.consulting.sessions.link.)
GUARDS: dict[str, Guard] = {"release-unpaid": _unpaid}


async def run_all(uow_factory: UowFactory, payments: PaymentsPort, limit: int = 200
                  ) -> list[tuple[int, str]]:
    """Take every due booking timer; returns (booking id, transition) of each one taken."""
    async with uow_factory() as uow:
        due = await timers.due(uow, BOOKING_PROCESS, limit=limit)

    async def one(uow: UnitOfWork, timer_id: int) -> tuple[int, str] | None:
        return await fire(uow, timer_id, payments)

    return await fire_each(uow_factory, due, one, "booking")


async def fire(uow: UnitOfWork, timer_id: int, payments: PaymentsPort
               ) -> tuple[int, str] | None:
    """Claim one due timer and take its transition as the system; None when another worker
    claimed it, the booking moved on, or the transition's condition no longer holds."""
    timer = await timers.claim(uow, timer_id, BOOKING_PROCESS)
    if timer is None:
        return None
    booking = await uow.get(Booking, timer.subject_id, populate_existing=True)
    if booking is None or booking.status not in BOOKING_PROCESS.transition(timer.fires).sources:
        return None
    guard = GUARDS.get(timer.fires)
    if guard is not None and not await guard(uow, booking, payments):
        return None
    async with uow.nested():
        await take(uow, booking.id, timer.fires, None)
    return booking.id, timer.fires


async def remind_all(uow_factory: UowFactory) -> int:
    """Send every booking reminder now due; returns how many notices went."""
    async with uow_factory() as uow:
        soon = [t.id for t in await timers.upcoming(uow, reminders.HORIZON, BOOKING_PROCESS)]
    return await remind_each(uow_factory, soon, reminders.remind, "booking")
