"""Session timers, moved by the injectable clock: the start when both joined, the call to join,
“End now — free” at minute 8, the switch to paid at 10:00, the booked end and its grace time,
a no-show, and a restart of the application in the middle of a session. The start when both
joined, with its notices, in memory (`tests/consulting/session_chat.py`)."""

from __future__ import annotations

from datetime import timedelta

from config.container import build
from core.consulting.sessions import service as sessions
from core.consulting.sessions.tables import ConsultSession
from core.money.model import Money
from payments.ledger import user
from tests.consulting.session_chat import act_in, exchange
from tests.consulting.session_fakes import CONSULTANT_ID, SEEKER_ID
from tests.consulting.session_fakes import book as book_in
from tests.consulting.session_support import (
    BOOKING,
    CARD,
    act,
    balance,
    book,
    escrow_state,
    live,
    people,
    row,
    texts,
    tick,
    told,
)
from tests.support.outbox import told_texts


def _buttons(payload: dict) -> list[tuple[str, str]]:
    return [(b["intent"], b["arg"]) for line in payload.get("buttons", []) for b in line]


async def test_a_session_starts_when_both_have_joined_with_ten_free_minutes():
    chat, book_ = exchange()  # the logbook and the sessions' notices in memory
    session_id = book_in(book_)
    await act_in(chat, sessions.join, session_id, SEEKER_ID)
    assert book_.sessions[session_id].status == "waiting"
    assert "Ann joined session #1 and is waiting for you." in "\n".join(
        await told_texts(chat, CONSULTANT_ID))
    await act_in(chat, sessions.join, session_id, CONSULTANT_ID)
    started = book_.sessions[session_id]
    assert started.status == "live_free" and started.free_used
    assert started.paid_from - started.started_at == timedelta(minutes=10)
    assert "The first 10 minutes are free" in "\n".join(await told_texts(chat, SEEKER_ID))


async def test_a_session_both_joined_starts_when_its_authorisation_arrives(app, clock):
    seeker, consultant = await people(app)
    session_id = await book(app, seeker, consultant, authorise=False)
    await act(app, sessions.join, session_id, seeker)
    await act(app, sessions.join, session_id, consultant)
    assert (await row(app, session_id)).status == "waiting"
    view = await app.payments.open("session", "consulting", "booking:1", seeker, consultant,
                                   Money(6000, "EUR"), BOOKING)
    await app.payments.pay_with_test_card(view.id, CARD)
    started = await row(app, session_id)
    assert (started.status, started.authorised_minor) == ("live_free", 6000)


async def test_a_booking_authorised_before_its_session_existed_counts(app, clock):
    seeker, consultant = await people(app)
    view = await app.payments.open("session", "consulting", "booking:7", seeker, consultant,
                                   Money(6000, "EUR"), BOOKING)
    await app.payments.pay_with_test_card(view.id, CARD)
    session_id = await book(app, seeker, consultant, booking_id=7, authorise=False)
    assert (await row(app, session_id)).authorised_minor == 6000


async def test_a_session_whose_authorisation_lapsed_before_it_started_waits_for_another(app, clock):
    seeker, consultant = await people(app)
    session_id = await book(app, seeker, consultant, starts_in=timedelta(days=6))
    clock.advance(days=6)
    assert await app.payments.settle_expiring() == 1  # card holds lapse: voided
    assert (await row(app, session_id)).authorised_minor == 0
    await act(app, sessions.join, session_id, seeker)
    await act(app, sessions.join, session_id, consultant)
    assert (await row(app, session_id)).status == "waiting"


async def test_the_sessions_own_timers_send_no_call_to_join(app, clock):
    """The call to join goes once, when the booking opens the session (test_journey_link)."""
    seeker, consultant = await people(app)
    await book(app, seeker, consultant, starts_in=timedelta(hours=2))
    clock.advance(hours=2)
    await tick(app)
    assert "starts now" not in await texts(app, consultant)


