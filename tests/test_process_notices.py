"""Who hears what after a transition is declared with it (core.process.model.Notice): every
transition of a process says who hears, or why nobody does, and every name it gives resolves."""

from __future__ import annotations

import pytest

from core.consulting.booking_notices import BOOKINGS
from core.consulting.sessions.lifecycle import SESSION_PROCESS
from core.consulting.sessions.notices import SESSIONS
from core.deals.notices.book import BOOKS as DEAL_BOOKS
from core.learning.notices import GATHERINGS
from core.process.bookings import BOOKING_PROCESS
from core.process.deals import CONTRACT_PROCESS, DEAL_PROCESS, OFFER_PROCESS
from core.process.gatherings import GATHERING_PROCESS
from core.process.model import STAY, SYSTEM, Notice, Process, Transition
from core.process.tickets import TICKET_PROCESS
from core.support.notices import TICKETS

PROCESSES = (OFFER_PROCESS, DEAL_PROCESS, CONTRACT_PROCESS, BOOKING_PROCESS, SESSION_PROCESS,
             TICKET_PROCESS, GATHERING_PROCESS)
BOOKS = (*DEAL_BOOKS, TICKETS, BOOKINGS, GATHERINGS, SESSIONS)


def test_every_transition_declares_its_notices_or_why_it_is_silent():
    """…or, for a step that keeps the state, the event that tells of it."""
    for process in PROCESSES:
        for step in process.transitions:
            said = (step.notices, step.silent, step.told_by)
            assert sum(map(bool, said)) == 1, f"{process.name}/{step.name}"
            assert not step.told_by or step.target == STAY, f"{process.name}/{step.name}"


def test_every_declared_notice_names_a_builder_and_a_party_of_its_process():
    declared = {p.name for p in PROCESSES}
    assert {book.process.name for book in BOOKS} == declared
    for book in BOOKS:
        assert book.unresolved() == []


def test_a_transition_that_forgets_its_notices_is_refused_when_declared():
    with pytest.raises(ValueError, match="declares no notices"):
        Process("p", "a", (Transition("go", ("a",), "b", (SYSTEM,)),), ("b",))
    with pytest.raises(ValueError, match="and is silent"):
        Process("p", "a", (Transition("go", ("a",), "b", (SYSTEM,), silent="why",
                                      notices=(Notice("buyer", "went"),)),), ("b",))
    Process("p", "a", (Transition("go", ("a",), "b", (SYSTEM,), silent="nobody waits"),),
            ("b",))


def test_the_docs_say_who_hears_each_step():
    assert DEAL_PROCESS.transition("mark-shipped").who_hears() == "buyer: shipped"
    assert DEAL_PROCESS.transition("escalate-dispute").who_hears() == "admins: dispute_escalated"
    assert CONTRACT_PROCESS.transition("end").who_hears().startswith("nobody (")
