"""A gathering (webinar, trade show, meetup), declared once: scheduled until its start time,
when the system starts it and its attendees hear it begins (sent by core.learning.notices);
reminders go 24 h and 15 min before."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from core.process.model import SYSTEM, Notice, Process, Timer, Transition

REMINDERS = (timedelta(hours=24), timedelta(minutes=15))
ATTENDEE = "attendee"  # who is going (to an event: or maybe going), told as a notice's `to`

class GatheringState(StrEnum):
    """A gathering's `status`: the states of GATHERING_PROCESS, compared by name."""

    SCHEDULED = "scheduled"
    STARTED = "started"


GATHERING_PROCESS = Process(
    name="gathering",
    initial="scheduled",
    transitions=(Transition("start", ("scheduled",), "started", (SYSTEM,),
                            notices=(Notice(ATTENDEE, "started", "details"),)),),
    final=("started",),
    timers=(Timer("scheduled", timedelta(0), "start", remind=REMINDERS, anchor="start",
                  at="the start time"),),
)
