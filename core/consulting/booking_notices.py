"""The booking's notices as declared in core.process.bookings, made sendable: how a
`BookingMoved` reads, and the text and buttons builders each declared name stands for. The
handler (`BOOKINGS.on_moved`) is declared in core.consulting.wiring.

It sits above the bookings and the sessions because a confirmation states what the session
will start free, which only the sessions' history knows (the sessions already build on the
bookings, so the bookings cannot ask them)."""

from __future__ import annotations

from core.consulting.bookings.notices import endings as ended
from core.consulting.bookings.notices import parties as notices
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.events import BookingMoved
from core.consulting.sessions import from_booking
from core.process.bookings import BOOKING_PROCESS, CONSULTANT, OTHER, SEEKER
from core.process.notices import Moved, NoticeBook, Said
from core.storage.uow import UnitOfWork

_TRANSITIONS = {t.name for t in BOOKING_PROCESS.transitions}


async def _booking_moved(uow: UnitOfWork, event: BookingMoved) -> Moved | None:
    """The move, with the party who did not take it as OTHER (none for the system or an
    admin). The request that opens a booking is no transition: its notice is by hand."""
    if event.transition not in _TRANSITIONS:
        return None
    booking = await diary_of(uow).booking(event.booking_id)
    if booking is None:
        return None
    parties = {SEEKER: booking.seeker_id, CONSULTANT: booking.consultant_id}
    if event.actor_id in parties.values():
        parties[OTHER] = (booking.seeker_id if event.actor_id == booking.consultant_id
                          else booking.consultant_id)
    return Moved(event.transition, booking, parties, event.source, event.target, event)


async def _confirmed(uow: UnitOfWork, moved: Moved, role: str, me: int) -> Said | None:
    return await notices.confirmed(uow, moved, role, me,
                                   free_minutes=await from_booking.free_minutes_of(
                                       uow, moved.subject))


BOOKINGS = NoticeBook(
    BOOKING_PROCESS, _booking_moved,
    texts={"confirmed": _confirmed, "rescheduled": _confirmed,
           "times_proposed": notices.times_proposed,
           "reschedule_proposed": notices.reschedule_proposed,
           "reschedule_declined": ended.reschedule_declined,
           "declined": ended.declined, "expired": ended.expired, "released": ended.released,
           "cancelled": ended.cancelled, "consultant_absent": ended.consultant_absent,
           "fee_choice": ended.fee_choice, "seeker_absent": ended.seeker_absent},
    buttons={"view": notices.view_buttons, "choose_time": notices.choose_time,
             "reschedule_times": notices.reschedule_times,
             "alternatives": ended.with_alternatives,
             "alternatives_if_instant": ended.alternatives_if_instant,
             "rebook": ended.rebook, "rebook_or_alternatives": ended.rebook_or_alternatives,
             "charge_or_waive": ended.charge_or_waive},
    roles=(OTHER,),
)
