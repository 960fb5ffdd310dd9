"""Free slots from weekly hours in the consultant's zone, shown in the seeker's: notice, buffer,
daily maximum and days off, and daylight-saving changes on both sides."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.consulting.bookings.availability import (
    Schedule,
    free_slots,
    local_instant,
    next_free_slot,
    why_not,
    window,
)
from core.errors import DomainError

RIGA, NEW_YORK = ZoneInfo("Europe/Riga"), ZoneInfo("America/New_York")
NINE_TO_NOON = {d: [["09:00", "12:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def rules(hours=None, notice=0, buffer=0, daily_max=10, days_off=()) -> Schedule:
    return Schedule.of(hours or NINE_TO_NOON, "Europe/Riga", notice, buffer, daily_max, days_off)


def local(slots, zone=RIGA) -> list[str]:
    return [s.astimezone(zone).strftime("%a %d %H:%M") for s in slots]


def at(text: str, zone=RIGA) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def test_slots_start_on_the_hours_grid_and_end_within_the_hours():
    now = at("2026-11-23 06:00")  # a Monday
    slots = free_slots(rules(), [], now, at("2026-11-24 00:00"), 60, now, RIGA)
    assert local(slots) == ["Mon 23 09:00", "Mon 23 09:30", "Mon 23 10:00", "Mon 23 10:30",
                            "Mon 23 11:00"]


def test_a_nine_oclock_riga_slot_stays_nine_oclock_riga_across_the_spring_change():
    now = at("2027-03-26 06:00")  # Friday; clocks go forward on Sunday 28 March 2027
    slots = free_slots(rules(), [], now, at("2027-03-30 00:00"), 60, now, RIGA, step_minutes=180)
    assert local(slots) == ["Fri 26 09:00", "Sat 27 09:00", "Sun 28 09:00", "Mon 29 09:00"]
    assert [s.astimezone(UTC).hour for s in slots] == [7, 7, 6, 6]  # EET +2, then EEST +3


def test_a_nine_oclock_riga_slot_stays_nine_oclock_riga_across_the_autumn_change():
    now = at("2026-10-23 06:00")  # clocks go back on Sunday 25 October 2026
    slots = free_slots(rules(), [], now, at("2026-10-27 00:00"), 60, now, RIGA, step_minutes=180)
    assert local(slots) == ["Fri 23 09:00", "Sat 24 09:00", "Sun 25 09:00", "Mon 26 09:00"]
    assert [s.astimezone(UTC).hour for s in slots] == [6, 6, 7, 7]


def test_a_wall_time_the_spring_change_skips_is_never_offered():
    night = rules({"sun": [["02:00", "05:00"]]})
    now = at("2027-03-27 12:00")
    slots = free_slots(night, [], now, at("2027-03-29 00:00"), 30, now, RIGA)
    # 03:00 to 03:59 does not exist in Riga on 28 March 2027.
    assert local(slots) == ["Sun 28 02:00", "Sun 28 02:30", "Sun 28 04:00", "Sun 28 04:30"]
    with pytest.raises(DomainError, match="03:30 does not exist on 28 Mar 2027 in Europe/Riga"):
        local_instant(date(2027, 3, 28), "03:30", RIGA)
    assert local_instant(date(2027, 3, 28), "04:30", RIGA).astimezone(UTC).hour == 1


def test_a_wall_time_the_autumn_change_repeats_is_offered_once_at_its_first_occurrence():
    night = rules({"sun": [["02:00", "05:00"]]})
    now = at("2026-10-24 12:00")
    slots = free_slots(night, [], now, at("2026-10-26 00:00"), 30, now, RIGA, step_minutes=60)
    assert local(slots) == ["Sun 25 02:00", "Sun 25 03:00", "Sun 25 04:00"]
    three = slots[1].astimezone(UTC)
    assert three == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 03:00 EEST, not 03:00 EET
    assert local_instant(date(2026, 10, 25), "03:00", RIGA).astimezone(UTC) == three


def test_slots_are_shown_in_the_seekers_zone_across_both_sides_changes():
    # The US changes on 14 March 2027, the EU on 28 March: between them the gap is 6 hours.
    now = at("2027-03-12 06:00")
    monday_hours = rules({"mon": [["16:00", "17:00"]]})
    slots = free_slots(monday_hours, [], now, at("2027-04-06 00:00"), 60, now, NEW_YORK)
    assert [s.strftime("%d %b %H:%M %Z") for s in slots] == [
        "15 Mar 10:00 EDT", "22 Mar 10:00 EDT", "29 Mar 09:00 EDT", "05 Apr 09:00 EDT"]


def test_notice_buffer_daily_maximum_and_days_off_remove_slots():
    now = at("2026-11-23 08:00")  # Monday
    busy = [(at("2026-11-24 10:00"), at("2026-11-24 11:00"))]
    plain = free_slots(rules(), busy, now, at("2026-11-26 00:00"), 60, now, RIGA)
    assert local(plain) == ["Mon 23 09:00", "Mon 23 09:30", "Mon 23 10:00", "Mon 23 10:30",
                            "Mon 23 11:00", "Tue 24 09:00", "Tue 24 11:00", "Wed 25 09:00",
                            "Wed 25 09:30", "Wed 25 10:00", "Wed 25 10:30", "Wed 25 11:00"]
    strict = rules(notice=120, buffer=30, days_off=["2026-11-25"])
    assert local(free_slots(strict, busy, now, at("2026-11-26 00:00"), 60, now, RIGA)) == [
        "Mon 23 10:00", "Mon 23 10:30", "Mon 23 11:00"]  # notice; Tuesday's buffers; day off
    one_a_day = rules(daily_max=1)
    assert "Tue 24 09:00" not in local(free_slots(one_a_day, busy, now, at("2026-11-26 00:00"),
                                                  60, now, RIGA))


def test_why_not_names_the_reason_a_time_cannot_be_booked():
    now = at("2026-11-23 08:00")
    busy = [(at("2026-11-24 10:00"), at("2026-11-24 11:00"))]
    r = rules(notice=120, buffer=15, daily_max=1, days_off=["2026-11-26"])
    assert why_not(r, busy, at("2026-11-23 07:00"), 60, now) == "That time has passed."
    assert why_not(r, busy, at("2026-11-23 09:00"), 60, now) == \
        "That time is too soon: it needs more notice."
    assert why_not(r, busy, at("2026-11-26 09:00"), 60, now) == "That day is a day off."
    assert why_not(r, busy, at("2026-11-24 09:00"), 30, now) == "That day is fully booked."
    assert why_not(r, [], at("2026-11-25 11:30"), 60, now) == \
        "That time is outside the consultant's hours."
    assert why_not(rules(buffer=15), busy, at("2026-11-24 11:00"), 60, now) == \
        "That time was just taken."
    assert why_not(rules(buffer=15), busy, at("2026-11-24 11:30"), 30, now) is None
    # A start the calendar never offers: off its half-hour steps, or past its 60 days.
    assert why_not(rules(buffer=15), busy, at("2026-11-24 11:15"), 45, now) == \
        "Sessions start at the times offered: pick one of those."
    assert why_not(r, [], at("2027-01-25 09:00"), 60, now) == "That time is too far ahead to book."
    assert why_not(r, [], at("2027-01-21 09:00"), 60, now) is None
    assert why_not(r, [], at("2026-11-25 09:00"), 60, now) is None


def test_next_free_slot_is_the_first_one_within_the_window():
    now = at("2026-11-23 12:30")
    assert next_free_slot(rules(), [], now, 60, 14, NEW_YORK) == \
        at("2026-11-24 09:00").astimezone(NEW_YORK)
    assert next_free_slot(rules({"mon": []}), [], now, 60, 14) is None


def test_free_within_n_days_ends_at_the_end_of_the_seekers_local_day():
    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 22:00 on Sunday 22nd in New York
    _, end = window(now, NEW_YORK, 1)
    assert end.astimezone(NEW_YORK) == datetime(2026, 11, 24, 0, 0, tzinfo=NEW_YORK)


def test_hours_with_unknown_zones_are_refused():
    with pytest.raises(DomainError, match="not a time zone"):
        Schedule.of(NINE_TO_NOON, "Europe/Atlantis", 0, 0, 1)


def test_a_fortnight_of_slots_for_one_consultant_takes_well_under_a_millisecond_or_two():
    import time

    now = at("2026-11-23 06:00")
    busy = [(now + timedelta(hours=h), now + timedelta(hours=h, minutes=60))
            for h in range(20, 300, 17)]
    started = time.perf_counter()
    for _ in range(100):
        free_slots(rules(notice=120, buffer=15), busy, now, now + timedelta(days=14), 60, now,
                   NEW_YORK)
    assert (time.perf_counter() - started) / 100 < 0.01


def test_each_consultant_sets_their_slot_grid_and_how_far_ahead_they_may_be_booked():
    now = at("2026-11-23 06:00")  # a Monday
    quarter = Schedule.of(NINE_TO_NOON, "Europe/Riga", 0, 0, 10, grid_minutes=15, horizon_days=7)
    slots = free_slots(quarter, [], now, at("2026-11-24 00:00"), 60, now, RIGA)
    assert local(slots)[:3] == ["Mon 23 09:00", "Mon 23 09:15", "Mon 23 09:30"]
    hourly = Schedule.of(NINE_TO_NOON, "Europe/Riga", 0, 0, 10, grid_minutes=60)
    assert local(free_slots(hourly, [], now, at("2026-11-24 00:00"), 60, now, RIGA)) == [
        "Mon 23 09:00", "Mon 23 10:00", "Mon 23 11:00"]
    assert why_not(hourly, [], at("2026-11-24 09:30"), 60, now) == \
        "Sessions start at the times offered: pick one of those."
    assert why_not(quarter, [], at("2026-11-24 09:15"), 60, now) is None
    assert why_not(quarter, [], at("2026-12-01 09:00"), 60, now) == \
        "That time is too far ahead to book."
    assert not free_slots(quarter, [], at("2026-11-30 12:00"), at("2026-12-02 00:00"), 60, now,
                          RIGA)  # past its seven days, nothing is offered
