"""The support ticket, declared once: who may answer, close, reopen and rate it, from where, and
the first-answer deadline (the SLA) whose breach escalates to every admin."""

from __future__ import annotations

from datetime import timedelta

from core.process.model import STAY, SYSTEM, Process, Timer, Transition

ASKER, OPERATOR = "asker", "operator"
EITHER = (ASKER, OPERATOR)
NOT_CLOSED = ("open", "answered", "waiting_for_operator")

# How each status reads in a person's ticket list and on an operator's queue.
STATUS_LABELS = {
    "open": "open — waiting for an operator's first answer",
    "answered": "answered — waiting for you",
    "waiting_for_operator": "waiting for an operator",
    "closed": "closed",
}
# The same, as an operator reads it (the asker is "the user", not "you").
OPERATOR_LABELS = {**STATUS_LABELS, "answered": "answered — waiting for the user"}

TICKET_PROCESS = Process(
    name="ticket",
    initial="open",
    transitions=(
        Transition("operator-reply", NOT_CLOSED, "answered", (OPERATOR,), "Reply"),
        Transition("asker-reply", ("answered",), "waiting_for_operator", (ASKER,), "Answer"),
        Transition("add-detail", ("open", "waiting_for_operator"), STAY, (ASKER,), "Add a detail"),
        Transition("close", NOT_CLOSED, "closed", EITHER, "Close"),
        Transition("reopen", ("closed",), "waiting_for_operator", EITHER, "Reopen"),
        Transition("rate", ("closed",), STAY, (ASKER,), "Rate the answer"),
        Transition("escalate", ("open",), STAY, (SYSTEM,)),
    ),
    told_by="core.support.notices",  # its notices are not declared yet
    final=("closed",),
    # The deadline's length is a setting (AGORA_SUPPORT_SLA_HOURS); 4 h is its default.
    timers=(Timer("open", timedelta(hours=4), "escalate",
                  at="the first-answer deadline (AGORA_SUPPORT_SLA_HOURS)"),),
)
