"""The free first 10 minutes are limited per seeker and consultant by AGORA_FREE_MINUTES_RULE,
so repeated 9-minute sessions cannot be abused: after the pair's free session the clock is paid
from minute 0, and the booking card can say so beforehand."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from config.settings import SettingsError, load_settings
from core.consulting.sessions import service as sessions
from tests.consulting.session_support import act, book, live, people, row, texts, tick
from tests.support.accounts import registered


async def _free(app, seeker, consultant) -> int:
    return await act(app, sessions.free_window_for, seeker, consultant)


async def test_after_a_free_session_the_same_pair_is_paid_from_minute_0(app, clock):
    seeker, consultant = await people(app)
    other = (await registered(app, "olga", roles=("seller",))).id
    assert await _free(app, seeker, consultant) == 10
    first = await live(app, seeker, consultant)
    clock.advance(minutes=9)
    await act(app, sessions.end, first, seeker)
    assert (await row(app, first)).charged_minor == 0
    assert await _free(app, seeker, consultant) == 0  # what the next booking card says
    assert await _free(app, seeker, other) == 10  # another consultant: free again
    second = await live(app, seeker, consultant, booking_id=2)
    started = await row(app, second)
    assert (started.status, started.free_used) == ("live_paid", False)
    assert started.paid_from == started.started_at
    assert "It is paid from the start" in await texts(app, seeker)
    clock.advance(minutes=1)
    await act(app, sessions.end, second, seeker)
    assert (await row(app, second)).charged_minor == 6000


async def test_a_session_that_was_never_held_leaves_the_free_window(app, clock):
    seeker, consultant = await people(app)
    await book(app, seeker, consultant)
    clock.advance(minutes=10)
    await tick(app)  # nobody joined: a no-show
    assert await _free(app, seeker, consultant) == 10


async def test_a_free_window_used_once_per_pair_per_30_days_comes_back_after_them(app, clock):
    app.policy = replace(app.policy, free_minutes_rule="once per pair per 30 days")
    seeker, consultant = await people(app)
    first = await live(app, seeker, consultant)
    clock.advance(minutes=5)
    await act(app, sessions.end, first, seeker)
    clock.advance(days=29)
    assert await _free(app, seeker, consultant) == 0
    clock.advance(days=1, minutes=1)
    assert await _free(app, seeker, consultant) == 10


@pytest.mark.parametrize("rule, minutes", [("every session", 10), ("never", 0)])
async def test_the_rule_can_give_every_session_its_free_minutes_or_none(app, clock, rule, minutes):
    app.policy = replace(app.policy, free_minutes_rule=rule)
    seeker, consultant = await people(app)
    first = await live(app, seeker, consultant)
    clock.advance(minutes=5)
    await act(app, sessions.end, first, seeker)
    assert await _free(app, seeker, consultant) == minutes
    second = await live(app, seeker, consultant, booking_id=2)
    assert (await row(app, second)).paid_from - (await row(app, second)).started_at == \
        timedelta(minutes=minutes)


def test_an_unknown_free_minutes_rule_stops_the_start_naming_the_variable():
    with pytest.raises(SettingsError, match="AGORA_FREE_MINUTES_RULE"):
        load_settings(free_minutes_rule="twice a week")
    assert load_settings(free_minutes_rule="Once per pair per 7 days").free_minutes_rule == \
        "once per pair per 7 days"
