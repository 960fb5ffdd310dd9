"""A session booked three weeks ahead: card holds expire, so the seeker saves a card at booking
(on the terminal, with a test card) and nothing is authorised; 24 h before, the booking timer
authorises the maximum on it by itself, once, and the session runs and charges as usual. The
card that Stripe saves but declines later (4000 0000 0000 0341) brings the ask to authorise
again, and the time is released 2 h before if still unpaid. The clock starts on Friday
20 November 2026 at 12:00 UTC; the scheduler's jobs are called directly."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.consulting.sessions import from_booking
from core.consulting.sessions import service as sessions
from core.money.model import Money
from payments.bridges.bookings import BookingMoney
from payments.ledger import user
from tests.consulting.helpers import confirmed, consultant, payloads, seeker, status, told
from tests.consulting.session_support import act, balance
from tests.consulting.test_booking_paths import MONDAY_10, escrow, run_timers
from tests.deals.chat_helpers import last_notice
from tests.support.chat import ChatUser

FAR = MONDAY_10 + timedelta(days=21)  # Monday 14 December, 10:00 in Riga


def off_session_calls(app) -> list[str]:
    return [key for what, key in app.payments.provider.calls if what == "authorise_saved"]


async def booked_far_with_a_saved_card(app, card: str = "4242 4242 4242 4242"):
    """Ann (consultant, €80 a session) and Bob, booked three weeks ahead; Bob saves a card
    from the notice on the terminal."""
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, FAR)
    [confirmation] = await told(app, bob.id, "Confirmed")
    assert ("Nothing is charged now; the session's maximum is authorised 24 h before"
            in confirmation)
    chat = ChatUser(app, "bob")
    ask = await last_notice(app, chat, "Save a card")
    assert "Nothing is charged now; the session's maximum is authorised 24 h before" in ask
    assert "Sun 13 Dec, 10:00 (Europe/Riga)" in ask  # when, in Bob's zone
    await chat.tap("Save a card")
    assert "TEST MODE" in chat.texts() and "0341" in chat.texts()
    await chat.say(card)
    return ann, bob, booking, chat


async def test_a_card_saved_at_booking_is_authorised_by_itself_a_day_before_and_charged(
        app, clock):
    ann, bob, booking, chat = await booked_far_with_a_saved_card(app)
    assert "Card •••• 4242 saved. Nothing is charged now" in chat.texts()
    assert await told(app, bob.id, "Card •••• 4242 saved for your session")
    assert await escrow(app, booking.id) is None  # nothing authorised three weeks ahead
    assert await told(app, bob.id, "Authorise up to") == []

    clock._now = FAR - timedelta(hours=25)
    assert await run_timers(app) == []
    clock._now = FAR - timedelta(hours=24)
    assert await run_timers(app) == [(booking.id, "authorise-payment")]
    view = await escrow(app, booking.id)
    assert (view.state, view.amount) == ("authorised", Money(8000, "EUR"))
    assert off_session_calls(app) == [f"authorise:booking:{booking.id}"]
    assert await told(app, bob.id, "is authorised on the card you saved. Nothing more is needed")
    assert await told(app, ann.id, "Bob's session on Mon 14 Dec, 10:00 (Europe/Riga) is "
                                   "authorised. Nothing more is needed.")
    assert await told(app, bob.id, "Authorise up to") == []  # not asked to pay

    clock._now = FAR - timedelta(hours=2)
    assert await run_timers(app) == []  # authorised: not released
    clock._now = FAR
    assert await run_timers(app) == [(booking.id, "open-session")]
    async with app.uow() as uow:
        session_id = (await from_booking.of_booking(uow, booking.id, None)).id
    await act(app, sessions.join, session_id, ann.id)
    await act(app, sessions.join, session_id, bob.id)
    clock.advance(minutes=25)
    await act(app, sessions.end, session_id, bob.id)
    assert (await escrow(app, booking.id)).state == "captured"
    assert await status(app, booking.id) == "completed"
    net = 8000 - app.payments.commission_for("consulting", Money(8000, "EUR")).amount
    assert await balance(app, user(ann.id, "paid_out")) == net


async def test_the_timer_job_twice_at_once_authorises_the_saved_card_once(app, clock):
    _, bob, booking, _ = await booked_far_with_a_saved_card(app)
    clock._now = FAR - timedelta(hours=24)
    first, second = await asyncio.gather(run_timers(app), run_timers(app))
    assert first + second == [(booking.id, "authorise-payment")]
    assert await BookingMoney(app.payments, app.uow).catch_up() == 0  # nothing left to do
    assert off_session_calls(app) == [f"authorise:booking:{booking.id}"]
    assert len(await told(app, bob.id, "Nothing more is needed")) == 1
    assert len(await told(app, bob.id, "Payment of €80.00")) == 1  # one receipt, one journal


async def test_a_saved_card_declined_a_day_before_asks_again_and_releases_if_unpaid(app, clock):
    ann, bob, booking, chat = await booked_far_with_a_saved_card(app, "4000 0000 0000 0341")
    assert "Card •••• 0341 saved" in chat.texts()
    clock._now = FAR - timedelta(hours=24)
    assert await run_timers(app) == [(booking.id, "authorise-payment")]
    assert (await escrow(app, booking.id)).state == "awaiting_authorisation"
    [again] = await payloads(app, bob.id, "The card you saved was declined")
    assert "Please authorise again: authorise up to €80.00" in again["text"]
    assert again["buttons"][0][0]["label"] == "💳 Authorise"
    assert await told(app, bob.id, "Nothing more is needed") == []
    assert await BookingMoney(app.payments, app.uow).catch_up() == 0  # not tried again
    assert len(off_session_calls(app)) == 1
    clock._now = FAR - timedelta(hours=2)
    assert await run_timers(app) == [(booking.id, "release-unpaid")]
    assert await status(app, booking.id) == "released"
    assert await told(app, ann.id, "was released: it was not paid in time")


async def test_a_seeker_whose_saved_card_was_declined_can_still_authorise_in_chat(app, clock):
    _, _, booking, chat = await booked_far_with_a_saved_card(app, "4000 0000 0000 0341")
    clock._now = FAR - timedelta(hours=24)
    await run_timers(app)
    await last_notice(app, chat, "The card you saved was declined")
    await chat.tap("Authorise")
    await chat.say("4242 4242 4242 4242")
    assert "Authorised €80.00" in chat.texts()
    clock._now = FAR - timedelta(hours=2)
    assert await run_timers(app) == []
    assert await status(app, booking.id) == "confirmed"


async def test_a_seeker_who_never_saved_a_card_is_asked_to_authorise_a_day_before(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, FAR)
    assert await told(app, bob.id, "Save a card")
    clock._now = FAR - timedelta(hours=24)
    assert await run_timers(app) == [(booking.id, "authorise-payment")]
    assert (await escrow(app, booking.id)).state == "awaiting_authorisation"
    assert await told(app, bob.id, "💳 Authorise up to €80.00")
    assert off_session_calls(app) == []


async def test_a_session_a_few_days_away_is_authorised_at_booking_without_saving_a_card(app):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    assert await told(app, bob.id, "Save a card") == []
    assert (await escrow(app, booking.id)).state == "awaiting_authorisation"
    assert await app.payments.saved_method(f"booking:{booking.id}") is None
