"""Consulting's rules on plain values — booking fees, where a session meets and session charges:
no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.consulting.bookings import rules as booking
from core.consulting.sessions import rules as session
from core.errors import DomainError
from core.money.model import Money
from core.policy import BookingPolicy
from core.process.bookings import CONSULTANT, SEEKER

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
POLICY = BookingPolicy()


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


# --- booking fees -------------------------------------------------------------------------------


def test_share_rounds_half_up_to_the_minor_unit():
    assert booking.share(eur(1), 50) == eur(1)  # half a cent → 1
    assert booking.share(eur(3), 50) == eur(2)  # 1.5 → 2
    assert booking.share(eur(99), 1) == eur(1)  # 0.99 → 1
    assert booking.share(eur(49), 1) == eur(0)  # 0.49 → 0


def test_share_of_zero_and_at_zero_and_a_hundred_percent():
    assert booking.share(eur(0), 50) == eur(0)
    assert booking.share(eur(40_00), 0) == eur(0)
    assert booking.share(eur(40_00), 100) == eur(40_00)


def test_the_free_cancellation_passes_exactly_at_the_notice():
    starts = T0 + timedelta(hours=24)
    assert not booking.free_cancel_passed(POLICY, starts, T0)  # exactly 24 h before: free
    assert booking.free_cancel_passed(POLICY, starts, T0 + timedelta(seconds=1))


def test_a_seeker_cancelling_late_pays_the_late_fee_and_early_nothing():
    starts = T0 + timedelta(hours=24)
    assert booking.cancellation_fee(POLICY, eur(60_00), starts, T0, SEEKER) == eur(0)
    late = T0 + timedelta(hours=1)
    assert booking.cancellation_fee(POLICY, eur(60_00), starts, late, SEEKER) == eur(30_00)


def test_a_consultant_cancelling_never_costs_the_seeker():
    late = T0 + timedelta(hours=23)
    assert booking.cancellation_fee(POLICY, eur(60_00), T0 + timedelta(hours=24), late,
                                    CONSULTANT) == eur(0)


def test_the_no_show_fee_is_the_policy_share():
    assert booking.no_show_fee(POLICY, eur(60_01)) == eur(60_01)
    assert booking.no_show_fee(BookingPolicy(no_show_fee_percent=50), eur(1)) == eur(1)


def test_the_policy_text_states_the_fees_it_charges():
    text = booking.policy_text(POLICY, eur(60_00), None, None, free_minutes=10)
    assert "50% (€30.00)" in text and "100% (€60.00)" in text
    assert "“talk now”" in booking.policy_text(POLICY, eur(60_00), None, None, instant=True,
                                               free_minutes=10)


def test_the_policy_text_promises_free_minutes_only_when_the_session_has_them():
    assert "The first 10 minutes are free" in booking.policy_text(
        POLICY, eur(60_00), None, None, free_minutes=10)
    paid = booking.policy_text(POLICY, eur(60_00), None, None, free_minutes=0)
    assert "free, and ending" not in paid and "paid from its first minute" in paid


# --- where a session meets ---------------------------------------------------------------------


def test_a_generated_room_is_named_by_its_token_on_the_meeting_server():
    assert booking.meeting_room("https://meet.jit.si", "k3Y-_9") == "https://meet.jit.si/Agora-k3Y-_9"
    assert booking.meeting_room("https://meet.example.org/", "x") == "https://meet.example.org/Agora-x"


def test_the_consultants_own_link_wins_over_a_generated_room():
    own = "https://teams.microsoft.com/l/meetup-join/abc"
    assert booking.meeting_link(own, "https://meet.jit.si", "tok") == own
    assert booking.meeting_link(None, "https://meet.jit.si", "tok") == "https://meet.jit.si/Agora-tok"
    assert booking.meeting_link("  ", "https://meet.jit.si", "tok") == "https://meet.jit.si/Agora-tok"


# --- session charges ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, rule", [
    ("once per pair", session.FreeRule("once")),
    (" Once per pair per 30 days ", session.FreeRule("once", 30)),
    ("once per pair per 1 day", session.FreeRule("once", 1)),
    ("every session", session.FreeRule("every")),
    ("NEVER", session.FreeRule("never")),
])
def test_the_free_minutes_rule_reads(text, rule):
    assert session.parse_free_rule(text) == rule


@pytest.mark.parametrize("text", ["", "twice", "once per pair per 10000 days", "once per pair per days"])
def test_an_unknown_free_minutes_rule_is_refused(text):
    with pytest.raises(ValueError):
        session.parse_free_rule(text)


def test_the_free_window_by_rule_and_use():
    assert session.free_window(session.FreeRule("once"), 0) == session.FREE_MINUTES == 10
    assert session.free_window(session.FreeRule("once", 30), 1) == 0
    assert session.free_window(session.FreeRule("every"), 5) == 10
    assert session.free_window(session.FreeRule("never"), 0) == 0


def test_a_rate_unit_buys_its_minutes_and_an_unknown_one_is_refused():
    assert [session.check_unit(u) for u in ("session30", "session60", "minute")] == [30, 60, 1]
    with pytest.raises(DomainError):
        session.check_unit("hour")


def test_price_for_counts_whole_blocks_and_every_minute():
    assert session.price_for(eur(40_00), "session30", 30) == eur(40_00)
    assert session.price_for(eur(40_00), "session30", 31) == eur(80_00)
    assert session.price_for(eur(40_00), "session60", 0) == eur(0)
    assert session.price_for(eur(1_50), "minute", 45) == eur(67_50)


def test_extension_price_is_the_block_per_minute_rounded_half_up():
    assert session.extension_price(eur(1_00), "session60", 30) == eur(50)
    assert session.extension_price(eur(1), "session30", 15) == eur(1)  # 0.5 → 1
    assert session.extension_price(eur(1), "session60", 29) == eur(0)  # 0.483 → 0
    assert session.extension_price(eur(40_00), "session30", 0) == eur(0)


def test_started_minutes_count_each_started_minute_and_never_below_zero():
    assert session.started_minutes(T0, T0) == 0
    assert session.started_minutes(T0, T0 + timedelta(seconds=1)) == 1
    assert session.started_minutes(T0, T0 + timedelta(minutes=2)) == 2
    assert session.started_minutes(T0, T0 - timedelta(minutes=2)) == 0


def _charge(unit, rate, end_after, booked=30, extended=0, authorised=100_000, paid_after=10,
            started=True):
    paid_from = T0 + timedelta(minutes=paid_after)
    return session.charge(eur(rate), unit, T0 if started else None, paid_from, booked, extended,
                          eur(authorised), T0 + end_after)


def test_nothing_is_charged_before_the_free_window_closes_or_when_never_started():
    assert _charge("session30", 40_00, timedelta(minutes=9, seconds=59)) == eur(0)
    assert _charge("session30", 40_00, timedelta(minutes=20), started=False) == eur(0)


def test_a_session_rate_charges_the_booked_blocks_from_the_free_window_on():
    assert _charge("session30", 40_00, timedelta(minutes=10)) == eur(40_00)
    assert _charge("session30", 40_00, timedelta(minutes=30)) == eur(40_00)


def test_a_session_rate_charges_extended_minutes_per_minute_half_up():
    assert _charge("session30", 40_00, timedelta(minutes=40), extended=15) == eur(53_33)
    # beyond the extension it stops at the extended end
    assert _charge("session30", 40_00, timedelta(minutes=90), extended=15) == eur(60_00)


def test_a_minute_rate_charges_started_minutes_from_the_free_window_to_the_booked_end():
    assert _charge("minute", 1_00, timedelta(minutes=12, seconds=1)) == eur(3_00)
    assert _charge("minute", 1_00, timedelta(minutes=50)) == eur(20_00)


def test_never_more_than_the_authorisation():
    assert _charge("session30", 40_00, timedelta(minutes=20), authorised=39_99) == eur(39_99)


def test_a_session_up_to_five_days_away_is_authorised_at_confirmation():
    assert booking.authorised_at_confirmation(T0 + timedelta(days=5), T0)
    assert not booking.authorised_at_confirmation(T0 + timedelta(days=5, seconds=1), T0)
    assert booking.authorised_at_confirmation(None, T0)
    assert booking.authorised_at_confirmation(T0, None)
