"""A booking and its live session as one journey: the booking's start opens the session (an
accepted “talk now” at once), already authorised; the session's start and end move the
booking, and its no-show timer decides no-shows once, the booking's money settling them. The
clock starts on Friday 20 November 2026 at 12:00 UTC; the scheduler's jobs are called directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from core.consulting.bookings import changes
from core.consulting.profiles.directory import Directory, DirectoryQuery
from core.consulting.sessions import from_booking, reviews
from core.consulting.sessions import service as sessions
from core.consulting.sessions.tables import ConsultSession
from core.consulting.tables import ConsultantProfile
from payments.bridges.bookings import BookingMoney
from payments.bridges.sessions import SessionPayments
from payments.ledger import platform, user
from tests.consulting.helpers import confirmed, consultant, payloads, seeker, status, told
from tests.consulting.session_support import act, balance, row, talk_now_accepted, tick
from tests.consulting.test_booking_paths import authorised, escrow, run_timers
from tests.support.accounts import registered

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga


class Calls:
    """Counts one payments-port method's calls (the booking's and the session's money share
    the container's payments service), passing each on."""

    def __init__(self, monkeypatch, payments, name: str) -> None:
        self.count, real = 0, getattr(payments, name)

        async def counted(*args, **kwargs):
            self.count += 1
            return await real(*args, **kwargs)

        monkeypatch.setattr(payments, name, counted)


async def at_the_start(app, clock):
    """Ann (consultant, €80 per 60-minute session) and Bob, booked for Monday 10:00 Riga and
    authorised with the test card; the clock at the start and the booking timer job run."""
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock._now = MONDAY_10
    assert await run_timers(app) == [(booking.id, "open-session")]
    async with app.uow() as uow:
        session = await from_booking.of_booking(uow, booking.id, None)
        assert session is not None
        return ann, bob, booking.id, session.id


async def both_join(app, session_id, ann, bob):
    await act(app, sessions.join, session_id, ann.id)
    await act(app, sessions.join, session_id, bob.id)


async def test_at_the_start_the_session_exists_already_authorised_and_each_is_called_once(
        app, clock):
    ann, bob, booking_id, session_id = await at_the_start(app, clock)
    session = await row(app, session_id)
    assert (session.status, session.booking_id, session.rate_unit, session.booked_minutes,
            session.starts_at, session.authorised_minor) == (
        "waiting", booking_id, "session60", 60, MONDAY_10, 8000)
    assert await status(app, booking_id) == "starting"
    assert await run_timers(app) == []  # run again: the session is not made twice
    for person in (ann, bob):
        [call] = await payloads(app, person.id, "starts now")
        assert call["buttons"] == [[{"label": "▶ Join", "intent": "join_session",
                                     "arg": str(session_id)}]]
    clock.advance(minutes=5)
    await tick(app)
    assert len(await told(app, bob.id, "starts now")) == 1


async def test_a_session_ended_at_minute_6_voids_and_completes_the_booking(app, clock):
    ann, bob, booking_id, session_id = await at_the_start(app, clock)
    await both_join(app, session_id, ann, bob)
    assert await status(app, booking_id) == "in_session"
    clock.advance(minutes=6)
    await act(app, sessions.end, session_id, bob.id)
    assert (await row(app, session_id)).charged_minor == 0
    assert await status(app, booking_id) == "completed"
    assert (await escrow(app, booking_id)).state == "voided"
    assert await balance(app, platform("commission")) == 0
    assert await balance(app, user(ann.id, "paid_out")) == 0


async def test_a_session_ended_at_minute_25_is_charged_paid_out_and_reviewed(app, clock):
    ann, bob, booking_id, session_id = await at_the_start(app, clock)
    await both_join(app, session_id, ann, bob)
    clock.advance(minutes=10)
    assert await tick(app) == [(session_id, "go-paid")]
    clock.advance(minutes=15)
    await act(app, sessions.end, session_id, ann.id)
    assert (await row(app, session_id)).charged_minor == 8000
    assert await status(app, booking_id) == "completed"
    assert (await escrow(app, booking_id)).state == "captured"
    assert await balance(app, platform("commission")) == 1200  # 15 %
    assert await balance(app, user(ann.id, "paid_out")) == 6800
    directory = Directory()
    async with app.uow() as uow:
        await directory.load(uow)
        [before] = (await directory.search(uow, DirectoryQuery(), "UTC")).cards
    await act(app, reviews.review, session_id, bob.id, 5, "Clear and practical.")
    async with app.uow() as uow:
        profile = await uow.session.get(ConsultantProfile, ann.id)
        counted = (profile.stars_total, profile.ratings, profile.sessions_completed)
        await directory.load(uow)
        [after] = (await directory.search(uow, DirectoryQuery(), "UTC")).cards
    assert counted == (5, 1, 1)
    assert (before.ratings, before.sessions, after.ratings, after.sessions) == (0, 1, 1, 1)
    assert (before.rating, after.rating) == (None, Decimal("5.0"))  # shown: the plain mean


