"""The booking process end to end through the core services: request, answer, confirm, the
payment authorised at booking, and every way a booking ends. The clock starts on Friday
20 November 2026 at 12:00 UTC (14:00 in Riga). The rules of a step (who proposes, how many
times, “talk now”'s window, a slot freed) run on the bookings' diary in memory
(`tests/consulting/booking_fakes.py`), and so do times proposed and one accepted, a request
declined and a “talk now” expired, with their notices (`tests/consulting/booking_chat.py`);
the journeys with their notices and money, and the timers firing, on the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.consulting.bookings import changes, due, moves
from core.consulting.bookings import service as bookings
from core.errors import Conflict, DomainError, NotAllowed
from core.money.model import Money
from tests.consulting import booking_fakes as memory
from tests.consulting.booking_chat import act_in, told_bookings
from tests.consulting.booking_fakes import ANN, BOB, EVE, staffed
from tests.consulting.helpers import (
    booked,
    consultant,
    payloads,
    seeker,
    status,
    told,
)
from tests.support.outbox import told as told_in

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


async def test_a_declined_request_tells_the_seeker_and_frees_the_slot():
    chat, __ = told_bookings()  # the diary and the booking's notices in memory
    booking = await act_in(chat, bookings.request_slot, BOB, ANN, MONDAY_10, None)
    with pytest.raises(Conflict, match="just taken"):
        await act_in(chat, bookings.request_slot, EVE, ANN, MONDAY_10, None)
    await act_in(chat, bookings.decline, booking.id, ANN, "Travelling that day")
    assert await told_in(chat, BOB, "declined your request. Nothing was charged. Reason: "
                                    "Travelling that day")
    again = await act_in(chat, bookings.request_slot, EVE, ANN, MONDAY_10, None)
    assert again.status == "requested"


async def test_the_consultant_proposes_other_times_and_the_seeker_accepts_one():
    chat, diary = told_bookings()  # the diary and the booking's notices in memory
    booking = await act_in(chat, bookings.request_slot, BOB, ANN, MONDAY_10, None)
    later = [MONDAY_10 + timedelta(hours=h) for h in (2, 4)]
    await act_in(chat, bookings.propose_times, booking.id, ANN, later)
    assert diary.bookings[booking.id].status == "proposed"
    times = await act_in(chat, bookings.proposals, booking.id, BOB)
    assert [t.starts_at for t in times] == later
    with pytest.raises(NotAllowed):
        await act_in(chat, bookings.accept, booking.id, ANN, times[0].id)
    done = await act_in(chat, bookings.accept, booking.id, BOB, times[1].id)
    assert (done.status, done.starts_at) == ("confirmed", later[1])
    assert await told_in(chat, ANN, "Confirmed: your session with Bob on Mon 23 Nov, 14:00")


async def test_the_seeker_proposes_up_to_three_times_and_the_consultant_accepts_one():
    diary = staffed()
    times = [MONDAY_10 + timedelta(days=d) for d in (0, 1, 2)]
    with pytest.raises(DomainError, match="one to 3 times"):
        await bookings.request_times(diary, BOB, ANN, [*times, times[0] + timedelta(days=3)])
    booking = await bookings.request_times(diary, BOB, ANN, times)
    assert booking.starts_at is None
    second = (await bookings.proposals(diary, booking.id, ANN))[1]
    with pytest.raises(NotAllowed, match="Only the other party"):
        await bookings.accept(diary, booking.id, BOB, second.id)
    done = await bookings.accept(diary, booking.id, ANN, second.id)
    assert done.starts_at == times[1]
    assert ANN in diary.locked  # the chosen time is checked with the consultant's profile locked


async def test_the_times_on_the_table_are_this_rounds_and_a_party_chooses_the_others():
    diary = staffed()
    booking = await memory.booked(diary, BOB, ANN, MONDAY_10)
    with pytest.raises(NotAllowed):  # the seeker answers the consultant's times, not their own
        await bookings.propose_times(diary, booking.id, BOB, [MONDAY_10 + timedelta(hours=2)])
    later = [MONDAY_10 + timedelta(hours=h) for h in (4, 2)]
    await bookings.propose_times(diary, booking.id, ANN, later)
    assert (booking.status, booking.starts_at, booking.proposed_by) == ("proposed", None,
                                                                        "consultant")
    times = await bookings.proposals(diary, booking.id, BOB)
    assert [t.starts_at for t in times] == sorted(later)
    with pytest.raises(DomainError, match="Choose one"):
        await bookings.accept(diary, booking.id, BOB)
    await bookings.propose_times(diary, booking.id, BOB, [MONDAY_10 + timedelta(hours=6)])
    with pytest.raises(Conflict, match="replaced by newer ones"):
        await bookings.accept(diary, booking.id, ANN, times[0].id)
    [mine] = await bookings.proposals(diary, booking.id, ANN)
    with pytest.raises(NotAllowed, match="Only the other party"):
        await bookings.accept(diary, booking.id, BOB, mine.id)
    done = await bookings.accept(diary, booking.id, ANN, mine.id)
    assert (done.status, done.starts_at) == ("confirmed", MONDAY_10 + timedelta(hours=6))


async def test_a_declined_withdrawn_or_cancelled_booking_frees_its_slot():
    diary = staffed()
    declined = await memory.booked(diary, BOB, ANN, MONDAY_10)
    with pytest.raises(Conflict, match="just taken"):
        await memory.booked(diary, EVE, ANN, MONDAY_10)
    await bookings.decline(diary, declined.id, ANN, "Travelling that day")
    assert (declined.status, declined.ended_by, declined.reason) == (
        "declined", "consultant", "Travelling that day")
    withdrawn = await memory.booked(diary, BOB, ANN, MONDAY_10)
    await bookings.withdraw(diary, withdrawn.id, BOB)
    cancelled = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    with pytest.raises(Conflict, match="just taken"):
        await memory.booked(diary, EVE, ANN, MONDAY_10)
    await changes.cancel(diary, cancelled.id, BOB)
    assert [diary.running(b.id) for b in (declined, withdrawn, cancelled)] == [{}, {}, {}]
    assert (await memory.booked(diary, EVE, ANN, MONDAY_10)).status == "requested"


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


async def test_a_talk_now_nobody_answered_offers_three_online_in_the_same_field_busiest_first():
    diary = staffed()  # the diary and the booking's notices in memory
    diary.profiles[ANN].categories = ["pellet-quality"]
    online = diary.at + timedelta(hours=1)
    diary.profiles[ANN].online_until = online
    for account_id, name, fields, done, until in (
            (5, "Fay", ["pellet-quality"], 3, online), (6, "Gus", ["pellet-quality"], 9, online),
            (7, "Hal", ["biomass-sourcing"], 20, online),  # another field
            (8, "Ida", ["pellet-quality"], 30, None),  # not online
            (9, "Jo", ["biomass-sourcing", "pellet-quality"], 5, online),
            (10, "Kim", ["pellet-quality"], 1, online)):  # a fourth: not offered
        diary.consultant(account_id, name, categories=fields, sessions_completed=done,
                         online_until=until)
    chat, __ = told_bookings(diary)
    asked = await act_in(chat, bookings.request_now, BOB, ANN)
    diary.at += timedelta(minutes=2, seconds=1)
    await act_in(chat, moves.take, asked.id, "expire-request", None)  # its timer's move
    [seen] = await told_in(chat, BOB, "did not answer in time")
    assert "These consultants in the same field are online now:" in seen["text"]
    assert [(b["label"], b["arg"]) for row in seen["buttons"] for b in row] == [
        ("👤 Gus (online)", "6"), ("👤 Jo (online)", "9"), ("👤 Fay (online)", "5"),
        ("📅 View the booking", str(asked.id))]
    assert await told_in(chat, ANN, "The request from Bob expired unanswered.")


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


async def test_talk_now_needs_the_consultant_online():
    diary = staffed()
    with pytest.raises(Conflict, match="not online now"):
        await bookings.request_now(diary, BOB, ANN)


async def test_talk_now_is_answered_within_the_join_window_and_starts_at_the_answer():
    diary = staffed()
    diary.profiles[ANN].online_until = diary.at + timedelta(hours=5)
    asked = await bookings.request_now(diary, BOB, ANN)
    assert (asked.kind, asked.status, asked.starts_at) == ("instant", "requested", diary.at)
    assert diary.running(asked.id) == {"expire-request": diary.at + timedelta(minutes=2)}
    with pytest.raises(DomainError, match="accept or decline"):
        await bookings.propose_times(diary, asked.id, ANN, [MONDAY_10])
    diary.at += timedelta(seconds=40)
    done = await bookings.accept(diary, asked.id, ANN)
    assert (done.status, done.starts_at, done.confirmed_at) == ("confirmed", diary.at, diary.at)
    assert done.meeting_url is not None and done.meeting_url.startswith("https://meet.jit.si/")
    with pytest.raises(Conflict, match="The consultant is busy now"):
        await bookings.request_now(diary, EVE, ANN)  # Ann is in Bob's session
    diary.at += timedelta(hours=2)
    unanswered = await bookings.request_now(diary, EVE, ANN)
    diary.at += timedelta(minutes=2, seconds=1)
    with pytest.raises(Conflict, match="That request has expired"):
        await bookings.accept(diary, unanswered.id, ANN)


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
