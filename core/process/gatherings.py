"""A gathering (webinar, trade show, meetup), declared once: scheduled until its start time,
when the system starts it; reminders go 24 h and 15 min before."""

from __future__ import annotations

from datetime import timedelta

from core.process.model import SYSTEM, Process, Timer, Transition

REMINDERS = (timedelta(hours=24), timedelta(minutes=15))

GATHERING_PROCESS = Process(
    name="gathering",
    initial="scheduled",
    transitions=(Transition("start", ("scheduled",), "started", (SYSTEM,)),),
    told_by="core.learning.notices",  # its notices are not declared yet
    final=("started",),
    timers=(Timer("scheduled", timedelta(0), "start", remind=REMINDERS, anchor="start",
                  at="the start time"),),
)
