"""The deal process declaration: one source for guards, authorisation, timers and the diagram."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import Conflict, NotAllowed
from core.process.deals import DEAL_PROCESS, OFFER_PROCESS
from core.process.diagrams import deal_page
from core.process.model import SYSTEM, Process, Timer, Transition

DOCS = Path(__file__).resolve().parents[2] / "docs" / "deal-process.md"


def test_the_diagram_in_docs_is_the_declaration_written_out():
    assert DOCS.read_text() == deal_page(), (
        "run: python -c 'from core.process.diagrams import deal_page; "
        "open(\"docs/deal-process.md\", \"w\").write(deal_page())'")


def test_only_the_declared_actor_may_take_a_transition_from_its_states():
    assert DEAL_PROCESS.check("mark-shipped", "to_ship", "seller").target == "shipped"
    with pytest.raises(NotAllowed):
        DEAL_PROCESS.check("mark-shipped", "to_ship", "buyer")
    with pytest.raises(NotAllowed):
        DEAL_PROCESS.check("resolve-refund", "disputed", "seller")
    with pytest.raises(Conflict):
        DEAL_PROCESS.check("mark-shipped", "completed", "seller")


def test_every_waiting_state_has_a_timer_that_moves_it_on():
    waiting = {"agreed", "awaiting_payment", "to_ship", "delivered", "disputed", "completed"}
    assert {t.state for t in DEAL_PROCESS.timers} == waiting
    assert {t.state for t in OFFER_PROCESS.timers} == {"open"}
    for process in (DEAL_PROCESS, OFFER_PROCESS):
        for timer in process.timers:
            assert SYSTEM in process.transition(timer.fires).actors


def test_next_actions_are_what_a_party_may_do_in_a_state():
    labels = [t.label for t in DEAL_PROCESS.next_actions("delivered", "buyer")]
    assert labels == ["Invoice due", "Confirm delivery and quality", "Report measured quality",
                      "Open a dispute"]  # an invoice on terms, if one is due (core.deals.steps)
    assert DEAL_PROCESS.next_actions("delivered", "seller") == [
        DEAL_PROCESS.transition("dispute")]


def test_a_timer_that_cannot_fire_from_its_state_is_refused_when_declared():
    with pytest.raises(ValueError):
        Process("p", "a", (Transition("go", ("a",), "b", (SYSTEM,), silent="a test"),), ("b",),
                (Timer("b", DEAL_PROCESS.timers[0].after, "go"),))


def test_every_admin_hears_of_a_deal_entering_dispute_as_declared_and_documented():
    from core.process.model import ADMINS

    for name in ("dispute", "reject-adjustment"):
        heard = {(n.to, n.text) for n in DEAL_PROCESS.transition(name).notices}
        assert (ADMINS, "dispute_opened") in heard and ("buyer", "disputed") in heard
    assert "| disputed | buyer, seller: disputed; admins: dispute_opened |" in DOCS.read_text()
