"""The gatherings' rules on plain values: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import Conflict, DomainError
from core.learning import rules

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_gathering_may_start_from_just_after_now_to_exactly_two_years_ahead():
    rules.check_gathering("webinar", NOW + timedelta(seconds=1), 60, NOW)
    rules.check_gathering("meetup", NOW + rules.MAX_AHEAD, 60, NOW)
    for start in (NOW, NOW + rules.MAX_AHEAD + timedelta(seconds=1)):
        with pytest.raises(DomainError, match="in the future, at most two years"):
            rules.check_gathering("webinar", start, 60, NOW)


def test_a_gathering_lasts_15_minutes_to_five_days():
    later = NOW + timedelta(days=1)
    rules.check_gathering("webinar", later, 15, NOW)
    rules.check_gathering("trade_show", later, 60 * 24 * 5, NOW)
    for minutes in (14, 60 * 24 * 5 + 1, 0):
        with pytest.raises(DomainError, match="15 minutes and five days"):
            rules.check_gathering("trade_show", later, minutes, NOW)


def test_an_unknown_kind_is_refused():
    with pytest.raises(DomainError, match="webinar, a trade show or a meetup"):
        rules.check_gathering("party", NOW + timedelta(days=1), 60, NOW)


def test_a_gathering_is_over_exactly_when_it_ends():
    assert rules.ends_at(NOW, 90) == NOW + timedelta(minutes=90)
    assert not rules.over(NOW, 90, NOW + timedelta(minutes=89, seconds=59))
    assert rules.over(NOW, 90, NOW + timedelta(minutes=90))


def test_answers_until_it_is_over_and_no_maybe_for_a_webinar():
    rules.check_answer("meetup", "maybe", NOW, 60, NOW + timedelta(minutes=59))
    rules.check_answer("webinar", "going", NOW, 60, NOW)
    with pytest.raises(Conflict, match="over"):
        rules.check_answer("meetup", "going", NOW, 60, NOW + timedelta(minutes=60))
    with pytest.raises(DomainError, match="registration"):
        rules.check_answer("webinar", "maybe", NOW, 60, NOW)
    with pytest.raises(DomainError, match="going, maybe or not"):
        rules.check_answer("meetup", "perhaps", NOW, 60, NOW)
