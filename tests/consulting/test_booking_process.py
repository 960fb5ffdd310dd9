"""The booking process declaration: one source for guards, authorisation, timers, the payment's
timing and the diagram in docs/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.errors import Conflict, NotAllowed
from core.process.bookings import BOOKING_PROCESS, CONSULTANT, SEEKER
from core.process.diagrams import booking_page
from core.process.model import ADMIN, SYSTEM

DOCS = Path(__file__).resolve().parents[2] / "docs" / "booking-process.md"


def test_the_diagram_in_docs_is_the_declaration_written_out():
    assert DOCS.read_text() == booking_page(), (
        "run: python -c 'from core.process.diagrams import booking_page; "
        "open(\"docs/booking-process.md\", \"w\").write(booking_page())'")


def test_the_booking_has_the_states_a_booking_goes_through():
    assert set(BOOKING_PROCESS.states) == {
        "requested", "proposed", "confirmed", "reschedule_proposed", "starting", "in_session",
        "completed", "declined", "expired", "cancelled", "released", "no_show_consultant",
        "seeker_absent", "no_show_seeker"}


def test_only_the_declared_party_may_take_a_step_from_its_states():
    assert BOOKING_PROCESS.check("accept-request", "requested", CONSULTANT).target == "confirmed"
    for wrong in (SEEKER, ADMIN, None):
        with pytest.raises(NotAllowed):
            BOOKING_PROCESS.check("accept-request", "requested", wrong)
    with pytest.raises(NotAllowed):
        BOOKING_PROCESS.check("withdraw-request", "requested", CONSULTANT)
    with pytest.raises(Conflict, match="the booking has moved on"):
        BOOKING_PROCESS.check("cancel", "completed", SEEKER)
    assert BOOKING_PROCESS.check("cancel", "confirmed", ADMIN).target == "cancelled"


def test_nothing_leaves_a_final_state():
    for t in BOOKING_PROCESS.transitions:
        assert not set(t.sources) & set(BOOKING_PROCESS.final), t.name


def test_every_timer_is_the_systems_and_the_payment_timing_is_declared():
    for timer in BOOKING_PROCESS.timers:
        assert SYSTEM in BOOKING_PROCESS.transition(timer.fires).actors
    confirmed = {t.fires: t for t in BOOKING_PROCESS.timers_in("confirmed")}
    assert confirmed["authorise-payment"].after == -timedelta(hours=24)
    assert confirmed["release-unpaid"].after == -timedelta(hours=2)
    assert confirmed["open-session"].remind == (timedelta(hours=24), timedelta(minutes=15))
    assert {t.anchor for t in confirmed.values()} == {"start"}


def test_the_session_runtime_starts_and_completes_a_session_as_the_system():
    assert BOOKING_PROCESS.transition("start-session").actors == (SYSTEM,)
    assert BOOKING_PROCESS.check("complete-session", "in_session", SYSTEM).target == "completed"


def test_next_actions_are_what_a_party_may_do_in_a_state():
    labels = [t.label for t in BOOKING_PROCESS.next_actions("requested", CONSULTANT)]
    assert labels == ["Accept", "Propose other times", "Decline"]
    assert [t.label for t in BOOKING_PROCESS.next_actions("proposed", SEEKER)] == [
        "Accept a time", "Propose other times", "Withdraw the request"]
