"""The support ticket, declared once: who may answer, close, reopen and rate it, from where, and
the first-answer deadline (the SLA) whose breach escalates to every admin."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from core.i18n import N_
from core.process.model import ADMINS, STAY, SYSTEM, Notice, Process, Timer, Transition

ASKER, OPERATOR = "asker", "operator"
EITHER = (ASKER, OPERATOR)
NOT_CLOSED = ("open", "answered", "waiting_for_operator")

# How each status reads in a person's ticket list and on an operator's queue.
STATUS_LABELS = {
    "open": N_("open — waiting for an operator's first answer"),
    "answered": N_("answered — waiting for you"),
    "waiting_for_operator": N_("waiting for an operator"),
    "closed": N_("closed"),
}
# The same, as an operator reads it (the asker is "the user", not "you").
OPERATOR_LABELS = {**STATUS_LABELS, "answered": N_("answered — waiting for the user")}

class TicketState(StrEnum):
    """A ticket's `status`: the states of TICKET_PROCESS, compared by name."""

    OPEN = "open"
    ANSWERED = "answered"
    WAITING_FOR_OPERATOR = "waiting_for_operator"
    CLOSED = "closed"


TICKET_PROCESS = Process(
    name="ticket",
    initial="open",
    transitions=(
        Transition("operator-reply", NOT_CLOSED, "answered", (OPERATOR,), N_("Reply"),
                   silent="the answer itself goes to the asker"),
        Transition("asker-reply", ("answered",), "waiting_for_operator", (ASKER,), N_("Answer"),
                   silent="the message itself goes to the operators"),
        Transition("add-detail", ("open", "waiting_for_operator"), STAY, (ASKER,), N_("Add a detail"),
                   silent="the message itself goes to the operators"),
        # The asker hears only an operator's close (asked to rate); the other side of a reopen.
        Transition("close", NOT_CLOSED, "closed", EITHER, N_("Close"),
                   notices=(Notice(ASKER, "closed_by_support", "rate"),)),
        Transition("reopen", ("closed",), "waiting_for_operator", EITHER, N_("Reopen"),
                   notices=(Notice(OPERATOR, "reopened_by_user", "operator_buttons"),
                            Notice(ASKER, "reopened_by_support", "asker_buttons"))),
        Transition("rate", ("closed",), STAY, (ASKER,), N_("Rate the answer"),
                   silent="nobody waits for a rating"),
        Transition("escalate", ("open",), STAY, (SYSTEM,),
                   notices=(Notice(ADMINS, "ticket_escalated", "operator_buttons"),)),
    ),
    final=("closed",),
    # The deadline's length is a setting (AGORA_SUPPORT_SLA_HOURS); 4 h is its default.
    timers=(Timer("open", timedelta(hours=4), "escalate",
                  at="the first-answer deadline (AGORA_SUPPORT_SLA_HOURS)"),),
)
