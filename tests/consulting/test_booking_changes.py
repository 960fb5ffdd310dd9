"""What a confirmed booking's parties may change, and when: a reschedule needs the other party's
consent, the seeker moves a session alone while cancelling is still free, a party joins from 15
minutes before, a no-show is the consultant's to report once they joined, its fee theirs to
decide once — and the timers a confirmation starts. These run on the bookings' diary in memory
(`tests/consulting/booking_fakes.py`); the notices, the sessions and the money that follow
(fees, holds and their release) are proven on the database in `test_booking_endings.py`.
The clock starts on Friday 20 November 2026 at 12:00 UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.consulting.bookings import changes, moves
from core.consulting.events import BookingRescheduled, RescheduleDeclined, RescheduleProposed
from core.errors import Conflict, DomainError, NotAllowed
from tests.consulting.booking_fakes import ANN, BOB, ROOT, confirmed, staffed

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga
TUESDAY_10 = MONDAY_10 + timedelta(days=1)


async def test_a_reschedule_needs_the_other_partys_consent_and_the_booked_time_stands_till_then():
    diary = staffed()
    booking = await confirmed(diary, BOB, ANN, MONDAY_10)
    await changes.propose_reschedule(diary, booking.id, BOB, [TUESDAY_10])
    assert (booking.status, booking.starts_at, booking.proposed_by) == (
        "reschedule_proposed", MONDAY_10, "seeker")
    assert isinstance(diary.events[-1], RescheduleProposed)
    [proposal] = [p for p in diary.proposed if p.booking_id == booking.id]
    with pytest.raises(NotAllowed, match="the other party accepts it"):
        await changes.answer_reschedule(diary, booking.id, BOB, proposal.id)
    done = await changes.answer_reschedule(diary, booking.id, ANN, proposal.id)
    assert (done.status, done.starts_at, done.sequence, done.proposed_by) == (
        "confirmed", TUESDAY_10, 1, None)
    assert isinstance(diary.events[-1], BookingRescheduled)
    assert diary.running(booking.id)["open-session"] == TUESDAY_10


async def test_a_reschedule_turned_down_or_taken_back_keeps_the_booked_time():
    diary = staffed()
    booking = await confirmed(diary, BOB, ANN, MONDAY_10)
    for answering in (BOB, ANN):  # Bob turns Ann's proposal down; Ann takes hers back
        await changes.propose_reschedule(diary, booking.id, ANN, [MONDAY_10 + timedelta(hours=3)])
        done = await changes.answer_reschedule(diary, booking.id, answering, None)
        assert (done.status, done.starts_at, done.sequence) == ("confirmed", MONDAY_10, 0)
        assert isinstance(diary.events[-1], RescheduleDeclined)
    assert diary.running(booking.id)["open-session"] == MONDAY_10


async def test_a_reschedule_is_checked_against_the_consultants_other_bookings():
    diary = staffed()
    booking = await confirmed(diary, BOB, ANN, MONDAY_10)
    await confirmed(diary, ROOT, ANN, TUESDAY_10)
    with pytest.raises(Conflict, match="just taken"):
        await changes.propose_reschedule(diary, booking.id, BOB, [TUESDAY_10])
    assert booking.status == "confirmed"


async def test_the_seeker_moves_a_session_alone_only_while_cancelling_is_free():
    diary = staffed()
    booking = await confirmed(diary, BOB, ANN, MONDAY_10)
    choices = await changes.move_choices(diary, booking.id, BOB, "Europe/Riga", days=4)
    assert MONDAY_10 not in choices and TUESDAY_10 in choices
    with pytest.raises(DomainError, match="booked time already"):
        await changes.move(diary, booking.id, BOB, MONDAY_10)
    with pytest.raises(NotAllowed):
        await changes.move(diary, booking.id, ANN, TUESDAY_10)  # the consultant proposes
    moved = await changes.move(diary, booking.id, BOB, TUESDAY_10)
    assert (moved.status, moved.starts_at, moved.sequence) == ("confirmed", TUESDAY_10, 1)
    diary.at = TUESDAY_10 - timedelta(hours=23)  # within the free-cancellation notice
    with pytest.raises(Conflict, match="too late to move"):
        await changes.move(diary, booking.id, BOB, TUESDAY_10 + timedelta(hours=2))


async def test_the_parties_join_from_fifteen_minutes_before_and_the_first_join_counts():
    diary = staffed()
    booking = await confirmed(diary, BOB, ANN, MONDAY_10)
    diary.at = MONDAY_10 - timedelta(minutes=16)
    with pytest.raises(DomainError, match="too early to join"):
        await changes.record_join(diary, booking.id, BOB)
    diary.at = MONDAY_10 - timedelta(minutes=15)
    with pytest.raises(NotAllowed, match="Only the consultant and the seeker"):
        await changes.record_join(diary, booking.id, ROOT)
    await changes.record_join(diary, booking.id, BOB)
    diary.at += timedelta(minutes=5)
    joined = await changes.record_join(diary, booking.id, BOB)
    assert (joined.seeker_joined_at, joined.consultant_joined_at) == (
        MONDAY_10 - timedelta(minutes=15), None)
    await changes.cancel(diary, booking.id, ANN)
    with pytest.raises(Conflict, match="not open to join"):
        await changes.record_join(diary, booking.id, ANN)


async def test_a_no_show_is_the_consultants_to_report_from_inside_the_session_once_the_grace_ends():
    diary = staffed()
    booking = await confirmed(diary, BOB, ANN, MONDAY_10)
    diary.at = MONDAY_10 + timedelta(minutes=9)
    with pytest.raises(DomainError, match="until 10 minutes after the start"):
        await changes.report_no_show(diary, booking.id, ANN)
    diary.at = MONDAY_10 + timedelta(minutes=10)
    with pytest.raises(DomainError, match="Join the session first"):
        await changes.report_no_show(diary, booking.id, ANN)
    await changes.record_join(diary, booking.id, ANN)
    with pytest.raises(NotAllowed):
        await changes.report_no_show(diary, booking.id, BOB)
    await changes.record_join(diary, booking.id, BOB)
    with pytest.raises(Conflict, match="The seeker joined"):
        await changes.report_no_show(diary, booking.id, ANN)


async def test_the_no_show_fee_is_decided_once_by_the_consultant_or_lapses_to_the_system():
    diary = staffed()
    booking = await confirmed(diary, BOB, ANN, MONDAY_10)
    await moves.take(diary, booking.id, "open-session", None)  # the start's timer
    diary.at = MONDAY_10 + timedelta(minutes=10)
    await changes.record_join(diary, booking.id, ANN)
    absent = await changes.report_no_show(diary, booking.id, ANN)
    assert (absent.status, absent.ended_by, absent.fee_minor) == ("seeker_absent", "seeker", 0)
    assert diary.running(booking.id) == {"waive-no-show-fee": diary.at + timedelta(hours=24)}
    with pytest.raises(NotAllowed):  # the seeker does not decide on their own fee
        await changes.decide_no_show_fee(diary, booking.id, BOB, charge=False)
    waived = await changes.decide_no_show_fee(diary, booking.id, None, charge=False)
    assert (waived.status, waived.fee_minor) == ("no_show_seeker", 0)
    with pytest.raises(DomainError):  # a later tap finds it decided
        await changes.decide_no_show_fee(diary, booking.id, ANN, charge=True)
    assert diary.running(booking.id) == {}


async def test_a_confirmation_weeks_ahead_asks_for_the_payment_a_day_before_and_one_near_at_once():
    diary = staffed()
    near = await confirmed(diary, BOB, ANN, MONDAY_10)
    far = await confirmed(diary, BOB, ANN, MONDAY_10 + timedelta(days=21))
    assert diary.running(near.id) == {"release-unpaid": MONDAY_10 - timedelta(hours=2),
                                      "open-session": MONDAY_10}
    start = MONDAY_10 + timedelta(days=21)
    assert diary.running(far.id) == {"authorise-payment": start - timedelta(hours=24),
                                     "release-unpaid": start - timedelta(hours=2),
                                     "open-session": start}
