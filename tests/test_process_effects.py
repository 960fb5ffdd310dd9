"""What else a transition sets going is declared beside it (core.process.model.Transition's
`effects`), and carried out by the context that owns each effect, only for the moves that
declare it (core.process.effects): every declared effect has its handler, and no handler stands
for an effect nobody declares."""

from __future__ import annotations

import tempfile

import pytest

from config.container import build
from core.consulting.sessions.lifecycle import SESSION_PROCESS
from core.deals.events import DealMoved
from core.process.deals import DEAL_PROCESS, IN_MOVE
from core.process.effects import After, During
from core.process.model import SYSTEM, Process, Transition
from tests.support.containers import settings_for

TOY = Process("toy", "a", (
    Transition("pay", ("a",), "b", (SYSTEM,), silent="a toy", effects=("charge",)),
    Transition("wait", ("b",), "c", (SYSTEM,), silent="a toy"),
), ("c",), effects={"charge": "takes the money"})


async def _carried_out() -> dict[str, list[str]]:
    """Per process, the effects the application's bus carries out, in the order they run."""
    with tempfile.TemporaryDirectory() as data:
        app = build(settings_for(f"sqlite+aiosqlite:///{data}/effects.db", data_dir=data))
        try:
            handlers = [h for by_kind in (app.bus._during, app.bus._after)
                        for registered in by_kind.values() for h in registered]
        finally:
            await app.close()
    carried: dict[str, list[str]] = {}
    for h in handlers:
        if isinstance(h, During | After):
            carried.setdefault(h.process.name, []).append(h.effect)
    return carried


async def test_every_effect_a_process_declares_is_carried_out_once_and_nothing_else_is():
    carried = await _carried_out()
    for process in (DEAL_PROCESS, SESSION_PROCESS):
        itself = set(IN_MOVE) if process is DEAL_PROCESS else set()
        assert sorted(carried.pop(process.name)) == sorted(set(process.effects) - itself)
        assert not set(carried.get(process.name, ())) & itself  # those the move takes itself
    assert carried == {}  # no other process declares effects yet


def test_every_deal_transition_that_moves_money_declares_it():
    """Money moves on the way to the end states, never elsewhere: each transition into a state
    where the deal's money is settled declares how."""
    money = {"open-escrow", "close-unpaid-escrow", "invoice-on-terms", "release-escrow",
             "refund-escrow"}
    for step in DEAL_PROCESS.transitions:
        if step.target in ("completed", "closed", "cancelled", "refunded", "awaiting_payment"):
            assert money & set(step.effects), step.name
    assert DEAL_PROCESS.reached_by("release-escrow") == ("completed", "closed")


async def test_a_handler_runs_only_for_the_moves_that_declare_its_effect():
    ran: list[str] = []

    async def during(uow: object, event: DealMoved) -> None:
        ran.append(f"during {event.transition}")

    async def after(events: list[DealMoved]) -> None:
        ran.extend(f"after {e.transition}" for e in events)

    moves = [DealMoved(1, "pay", "a", "b"), DealMoved(1, "wait", "b", "c")]
    for move in moves:
        await During(TOY, "charge", during)(None, move)
    await After(TOY, "charge", after)(moves)
    await After(TOY, "charge", after)(moves[1:])  # nothing declared it: not called at all
    assert ran == ["during pay", "after pay"]


def test_an_effect_nobody_declares_is_refused_at_declaration_and_at_wiring():
    with pytest.raises(ValueError, match="undeclared effect 'refund'"):
        Process("p", "a", (Transition("go", ("a",), "b", (SYSTEM,), silent="-",
                                      effects=("refund",)),), ("b",))
    with pytest.raises(ValueError, match="no effect 'refund'"):
        During(TOY, "refund", lambda uow, event: None)  # type: ignore[arg-type]


def test_the_docs_list_each_transition_s_effects_and_what_each_does():
    from core.process.diagrams import deal_page

    page = deal_page()
    assert "| confirm-receipt | shipped, delivered | buyer | completed | buyer, seller: " \
           "completed | release-escrow, settle-bid-deposit, earn-points, record-carbon |" in page
    for effect, what in DEAL_PROCESS.effects.items():
        assert f"| {effect} | {what} |" in page
