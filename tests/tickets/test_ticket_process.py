"""The ticket process declaration: one source for guards, authorisation, the SLA timer and the
diagram in docs/."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import Conflict, NotAllowed
from core.process.diagrams import ticket_page
from core.process.model import SYSTEM
from core.process.tickets import TICKET_PROCESS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ticket-process.md"


def test_the_diagram_in_docs_is_the_declaration_written_out():
    assert DOCS.read_text() == ticket_page(), (
        "run: python -c 'from core.process.diagrams import ticket_page; "
        "open(\"docs/ticket-process.md\", \"w\").write(ticket_page())'")


def test_only_the_declared_side_may_take_a_step_from_its_states():
    assert TICKET_PROCESS.check("operator-reply", "open", "operator").target == "answered"
    with pytest.raises(NotAllowed):
        TICKET_PROCESS.check("operator-reply", "open", "asker")
    with pytest.raises(NotAllowed):
        TICKET_PROCESS.check("rate", "closed", "operator")
    with pytest.raises(Conflict):
        TICKET_PROCESS.check("rate", "open", "asker")


def test_the_only_timer_is_the_first_answer_deadline_taken_by_the_system():
    [timer] = TICKET_PROCESS.timers
    assert (timer.state, timer.fires) == ("open", "escalate")
    assert SYSTEM in TICKET_PROCESS.transition("escalate").actors
    assert TICKET_PROCESS.states == ("open", "answered", "waiting_for_operator", "closed")