async def test_an_accepted_talk_now_opens_its_session_at_once(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    request_id = await talk_now_accepted(app, clock, ann.id, bob.id)
    assert await status(app, request_id) == "starting"
    async with app.uow() as uow:
        found = await from_booking.of_booking(uow, request_id, None)
        assert found is not None
        session_id = found.id
    session = await row(app, session_id)
    assert (session.status, session.starts_at, session.authorised_minor) == (
        "waiting", clock.now(), 0)
    await authorised(app, request_id)  # the seeker authorises after the accept
    await both_join(app, session.id, ann, bob)
    assert (await row(app, session.id)).status == "live_free"
    assert await status(app, request_id) == "in_session"
    assert len(await told(app, bob.id, "starts now")) == 1


async def test_a_consultant_no_show_voids_once_and_each_party_hears_it_once(
        app, clock, monkeypatch):
    voids = Calls(monkeypatch, app.payments, "void")
    ann, bob, booking_id, session_id = await at_the_start(app, clock)
    await act(app, sessions.join, session_id, bob.id)
    clock.advance(minutes=10)
    assert await tick(app) == [(session_id, "no-show")]
    assert await run_timers(app) == []
    assert await status(app, booking_id) == "no_show_consultant"
    assert (await escrow(app, booking_id)).state == "voided"
    assert voids.count == 1
    await BookingMoney(app.payments, app.uow).catch_up()  # the periodic jobs find nothing left
    await SessionPayments(app.payments).catch_up()
    assert voids.count == 1
    assert len(await told(app, bob.id, "did not join within 10 minutes")) == 1
    assert len(await told(app, ann.id, "You did not join")) == 1
    assert await told(app, bob.id, "didn't join") == []  # no second notice from the session


async def test_a_seeker_no_show_lets_the_consultant_capture_the_fee_without_voiding_first(
        app, clock, monkeypatch):
    voids = Calls(monkeypatch, app.payments, "void")
    captures = Calls(monkeypatch, app.payments, "capture")
    ann, _, booking_id, session_id = await at_the_start(app, clock)
    await act(app, sessions.join, session_id, ann.id)
    clock.advance(minutes=9, seconds=59)
    assert await tick(app) == []
    clock.advance(seconds=1)
    assert await tick(app) == [(session_id, "no-show")]
    assert (await row(app, session_id)).ended_by == "no-show:seeker"
    assert await status(app, booking_id) == "seeker_absent"
    assert (voids.count, captures.count) == (0, 0)  # held while Ann decides
    await act(app, changes.decide_no_show_fee, booking_id, ann.id, True)
    assert await status(app, booking_id) == "no_show_seeker"
    view = await escrow(app, booking_id)
    assert view.state == "captured"
    assert (voids.count, captures.count) == (0, 1)
    assert await balance(app, platform("commission")) == 1200
    assert len(await told(app, ann.id, "did not join. The no-show fee of €80.00")) == 1


async def test_an_admins_call_off_of_a_waiting_session_cancels_its_booking_and_voids(
        app, clock, monkeypatch):
    voids = Calls(monkeypatch, app.payments, "void")
    _, bob, booking_id, session_id = await at_the_start(app, clock)
    root = (await registered(app, "root")).id
    await act(app, from_booking.call_off, session_id, root)
    assert (await row(app, session_id)).status == "called_off"
    assert await status(app, booking_id) == "cancelled"
    assert (await escrow(app, booking_id)).state == "voided" and voids.count == 1
    assert await told(app, bob.id, "An admin cancelled your session with Ann")
    clock.advance(minutes=30)
    assert await tick(app) == []  # nothing waits on the called-off session


async def test_a_cancellation_before_the_start_is_the_bookings_alone(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock._now = MONDAY_10 - timedelta(days=2)
    await act(app, changes.cancel, booking.id, bob.id)
    clock._now = MONDAY_10 + timedelta(minutes=30)
    assert await run_timers(app) == []
    async with app.uow() as uow:
        assert await from_booking.of_booking(uow, booking.id, None) is None
    assert (await escrow(app, booking.id)).state == "voided"


async def test_an_authorisation_the_session_missed_is_recorded_by_the_catch_up(app, clock):
    ann, bob, booking_id, session_id = await at_the_start(app, clock)
    async with app.uow() as uow:  # as if confirmed while the session row was being written
        (await uow.session.get(ConsultSession, session_id)).authorised_minor = 0
        await uow.commit()
    await SessionPayments(app.payments).catch_up()
    assert (await row(app, session_id)).authorised_minor == 8000
    await both_join(app, session_id, ann, bob)
    assert await status(app, booking_id) == "in_session"