async def test_at_minute_8_the_seeker_is_offered_to_end_for_free_once(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=7, seconds=59)
    await tick(app)
    assert "free minutes left" not in await texts(app, seeker)
    clock.advance(seconds=1)
    await tick(app)
    await tick(app)
    nudges = [p for p in await told(app, seeker) if "2 free minutes left" in p["text"]]
    assert len(nudges) == 1
    assert _buttons(nudges[0]) == [("end_session", str(session_id))]
    assert nudges[0]["buttons"][0][0]["label"] == "⏹ End now — free"
    assert "free minutes left" not in await texts(app, consultant)


async def test_at_10_00_the_session_switches_to_paid_and_both_are_told(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=10)
    assert await tick(app) == [(session_id, "go-paid")]
    assert (await row(app, session_id)).status == "live_paid"
    for person in (seeker, consultant):
        assert "10:00 — session #1 is now paid (€60.00 for the session)" in await texts(app, person)


async def test_the_booked_end_offers_more_time_then_ends_the_session_after_its_grace(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=25)
    await tick(app)
    offer = [p for p in await told(app, seeker) if "minutes of booked time left" in p["text"]]
    assert ("extend_session", f"{session_id}:15") in _buttons(offer[0])
    assert "+€30.00" in offer[0]["buttons"][0][0]["label"]
    clock.advance(minutes=5)
    assert await tick(app) == [(session_id, "time-up")]
    assert (await row(app, session_id)).status == "overtime"
    assert "Extend it, or it ends in 5 minutes" in await texts(app, seeker)
    clock.advance(minutes=5)
    assert await tick(app) == [(session_id, "overtime-ends")]
    ended = await row(app, session_id)
    assert (ended.status, ended.charged_minor, ended.ended_by) == ("ended_paid", 6000, "system")
    assert await escrow_state(app, "booking:1") == "captured"


async def test_a_consultant_who_has_not_joined_10_minutes_after_the_start_is_a_no_show(app, clock):
    seeker, consultant = await people(app)
    session_id = await book(app, seeker, consultant, starts_in=timedelta(minutes=30))
    await act(app, sessions.join, session_id, seeker)
    clock.advance(minutes=39)
    assert await tick(app) == []
    clock.advance(minutes=1)
    assert await tick(app) == [(session_id, "no-show")]
    gone = await row(app, session_id)
    assert (gone.status, gone.ended_by, gone.charged_minor) == ("no_show", "no-show:consultant", 0)
    # What a no-show costs, and what the parties hear, is its booking's (test_journey_link).
    assert await escrow_state(app, "booking:1") == "authorised"
    assert "join" not in await texts(app, seeker)


async def test_a_seeker_who_does_not_join_is_recorded_and_left_to_the_booking(app, clock):
    seeker, consultant = await people(app)
    session_id = await book(app, seeker, consultant)
    await act(app, sessions.join, session_id, consultant)
    clock.advance(minutes=10)
    await tick(app)
    assert (await row(app, session_id)).ended_by == "no-show:seeker"
    assert await escrow_state(app, "booking:1") == "authorised"  # the fee is the booking's


async def test_a_restart_mid_session_keeps_the_timer_and_the_charge(app, clock, mailbox):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=5)
    restarted = build(app.settings, clock=clock, senders={"email": mailbox})
    try:
        clock.advance(minutes=5)
        assert await tick(restarted) == [(session_id, "go-paid")]
        clock.advance(minutes=15)
        await act(restarted, sessions.end, session_id, seeker)
        async with restarted.uow() as uow:
            ended = await uow.session.get(ConsultSession, session_id)
            assert (ended.status, ended.charged_minor) == ("ended_paid", 6000)
        assert await escrow_state(restarted, "booking:1") == "captured"
        assert await balance(restarted, user(consultant, "paid_out")) == 5100
    finally:
        await restarted.close()
