"""Documents are drawn off the event loop, so a worker drawing one goes on answering everyone
else. fpdf2 spends about a tenth of a second of CPU on a document (more with an e-invoice
embedded); drawn on the loop, that was as long again in which no update, webhook or page of
anyone else was answered, and under load a worker's turns queued behind a few documents."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from core.deals.terms import service as deal_terms
from core.deals.terms.pdf import render_terms, terms_pdf
from tests.contracts.support import contract_agreed


@dataclass(frozen=True)
class Watched:
    result: Any
    pause: float  # the longest the loop went without a turn, in seconds


async def watched(work: Callable[[], Awaitable[Any]]) -> Watched:
    """`work` run while another task takes every turn the loop gives it, as a worker's other
    updates would: the longest gap between two turns is how long everyone else waited."""
    loop = asyncio.get_running_loop()
    gaps: list[float] = []
    done = asyncio.Event()

    async def others() -> None:
        last = loop.time()
        while not done.is_set():
            await asyncio.sleep(0)
            now = loop.time()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(others())
    await asyncio.sleep(0)  # the other task has started
    try:
        result = await work()
    finally:
        done.set()
        await task
    return Watched(result, max(gaps))


async def on_the_loop(draw: Callable[[], bytes]) -> bytes:
    """How a document was drawn before: in the coroutine, on the loop."""
    return draw()


async def test_a_deals_terms_are_drawn_while_the_loop_answers_the_others(app):
    _sam, bob, _eve, _listing, deal_id = await contract_agreed(app)
    async with app.uow() as uow:
        terms = await deal_terms.current(uow, deal_id)
        assert terms is not None
        before = await watched(lambda: on_the_loop(lambda: render_terms(
            terms.body, terms.sha256, terms.version, deal_id=deal_id,
            created_at=terms.created_at)))
        now = await watched(lambda: terms_pdf(uow, deal_id, bob.id))
    assert now.result.startswith(b"%PDF") and before.result.startswith(b"%PDF")
    # The same document: drawn on the loop, nobody else had a turn until it was done.
    assert now.pause < before.pause / 2, (now.pause, before.pause)
