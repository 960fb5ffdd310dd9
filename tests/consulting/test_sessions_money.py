"""What a session costs and how the money moves: nothing before 10:00 (the authorisation is
voided), the agreed amount after it (captured, commission deducted, the consultant paid out,
receipts to both), per-minute rates by started minute, and never more than was authorised.
The amounts alone, without money moving, on the in-memory logbook (`session_fakes.py`)."""

from __future__ import annotations

from core.consulting.sessions import access
from core.consulting.sessions import service as sessions
from core.money.model import Money
from payments.ledger import platform, user
from tests.consulting import session_fakes as on_logbook
from tests.consulting.session_fakes import CONSULTANT_ID, SEEKER_ID, logbook
from tests.consulting.session_support import (
    act,
    balance,
    escrow_state,
    live,
    people,
    row,
    texts,
    tick,
    told,
)


async def test_a_session_ended_at_minute_6_charges_nothing_and_voids_the_authorisation(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=6)
    await tick(app)
    await act(app, sessions.end, session_id, seeker)
    ended = await row(app, session_id)
    assert (ended.status, ended.charged_minor, ended.ended_by) == ("ended_free", 0, "seeker")
    escrow = await app.payments.by_reference("booking:1")
    assert escrow.state == "voided"
    assert await balance(app, user(seeker, "authorised", str(escrow.id))) == 0
    assert await balance(app, user(consultant, "paid_out")) == 0
    assert await balance(app, platform("commission")) == 0
    assert "Session #1 ended" not in await texts(app, seeker)  # their chat's answer says it
    assert "nothing was charged" not in await texts(app, seeker)  # nor a second notice
    assert "Nothing is charged." in await texts(app, consultant)


async def test_a_session_ended_at_minute_25_charges_the_price_minus_commission_paid_out(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=10)
    assert await tick(app) == [(session_id, "go-paid")]
    clock.advance(minutes=15)
    await act(app, sessions.end, session_id, consultant)
    ended = await row(app, session_id)
    assert (ended.status, ended.charged_minor, ended.ended_by) == ("ended_paid", 6000, "consultant")
    assert await escrow_state(app, "booking:1") == "captured"
    assert await balance(app, platform("commission")) == 900  # 15 %
    assert await balance(app, user(consultant, "paid_out")) == 5100
    assert await balance(app, user(consultant, "payable")) == 0


async def test_both_parties_get_receipts_of_a_charged_session(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=25)
    await act(app, sessions.end, session_id, seeker)
    paid = [p for p in await told(app, seeker) if p.get("attachments")]
    earned = [p for p in await told(app, consultant) if p.get("attachments")]
    assert any("€60.00 charged for session booking #1" in p["text"] for p in paid)
    assert any("€51.00 is yours" in p["text"] for p in earned)
    assert any("Payout of €51.00" in p["text"] for p in earned)
    assert all(p["attachments"][0]["kind"] == "invoice" for p in paid + earned)
    assert "€60.00 is charged" in await texts(app, consultant)


async def test_ending_at_9_59_is_free_even_if_the_switch_is_due_a_second_later(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=9, seconds=59)
    await act(app, sessions.end, session_id, seeker)
    assert (await row(app, session_id)).charged_minor == 0
    assert await escrow_state(app, "booking:1") == "voided"


async def test_a_per_minute_rate_charges_each_started_minute_after_the_free_window(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant, rate="2.00", unit="minute", minutes=30)
    clock.advance(minutes=25, seconds=30)
    assert await act(app, access.charge_due, session_id, seeker) == Money(3200, "EUR")
    await act(app, sessions.end, session_id, seeker)
    assert (await row(app, session_id)).charged_minor == 3200  # 15.5 minutes: 16 started minutes at €2
    assert await balance(app, user(consultant, "paid_out")) == 3200 - 480


async def test_the_charge_is_never_above_the_authorisation(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant, authorised=Money(4500, "EUR"))
    clock.advance(minutes=25)
    await act(app, sessions.end, session_id, seeker)
    assert (await row(app, session_id)).charged_minor == 4500
    escrow = await app.payments.by_reference("booking:1")
    assert escrow.state == "captured" and escrow.amount == Money(4500, "EUR")
    assert await balance(app, user(consultant, "paid_out")) == 4500 - 675


# The amounts alone (what is due, what an ending charges), on the in-memory logbook: the
# money moving for them (captures, voids, payouts) is the database's, above.

async def test_ending_after_10_00_before_the_timer_ran_is_still_charged():
    book = logbook()
    session_id = await on_logbook.live(book)
    book.advance(minutes=10, seconds=20)  # the scheduler has not switched it yet
    ended = await sessions.end(book, session_id, SEEKER_ID)
    assert (ended.status, ended.charged_minor) == ("ended_paid", 6000)


async def test_a_per_minute_session_run_past_its_booked_length_is_charged_the_booked_time():
    book = logbook()
    session_id = await on_logbook.live(book, rate="2.00", unit="minute", minutes=30)
    book.advance(minutes=45)  # no timer ran: the end is still reached by a tap
    ended = await sessions.end(book, session_id, SEEKER_ID)
    assert ended.charged_minor == 4000  # minutes 10 to 30


async def test_what_is_due_so_far_is_shown_while_the_session_runs():
    book = logbook()
    session_id = await on_logbook.live(book, rate="1.50", unit="minute", minutes=60)
    book.advance(minutes=8)
    assert await access.charge_due(book, session_id, SEEKER_ID) == Money(0, "EUR")
    book.advance(minutes=4)
    assert await access.charge_due(book, session_id, CONSULTANT_ID) == Money(300, "EUR")
