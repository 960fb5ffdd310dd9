"""The gatherings' rules on plain values: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

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


def test_a_start_is_read_in_the_persons_own_zone_and_kept_in_utc():
    start = rules.parse_when("2026-03-03 15:00", "Europe/Riga", NOW)  # UTC+2 in March
    assert start == datetime(2026, 3, 3, 13, 0, tzinfo=UTC)
    assert rules.parse_when(" 2026-03-03 15:00 ", None, NOW) == datetime(2026, 3, 3, 15, 0,
                                                                        tzinfo=UTC)
    assert rules.parse_when("2026-03-03 15:00", "Nowhere/Atlantis", NOW).hour == 15  # as UTC
    assert rules.parse_when("2026-03-03T15:00+01:00", "Europe/Riga", NOW).hour == 14  # as typed


@pytest.mark.parametrize(("typed", "message"), [
    ("", "like 2026-12-03 15:00"),
    ("next week sometime", "like 2026-12-03 15:00"),
    ("2026-03-03 15:00" + " " * 30 + "x", "like 2026-12-03 15:00"),  # over 40 characters
    ("2026-03-02 13:00", "has passed"),  # 11:00 UTC, before noon
    ("2028-03-03 15:00", "more than two years ahead"),
])
def test_a_start_that_cannot_be_read_or_is_not_ahead_is_refused(typed, message):
    with pytest.raises(DomainError, match=message):
        rules.parse_when(typed, "Europe/Riga", NOW)


def test_a_webinar_needs_its_join_link_and_an_event_its_place():
    webinar = rules.checked_words("webinar", " Biogas basics ", "  ", "https://meet.example.org/x",
                                  "Riga")
    assert webinar == rules.Words("Biogas basics", "", "https://meet.example.org/x", None)
    show = rules.checked_words("trade_show", "Riga Bioenergy Fair", "Halls A–C", None, " Kipsala ")
    assert (show.place, show.join_url, show.description) == ("Kipsala", None, "Halls A–C")
    with pytest.raises(DomainError, match="join link"):
        rules.checked_words("webinar", "Biogas basics", "", None, None)
    with pytest.raises(DomainError, match="place"):
        rules.checked_words("meetup", "Pellet people", "", None, "")
    with pytest.raises(DomainError, match="title"):
        rules.checked_words("meetup", "Hi", "", None, "Tartu")
    with pytest.raises(DomainError, match="description"):
        rules.checked_words("meetup", "Pellet people", "x" * 1501, None, "Tartu")


def test_a_recording_is_added_to_a_webinar_once_it_has_started():
    rules.check_recording("webinar", NOW, NOW)
    rules.check_recording("webinar", NOW - timedelta(days=30), NOW)
    with pytest.raises(Conflict, match="hasn't started"):
        rules.check_recording("webinar", NOW + timedelta(seconds=1), NOW)
    with pytest.raises(DomainError, match="Only webinars"):
        rules.check_recording("meetup", NOW - timedelta(days=1), NOW)


def test_the_list_shows_what_is_not_over_then_past_recordings_up_to_its_length():
    def gathering(name, hours_from_now, minutes=60):
        return SimpleNamespace(name=name, starts_at=NOW + timedelta(hours=hours_from_now),
                               minutes=minutes)

    running = gathering("running", -0.5)  # started half an hour ago, an hour long
    ended = gathering("ended", -2)
    soon, later = gathering("soon", 1), gathering("later", 48)
    old_recorded = gathering("old recorded", -72)
    shown = rules.shown([ended, running, soon, later], [running, old_recorded], NOW, limit=10)
    assert [g.name for g in shown] == ["running", "soon", "later", "old recorded"]
    assert [g.name for g in rules.shown([running, soon, later], [old_recorded], NOW, 2)] == [
        "running", "soon"]
    assert rules.shown([ended], [], NOW, 10) == []


def test_a_webinar_tells_its_registrants_and_an_event_those_going_or_maybe():
    assert rules.attending("webinar") == ("going",)
    assert rules.attending("meetup") == rules.attending("trade_show") == ("going", "maybe")


DAY, QUARTER = timedelta(hours=24), timedelta(minutes=15)


def test_a_reminder_is_due_once_its_moment_before_the_start_has_come():
    start = NOW + timedelta(days=3)
    published = NOW - timedelta(days=10)
    assert rules.reminders_passed(published, start, start - DAY - timedelta(seconds=1),
                                  (DAY, QUARTER)) == []
    assert rules.reminders_passed(published, start, start - DAY, (DAY, QUARTER)) == [DAY]
    assert rules.reminders_passed(published, start, start - QUARTER, (DAY, QUARTER)) == [
        DAY, QUARTER]


def test_a_gathering_published_at_short_notice_skips_the_reminders_already_behind_it():
    start = NOW + timedelta(hours=2)  # published two hours ahead: no 24-hour reminder
    assert rules.reminders_passed(NOW, start, start - QUARTER, (DAY, QUARTER)) == [QUARTER]
    assert rules.reminders_passed(NOW, NOW + QUARTER, NOW, (DAY, QUARTER)) == [QUARTER]
