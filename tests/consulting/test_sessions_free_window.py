"""The free first 10 minutes are limited per seeker and consultant by AGORA_FREE_MINUTES_RULE,
so repeated 9-minute sessions cannot be abused: after the pair's free session the clock is paid
from minute 0, and the booking card can say so beforehand. The first journey, with its notices
and its charge, on the database; the rule's other cases on the in-memory logbook
(`tests/consulting/session_fakes.py`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.settings import SettingsError, load_settings
from core.consulting.sessions import service as sessions
from core.consulting.sessions.lifecycle import take
from core.process.model import SYSTEM
from tests.consulting import session_support as on_db
from tests.consulting.session_fakes import CONSULTANT_ID, SEEKER_ID, book, live, logbook
from tests.consulting.session_support import act, people, row, texts
from tests.support.accounts import registered


async def _free(app, seeker, consultant) -> int:
    return await act(app, sessions.free_window_for, seeker, consultant)


async def test_after_a_free_session_the_same_pair_is_paid_from_minute_0(app, clock):
    seeker, consultant = await people(app)
    other = (await registered(app, "olga", roles=("seller",))).id
    assert await _free(app, seeker, consultant) == 10
    first = await on_db.live(app, seeker, consultant)
    clock.advance(minutes=9)
    await act(app, sessions.end, first, seeker)
    assert (await row(app, first)).charged_minor == 0
    assert await _free(app, seeker, consultant) == 0  # what the next booking card says
    assert await _free(app, seeker, other) == 10  # another consultant: free again
    second = await on_db.live(app, seeker, consultant, booking_id=2)
    started = await row(app, second)
    assert (started.status, started.free_used) == ("live_paid", False)
    assert started.paid_from == started.started_at
    assert "It is paid from the start" in await texts(app, seeker)
    clock.advance(minutes=1)
    await act(app, sessions.end, second, seeker)
    assert (await row(app, second)).charged_minor == 6000


async def test_a_session_that_was_never_held_leaves_the_free_window():
    book_ = logbook()
    waiting = book(book_)
    book_.advance(minutes=10)
    # Nobody joined: the no-show timer's move, as `sessions.run_due` takes it.
    await take(book_, book_.sessions[waiting], "no-show", SYSTEM, ended_by="no-show:consultant")
    assert book_.sessions[waiting].status == "no_show"
    assert await sessions.free_window_for(book_, SEEKER_ID, CONSULTANT_ID) == 10


async def test_a_free_window_used_once_per_pair_per_30_days_comes_back_after_them():
    book_ = logbook(free_rule="once per pair per 30 days")
    first = await live(book_)
    book_.advance(minutes=5)
    await sessions.end(book_, first, SEEKER_ID)
    book_.advance(days=29)
    assert await sessions.free_window_for(book_, SEEKER_ID, CONSULTANT_ID) == 0
    book_.advance(days=1, minutes=1)
    assert await sessions.free_window_for(book_, SEEKER_ID, CONSULTANT_ID) == 10


@pytest.mark.parametrize("rule, minutes", [("every session", 10), ("never", 0)])
async def test_the_rule_can_give_every_session_its_free_minutes_or_none(rule, minutes):
    book_ = logbook(free_rule=rule)
    first = await live(book_)
    book_.advance(minutes=5)
    await sessions.end(book_, first, SEEKER_ID)
    assert await sessions.free_window_for(book_, SEEKER_ID, CONSULTANT_ID) == minutes
    second = book_.sessions[await live(book_, booking_id=2)]
    assert second.paid_from - second.started_at == timedelta(minutes=minutes)


def test_an_unknown_free_minutes_rule_stops_the_start_naming_the_variable():
    with pytest.raises(SettingsError, match="AGORA_FREE_MINUTES_RULE"):
        load_settings(free_minutes_rule="twice a week")
    assert load_settings(free_minutes_rule="Once per pair per 7 days").free_minutes_rule == \
        "once per pair per 7 days"
