"""The sessions' use cases on the in-memory logbook (no database): who may see, join, post,
end, extend, set the call link and call off a session, and the session's state rules. The
money (authorisations, captures, extensions paid) and two parties racing stay on the database
(`test_sessions_money*.py`, `test_sessions_races.py`); the notices the timers send, on it too
(`test_sessions_timers.py`), those relayed in the session's chat in memory and on the database
(`test_sessions_chat.py`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.consulting.sessions import access, from_booking, reviews
from core.consulting.sessions import service as sessions
from core.consulting.sessions.events import CallLinkSet, SessionJoined, SessionMessagePosted
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from tests.consulting.session_fakes import (
    CONSULTANT_ID,
    EVE,
    ROOT,
    SEEKER_ID,
    book,
    live,
    logbook,
)

STRANGER_CALLS = [
    (access.get, ()), (sessions.join, ()), (sessions.post, ("hello",)), (sessions.end, ()),
    (sessions.extend, (15,)), (access.charge_due, ()), (access.transcript, ()),
    (sessions.set_call_link, ()), (reviews.review, (5,)), (reviews.of_session, ()),
    (sessions.seen, ()),
]


async def test_a_stranger_can_neither_see_nor_act_on_a_session():
    sessions_ = logbook()
    session_id = await live(sessions_)
    sessions_.advance(minutes=12)
    for service, extra in STRANGER_CALLS:
        with pytest.raises(NotFound):
            await service(sessions_, session_id, EVE, *extra)
    assert sessions_.sessions[session_id].status == "live_free"  # nothing moved


async def test_an_admin_may_look_but_not_take_part():
    sessions_ = logbook()
    session_id = await live(sessions_)
    await sessions.post(sessions_, session_id, SEEKER_ID, "Hello")
    assert (await access.get(sessions_, session_id, ROOT)).id == session_id
    assert [m.text for m in await access.transcript(sessions_, session_id, ROOT)] == ["Hello"]
    assert await reviews.of_session(sessions_, session_id, ROOT) is None
    for service, extra in [(sessions.join, ()), (sessions.post, ("hi",)), (sessions.end, ())]:
        with pytest.raises(NotAllowed):
            await service(sessions_, session_id, ROOT, *extra)
    assert sessions_.sessions[session_id].status == "live_free"


async def test_each_party_does_only_their_own_part():
    sessions_ = logbook()
    session_id = await live(sessions_)
    sessions_.advance(minutes=12)
    with pytest.raises(NotAllowed):
        await sessions.extend(sessions_, session_id, CONSULTANT_ID, 15)
    with pytest.raises(NotAllowed):
        await sessions.set_call_link(sessions_, session_id, SEEKER_ID, "https://meet.example/x")
    await sessions.end(sessions_, session_id, SEEKER_ID)
    with pytest.raises(NotAllowed):
        await reviews.review(sessions_, session_id, CONSULTANT_ID, 5)


async def test_a_waiting_session_is_called_off_by_the_system_or_an_admin_only():
    sessions_ = logbook()
    first = book(sessions_)
    with pytest.raises(NotAllowed):
        await from_booking.call_off(sessions_, first, SEEKER_ID)
    await from_booking.call_off(sessions_, first, ROOT)
    called = sessions_.sessions[first]
    assert (called.status, called.ended_by, called.charged_minor) == ("called_off", "admin", 0)
    second = book(sessions_, booking_id=2)
    await from_booking.call_off(sessions_, second, None)  # the bookings code, as the system
    assert sessions_.sessions[second].status == "called_off"
    assert sessions_.running(second) == {}  # its no-show timer was stopped


async def test_a_session_starts_free_once_both_have_joined_and_is_paid_after_ten_minutes():
    sessions_ = logbook()
    session_id = book(sessions_)
    joined = await sessions.join(sessions_, session_id, CONSULTANT_ID)
    assert joined.status == "waiting"
    await sessions.join(sessions_, session_id, CONSULTANT_ID)  # a second tap: joined once
    started = await sessions.join(sessions_, session_id, SEEKER_ID)
    now = sessions_.now()
    assert (started.status, started.started_at, started.paid_from, started.free_used) == (
        "live_free", now, now + timedelta(minutes=10), True)
    assert [e.account_id for e in sessions_.events if isinstance(e, SessionJoined)] == [
        CONSULTANT_ID, SEEKER_ID]
    assert sessions_.running(session_id) == {"go-paid": now + timedelta(minutes=10)}
    assert await access.charge_due(sessions_, session_id, SEEKER_ID) == Money(0, "EUR")


async def test_the_pairs_next_session_is_paid_from_minute_0_and_one_not_authorised_waits():
    sessions_ = logbook()
    first = await live(sessions_)
    await sessions.end(sessions_, first, SEEKER_ID)
    second = await live(sessions_, booking_id=2)
    started = sessions_.sessions[second]
    assert (started.status, started.paid_from, started.free_used) == (
        "live_paid", started.started_at, False)
    waiting = book(sessions_, EVE, CONSULTANT_ID, booking_id=3, authorised=False)
    await sessions.join(sessions_, waiting, CONSULTANT_ID)
    assert (await sessions.join(sessions_, waiting, EVE)).status == "waiting"


async def test_a_session_ends_once_free_in_its_first_minutes_and_not_before_it_started():
    sessions_ = logbook()
    waiting = book(sessions_, booking_id=2)
    with pytest.raises(Conflict, match="hasn't started"):
        await sessions.end(sessions_, waiting, SEEKER_ID)
    session_id = await live(sessions_)
    sessions_.advance(minutes=5)
    ended = await sessions.end(sessions_, session_id, CONSULTANT_ID)
    assert (ended.status, ended.ended_by, ended.charged_minor) == ("ended_free", "consultant", 0)
    again = await sessions.end(sessions_, session_id, SEEKER_ID)  # ended already: nothing more
    assert (again.status, again.ended_by) == ("ended_free", "consultant")
    assert sessions_.running(session_id) == {}
    with pytest.raises(Conflict):
        await sessions.join(sessions_, session_id, SEEKER_ID)


async def test_ending_after_the_free_minutes_is_paid_though_their_timer_has_not_run():
    sessions_ = logbook()
    session_id = await live(sessions_)
    sessions_.advance(minutes=20)
    ended = await sessions.end(sessions_, session_id, SEEKER_ID)
    assert (ended.status, ended.charged_minor) == ("ended_paid", 6000)
    assert await access.charge_due(sessions_, session_id, ROOT) == Money(6000, "EUR")


async def test_a_party_may_write_before_the_start_but_not_after_the_end():
    sessions_ = logbook()
    session_id = book(sessions_)
    message = await sessions.post(sessions_, session_id, CONSULTANT_ID, "  I'm here.  ")
    assert (message.text, message.kind) == ("I'm here.", "text")
    assert sessions_.events[-1] == SessionMessagePosted(session_id, message.id, CONSULTANT_ID,
                                                        SEEKER_ID)
    with pytest.raises(DomainError):
        await sessions.post(sessions_, session_id, CONSULTANT_ID, " ")
    with pytest.raises(DomainError):
        await sessions.post(sessions_, session_id, CONSULTANT_ID, "x" * (sessions.MAX_TEXT + 1))
    await sessions.join(sessions_, session_id, SEEKER_ID)
    await sessions.join(sessions_, session_id, CONSULTANT_ID)
    await sessions.end(sessions_, session_id, SEEKER_ID)
    with pytest.raises(Conflict):
        await sessions.post(sessions_, session_id, SEEKER_ID, "one more thing")


async def test_the_consultant_sets_one_https_call_link_while_the_session_is_open():
    sessions_ = logbook(rooms={1: "https://meet.example/booked"})
    session_id = await live(sessions_)
    assert await sessions.set_call_link(sessions_, session_id, CONSULTANT_ID) == \
        "https://meet.example/booked"  # the booking's room, sent again
    own = await sessions.set_call_link(sessions_, session_id, CONSULTANT_ID,
                                       " https://zoom.example/j/123 ")
    assert own == sessions_.sessions[session_id].call_link == "https://zoom.example/j/123"
    assert sessions_.events[-1] == CallLinkSet(session_id)
    for bad in ("javascript:alert(1)", "https://a b.example", "https://" + "x" * 300):
        with pytest.raises(DomainError):
            await sessions.set_call_link(sessions_, session_id, CONSULTANT_ID, bad)
    await sessions.end(sessions_, session_id, SEEKER_ID)
    with pytest.raises(Conflict):
        await sessions.set_call_link(sessions_, session_id, CONSULTANT_ID)


async def test_only_the_seeker_extends_in_paid_time_by_5_to_120_minutes_asking_once():
    sessions_ = logbook()
    session_id = await live(sessions_)
    with pytest.raises(Conflict):
        await sessions.extend(sessions_, session_id, SEEKER_ID, 15)  # still in the free minutes
    sessions_.advance(minutes=12)
    with pytest.raises(NotAllowed):
        await sessions.extend(sessions_, session_id, CONSULTANT_ID, 15)
    for minutes in (4, 121):
        with pytest.raises(DomainError):
            await sessions.extend(sessions_, session_id, SEEKER_ID, minutes)
    first = await sessions.extend(sessions_, session_id, SEEKER_ID, 15)
    assert sessions_.sessions[session_id].status == "live_paid"  # switched on the way
    assert (first.number, first.minutes, first.reference) == (1, 15, "booking:1:extend:1")
    assert first.amount_minor == 6000 + 3000  # the whole new maximum: 30 min + 15 at €2/min
    again = await sessions.extend(sessions_, session_id, SEEKER_ID, 30)
    assert again.id == first.id  # asked again before it was authorised: the same ask


async def test_a_session_from_a_package_keeps_its_length():
    sessions_ = logbook()
    session_id = await live(sessions_, prepaid_as="package:7:1")
    sessions_.advance(minutes=12)
    with pytest.raises(Conflict, match="package"):
        await sessions.extend(sessions_, session_id, SEEKER_ID, 15)
