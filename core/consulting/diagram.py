"""The booking process as a Markdown page (docs/booking-process.md is this, written out)."""

from __future__ import annotations

from core.consulting.process import BOOKING_PROCESS, STATE_LABELS


def markdown() -> str:
    """The page: the diagram, who may take each step from where, and what each state means."""
    rows = [f"| {name} | {', '.join(sources)} | {', '.join(actors)} | {target} |\n"
            for name, sources, actors, target in BOOKING_PROCESS.authorisation_table()]
    states = [f"| {state} | {STATE_LABELS.get(state, '')} |\n" for state in BOOKING_PROCESS.states]
    return ("# Booking process\n"
            "Generated from `core/consulting/process.py` (a test fails when this file and the "
            "declaration differ). Timers counted from the start or end run from the booked "
            "session's own time; `(same)` keeps the state. A “talk now” request waits the "
            "policy's join window (2 minutes by default) instead of a day. Reminders go 24 h "
            "and 15 min before the start. `authorise-payment` runs only for a session "
            "confirmed more than 5 days ahead: the maximum is authorised off-session on the "
            "card the seeker saved at booking, or the seeker is asked when none was saved or it "
            "was declined; `release-unpaid` is taken only while still unpaid. "
            "From `starting` the live session decides: its start, "
            "end and no-show timer take `start-session`, `complete-session` and the no-shows "
            "as the system (`core/consulting/session_link.py`).\n"
            f"\n```mermaid\n{BOOKING_PROCESS.diagram()}```\n"
            "\n| transition | from | who | to |\n|---|---|---|---|\n" + "".join(rows)
            + "\n| state | meaning |\n|---|---|\n" + "".join(states))
