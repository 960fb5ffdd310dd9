"""The tickets' rules, on plain values (no database): what a question and a message may be,
how many tickets one person may have waiting, what the asker's writing does to a ticket, the
stars of a rating (given once), and the first-answer deadline (the SLA)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from core.errors import Conflict, DomainError
from core.i18n import N_, _, present
from core.process.tickets import TicketState

MIN_QUESTION = 10  # characters: enough to say what is wrong
MAX_TEXT = 2000  # a question or a message
MAX_OPEN = 5  # tickets one person may have waiting at once
STARS = range(1, 6)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The refusals of an empty or too long text, by what it is (a message or a question).
_EMPTY = {"message": N_("The message is empty — please type it."),
          "question": N_("The question is empty — please type it.")}
_TOO_LONG = {"message": N_("That is {count} characters; please keep a message under {max_text}."),
             "question": N_("That is {count} characters; please keep a question under {max_text}.")}


def checked(text: str, *, minimum: int = 1, what: str = "message") -> str:
    """The text without control characters, trimmed; a polite refusal when empty, too short
    or too long."""
    clean = _CONTROL.sub("", str(text or "")).strip()
    if not clean:
        raise DomainError(_(_EMPTY[what]))
    if len(clean) < minimum:
        raise DomainError(_("Please describe it in a few more words (at least {minimum} "
                            "characters).", minimum=minimum))
    if len(clean) > MAX_TEXT:
        raise DomainError(_(_TOO_LONG[what], count=present.count(len(clean)),
                            max_text=present.count(MAX_TEXT)))
    return clean


def check_question(question: str) -> str:
    """The question as a ticket would keep it, or a polite DomainError (empty, too short, too
    long) — so a flow can refuse it before suggesting answers."""
    return checked(question, minimum=MIN_QUESTION, what="question")


def check_may_open(waiting: int) -> None:
    """One more ticket, with `waiting` not closed: refused at MAX_OPEN."""
    if waiting >= MAX_OPEN:
        raise Conflict(_("You have {waiting} tickets waiting already; answer or close one of "
                         "them first.", waiting=waiting))


def check_stars(stars: int) -> None:
    if stars not in STARS:
        raise DomainError(_("Rate from 1 to 5 stars."))


def first_answer_due(opened_at: datetime, sla: timedelta) -> datetime:
    """When an operator's first answer to a ticket opened at `opened_at` is due."""
    return opened_at + sla



def asker_writes(status: str) -> str:
    """The transition the asker's message takes: an answer to an operator's reply, or a
    detail added while the ticket waits; refused on a closed ticket (reopen it first)."""
    if status == TicketState.CLOSED:
        raise Conflict(_("This ticket is closed; reopen it to write again."))
    return "asker-reply" if status == TicketState.ANSWERED else "add-detail"


def check_unrated(rating: int | None) -> None:
    """A ticket is rated once."""
    if rating is not None:
        raise Conflict(_("You have rated this ticket already — thank you."))
