"""The booking process end to end through the core services: request, answer, confirm, the
payment authorised at booking, and every way a booking ends. The clock starts on Friday
20 November 2026 at 12:00 UTC (14:00 in Riga)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.consulting.bookings import due
from core.consulting.bookings import service as bookings
from core.errors import Conflict, DomainError, NotAllowed
from core.money.model import Money
from tests.consulting.helpers import (
    booked,
    consultant,
    payloads,
    seeker,
    status,
    told,
)

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga
CARD = "4242 4242 4242 4242"


async def escrow(app, booking_id):
    return await app.payments.by_reference(f"booking:{booking_id}")


async def authorised(app, booking_id):
    view = await escrow(app, booking_id)
    return await app.payments.pay_with_test_card(view.id, CARD)


async def run_timers(app):
    return await due.run_all(app.uow, app.payments)


async def test_a_requested_slot_accepted_is_confirmed_with_invites_and_an_authorisation(app):
    ann, bob = await consultant(app), await seeker(app)
    booking = await booked(app, bob.id, ann.id, MONDAY_10)
    assert await told(app, ann.id, "asks for a 60-minute session (up to €80.00) on "
                                   "Mon 23 Nov, 10:00 (Europe/Riga)")
    async with app.uow() as uow:
        await bookings.accept(uow, booking.id, ann.id)
        await uow.commit()
    assert await status(app, booking.id) == "confirmed"
    [mine] = await payloads(app, bob.id, "Confirmed")
    assert mine["attachments"] == [{"kind": "booking-invite", "key": f"{booking.id}:REQUEST"}]
    assert "Free cancellation up to 24 hours before the start" in mine["text"]
    view = await escrow(app, booking.id)
    assert (view.kind, view.state, view.amount) == ("session", "awaiting_authorisation",
                                                    Money(8000, "EUR"))
    [ask] = await payloads(app, bob.id, "Authorise up to €80.00")
    assert ask["buttons"][0][0] == {"label": "💳 Authorise", "intent": "pay", "arg": str(view.id)}
    assert (await authorised(app, booking.id)).state == "authorised"


async def test_a_declined_request_tells_the_seeker_and_frees_the_slot(app):
    ann, bob, cat = await consultant(app), await seeker(app), await seeker(app, "cat")
    booking = await booked(app, bob.id, ann.id, MONDAY_10)
    with pytest.raises(Conflict, match="just taken"):
        await booked(app, cat.id, ann.id, MONDAY_10)
    async with app.uow() as uow:
        await bookings.decline(uow, booking.id, ann.id, "Travelling that day")
        await uow.commit()
    assert await told(app, bob.id, "declined your request. Nothing was charged. Reason: "
                                   "Travelling that day")
    assert (await booked(app, cat.id, ann.id, MONDAY_10)).status == "requested"


async def test_the_consultant_proposes_other_times_and_the_seeker_accepts_one(app):
    ann, bob = await consultant(app), await seeker(app)
    booking = await booked(app, bob.id, ann.id, MONDAY_10)
    later = [MONDAY_10 + timedelta(hours=h) for h in (2, 4)]
    async with app.uow() as uow:
        await bookings.propose_times(uow, booking.id, ann.id, later)
        await uow.commit()
    assert await status(app, booking.id) == "proposed"
    async with app.uow() as uow:
        times = await bookings.proposals(uow, booking.id, bob.id)
        assert [t.starts_at for t in times] == later
        with pytest.raises(NotAllowed):
            await bookings.accept(uow, booking.id, ann.id, times[0].id)
        done = await bookings.accept(uow, booking.id, bob.id, times[1].id)
        await uow.commit()
    assert (done.status, done.starts_at) == ("confirmed", later[1])
    assert await told(app, ann.id, "Confirmed: your session with Bob on Mon 23 Nov, 14:00")


async def test_the_seeker_proposes_up_to_three_times_and_the_consultant_accepts_one(app):
    ann, bob = await consultant(app), await seeker(app)
    times = [MONDAY_10 + timedelta(days=d) for d in (0, 1, 2)]
    async with app.uow() as uow:
        with pytest.raises(DomainError, match="one to 3 times"):
            await bookings.request_times(uow, bob.id, ann.id, [*times, times[0] + timedelta(days=3)])
        booking = await bookings.request_times(uow, bob.id, ann.id, times)
        await uow.commit()
    assert booking.starts_at is None
    async with app.uow() as uow:
        second = (await bookings.proposals(uow, booking.id, ann.id))[1]
        with pytest.raises(NotAllowed, match="Only the other party"):
            await bookings.accept(uow, booking.id, bob.id, second.id)
        done = await bookings.accept(uow, booking.id, ann.id, second.id)
        await uow.commit()
    assert done.starts_at == times[1]


async def test_a_talk_now_request_nobody_answers_expires_and_offers_others_online(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    eve = await consultant(app, "eve", categories=["pellet-quality"])
    from core.consulting.profiles import service as profiles

    async with app.uow() as uow:
        for person in (ann, eve):
            await profiles.set_online(uow, person.id, True)
        booking = await bookings.request_now(uow, bob.id, ann.id)
        await uow.commit()
    assert await told(app, ann.id, "right now. Answer within 2 minutes.")
    clock.advance(minutes=1, seconds=59)
    assert await run_timers(app) == []
    clock.advance(seconds=2)
    assert await run_timers(app) == [(booking.id, "expire-request")]
    [seen] = await payloads(app, bob.id, "did not answer in time")
    assert seen["buttons"][0][0] == {"label": "👤 Eve (online)", "intent": "view_consultant",
                                     "arg": str(eve.id)}
    async with app.uow() as uow:
        with pytest.raises(Conflict):
            await bookings.accept(uow, booking.id, ann.id)


async def test_a_talk_now_request_accepted_starts_now_and_is_authorised_at_once(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    from core.consulting.profiles import service as profiles

    async with app.uow() as uow:
        await profiles.set_online(uow, ann.id, True)
        booking = await bookings.request_now(uow, bob.id, ann.id)
        await uow.commit()
    clock.advance(seconds=40)
    async with app.uow() as uow:
        done = await bookings.accept(uow, booking.id, ann.id)
        await uow.commit()
    assert (done.status, done.starts_at) == ("starting", clock.now())  # opened at once
    assert (await escrow(app, booking.id)).state == "awaiting_authorisation"
    assert await told(app, bob.id, "“talk now” is confirmed")
    assert len(await told(app, bob.id, "starts now")) == 1  # the call to join, once


async def test_talk_now_needs_the_consultant_online(app):
    ann, bob = await consultant(app), await seeker(app)
    async with app.uow() as uow:
        with pytest.raises(Conflict, match="not online now"):
            await bookings.request_now(uow, bob.id, ann.id)


async def test_the_booking_policy_comes_from_settings(tmp_path):
    from config.container import build
    from config.settings import Settings

    app = build(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/a.db", environment="test",
                         booking_join_window_seconds=300, booking_late_fee_percent=25))
    try:
        assert app.policy.booking.join_window == timedelta(minutes=5)
        assert app.policy.booking.late_fee_percent == 25
        assert app.policy.booking.free_cancel == timedelta(hours=24)
    finally:
        await app.close()
