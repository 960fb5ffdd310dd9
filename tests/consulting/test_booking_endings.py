"""How a confirmed booking ends other than by a session: cancellation free up to the notice and
with the late fee after it, a reschedule both agreed to, no-shows on either side, and a session
booked weeks ahead whose payment is asked for 24 h before and released if still unpaid 2 h
before. The clock starts on Friday 20 November 2026 at 12:00 UTC. A reschedule agreed to or
turned down, with its notices, runs in memory (`tests/consulting/booking_chat.py`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.consulting.bookings import changes
from core.consulting.bookings import service as bookings
from core.consulting.sessions import access, from_booking
from core.consulting.sessions import service as sessions
from core.consulting.tables import Booking
from core.errors import DomainError, NotAllowed
from core.money.model import Money
from tests.consulting.booking_chat import act_in, told_bookings
from tests.consulting.booking_fakes import ANN, BOB
from tests.consulting.helpers import confirmed, consultant, payloads, seeker, status, told
from tests.consulting.test_booking_paths import authorised, escrow, run_timers
from tests.support.outbox import told as told_in

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga


async def fee_of(app, booking_id) -> int:
    async with app.uow() as uow:
        row = await uow.session.get(Booking, booking_id)
        assert row is not None
        return row.fee_minor


async def test_a_seeker_cancelling_before_the_notice_pays_nothing_and_the_hold_is_voided(app):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    async with app.uow() as uow:
        done = await changes.cancel(uow, booking.id, bob.id, "Plans changed")
        await uow.commit()
    assert (done.status, done.fee_minor) == ("cancelled", 0)
    assert (await escrow(app, booking.id)).state == "voided"
    [notice] = await payloads(app, ann.id, "cancelled")
    assert notice["text"] == ("❌ Bob cancelled your session on Mon 23 Nov, 10:00 (Europe/Riga)."
                              " Nothing is charged.")
    assert notice["attachments"] == [{"kind": "booking-invite", "key": f"{booking.id}:CANCEL"}]


async def test_a_seeker_cancelling_within_the_notice_pays_the_late_fee_from_the_hold(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock.advance(days=2, hours=8)  # Sunday 20:00 UTC: 12 hours before
    async with app.uow() as uow:
        done = await changes.cancel(uow, booking.id, bob.id)
        await uow.commit()
    assert done.fee_minor == 4000
    view = await escrow(app, booking.id)
    assert view.state == "captured"
    assert await told(app, bob.id, "A late-cancellation fee of €40.00 applies.")


async def test_a_consultant_cancelling_late_costs_the_seeker_nothing(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock.advance(days=2, hours=19)
    async with app.uow() as uow:
        done = await changes.cancel(uow, booking.id, ann.id)
        await uow.commit()
    assert done.fee_minor == 0
    assert (await escrow(app, booking.id)).state == "voided"
    assert await told(app, bob.id, "❌ Ann cancelled your session")


async def test_a_reschedule_needs_the_other_partys_consent():
    chat, diary = told_bookings()  # the diary and the booking's notices in memory
    booking = await act_in(chat, bookings.request_slot, BOB, ANN, MONDAY_10, None)
    await act_in(chat, bookings.accept, booking.id, ANN)
    tuesday = MONDAY_10 + timedelta(days=1)
    await act_in(chat, changes.propose_reschedule, booking.id, BOB, [tuesday])
    assert diary.bookings[booking.id].status == "reschedule_proposed"
    [ask] = await told_in(chat, ANN, "asks to move your session")
    proposal = int(ask["buttons"][0][0]["arg"].split(":")[2])
    with pytest.raises(NotAllowed, match="the other party accepts it"):
        await act_in(chat, changes.answer_reschedule, booking.id, BOB, proposal)
    done = await act_in(chat, changes.answer_reschedule, booking.id, ANN, proposal)
    assert (done.status, done.starts_at, done.sequence) == ("confirmed", tuesday, 1)
    assert await told_in(chat, BOB, "Rescheduled: your session with Ann on Tue 24 Nov, 10:00")


async def test_a_reschedule_turned_down_keeps_the_booked_time():
    chat, __ = told_bookings()  # the diary and the booking's notices in memory
    booking = await act_in(chat, bookings.request_slot, BOB, ANN, MONDAY_10, None)
    await act_in(chat, bookings.accept, booking.id, ANN)
    await act_in(chat, changes.propose_reschedule, booking.id, ANN,
                 [MONDAY_10 + timedelta(hours=3)])
    done = await act_in(chat, changes.answer_reschedule, booking.id, BOB, None)
    assert (done.status, done.starts_at, done.sequence) == ("confirmed", MONDAY_10, 0)
    assert await told_in(chat, ANN, "stays on Mon 23 Nov, 10:00")


async def session_at_start(app, booking_id):
    """The booking's session, opened by the booking's start (the timer job's run)."""
    assert await run_timers(app) == [(booking_id, "open-session")]
    async with app.uow() as uow:
        found = await from_booking.of_booking(uow, booking_id, None)
        assert found is not None
        return found.id


async def join(app, session_id, account_id):
    async with app.uow() as uow:
        await sessions.join(uow, session_id, account_id)
        await uow.commit()


async def session_tick(app):
    async with app.uow() as uow:
        taken = await sessions.run_due(uow)
        await uow.commit()
    return taken


async def test_a_consultant_who_has_not_joined_ten_minutes_in_is_a_no_show(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock.advance(days=2, hours=20)  # the start
    session_id = await session_at_start(app, booking.id)
    await join(app, session_id, bob.id)
    clock.advance(minutes=9)
    assert await session_tick(app) == []
    clock.advance(minutes=1)
    assert await session_tick(app) == [(session_id, "no-show")]
    assert await run_timers(app) == []  # the booking has no no-show timers of its own
    assert await status(app, booking.id) == "no_show_consultant"
    assert (await escrow(app, booking.id)).state == "voided"
    [notice] = await payloads(app, bob.id, "did not join within 10 minutes")
    assert notice["buttons"][0][0]["label"] == "📅 Book Ann again"


async def test_the_consultant_may_charge_a_seeker_who_did_not_come(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock.advance(days=2, hours=20)
    session_id = await session_at_start(app, booking.id)
    await join(app, session_id, ann.id)
    async with app.uow() as uow:
        with pytest.raises(DomainError, match="until 10 minutes after the start"):
            await changes.report_no_show(uow, booking.id, ann.id)
    clock.advance(minutes=10)
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):
            await changes.report_no_show(uow, booking.id, bob.id)
        done = await changes.report_no_show(uow, booking.id, ann.id)
        await uow.commit()
    assert (done.status, done.fee_minor) == ("seeker_absent", 0)  # the fee is Ann's choice
    assert await session_tick(app) == []  # the session followed the report: nothing left
    async with app.uow() as uow:
        gone = await access.get(uow, session_id, None)
        assert (gone.status, gone.ended_by) == ("no_show", "no-show:seeker")
    assert (await escrow(app, booking.id)).state == "authorised"  # held for the choice
    assert await told(app, ann.id, "lets you charge the no-show fee of €80.00")
    assert await told(app, bob.id, "they may charge the no-show fee of €80.00 within 24 h")
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):  # the seeker does not decide on their own fee
            await changes.decide_no_show_fee(uow, booking.id, bob.id, charge=False)
        charged = await changes.decide_no_show_fee(uow, booking.id, ann.id, charge=True)
        await uow.commit()
    assert (charged.status, charged.fee_minor) == ("no_show_seeker", 8000)
    async with app.uow() as uow:
        with pytest.raises(DomainError):  # a second tap finds it decided
            await changes.decide_no_show_fee(uow, booking.id, ann.id, charge=False)
    assert (await escrow(app, booking.id)).state == "captured"
    assert await told(app, bob.id, "The no-show fee of €80.00 is charged.")


async def test_a_seeker_who_never_came_is_marked_by_the_sessions_timer_and_an_undecided_fee_is_waived(
        app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock.advance(days=2, hours=20)
    session_id = await session_at_start(app, booking.id)
    await join(app, session_id, ann.id)
    clock.advance(minutes=10)
    assert await session_tick(app) == [(session_id, "no-show")]
    assert await status(app, booking.id) == "seeker_absent"
    assert (await escrow(app, booking.id)).state == "authorised"
    clock.advance(hours=23)
    assert await run_timers(app) == []
    clock.advance(hours=1)  # the consultant never chose: the fee lapses
    assert await run_timers(app) == [(booking.id, "waive-no-show-fee")]
    assert (await status(app, booking.id), await fee_of(app, booking.id)) == ("no_show_seeker", 0)
    assert (await escrow(app, booking.id)).state == "voided"
    assert await told(app, bob.id, "You did not join your session with Ann. Nothing is charged.")


async def test_a_session_weeks_ahead_is_authorised_a_day_before_and_released_if_unpaid(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    far = MONDAY_10 + timedelta(days=21)
    booking = await confirmed(app, bob.id, ann.id, far)
    assert await escrow(app, booking.id) is None  # nothing held three weeks ahead
    clock._now = far - timedelta(hours=24)
    assert await run_timers(app) == [(booking.id, "authorise-payment")]
    assert (await escrow(app, booking.id)).state == "awaiting_authorisation"
    assert await told(app, bob.id, "Authorise up to €80.00")
    clock._now = far - timedelta(hours=2)
    assert await run_timers(app) == [(booking.id, "release-unpaid")]
    assert await status(app, booking.id) == "released"
    assert await told(app, ann.id, "was released: it was not paid in time")


async def test_an_authorised_session_is_not_released(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    far = MONDAY_10 + timedelta(days=21)
    booking = await confirmed(app, bob.id, ann.id, far)
    clock._now = far - timedelta(hours=24)
    await run_timers(app)
    await authorised(app, booking.id)
    clock._now = far - timedelta(hours=2)
    assert await run_timers(app) == []
    assert await status(app, booking.id) == "confirmed"
    assert (await escrow(app, booking.id)).amount == Money(8000, "EUR")


async def test_a_late_fee_without_an_authorisation_is_waived_and_a_late_one_voided(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)  # opened, never authorised
    clock.advance(days=2, hours=8)
    async with app.uow() as uow:
        await changes.cancel(uow, booking.id, bob.id)
        await uow.commit()
    assert await fee_of(app, booking.id) == 0
    await authorised(app, booking.id)  # a payment page left open, paid after all
    from payments.bridges.bookings import BookingMoney

    assert await BookingMoney(app.payments, app.uow).catch_up() == 1
    assert (await escrow(app, booking.id)).state == "voided"
