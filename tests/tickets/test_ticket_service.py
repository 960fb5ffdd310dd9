"""Tickets through the core services the chat and the web console share: opening with context,
the operator's answer and the asker's, closing, reopening, rating, and the queue — on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest

from core.errors import Conflict, DomainError
from core.process import timers
from core.process.tickets import TICKET_PROCESS
from core.support import service as support
from tests.tickets.helpers import LISTING_STEP, actions, opened, people, run, ticket, told


async def test_a_ticket_keeps_the_question_its_context_and_tells_every_operator(app):
    ann, root, _ = await people(app)
    number = await opened(app, ann, "  The quantity field refuses 500 t  ", LISTING_STEP,
                          "telegram")
    found = await ticket(app, number)
    assert (found.status, found.question, found.channel) == (
        "open", "The quantity field refuses 500 t", "telegram")
    assert found.first_answer_due_at == found.created_at + app.policy.support_sla
    [notice] = await told(app, root.id, "New support ticket")
    assert f"#{number} from Ann (telegram)" in notice["text"]
    assert ("Context: in a new listing, step details — Quantity; about listing #42"
            in notice["text"])
    assert ("handle_ticket", f"reply:{number}", "✍ Reply") in actions(notice)
    assert await told(app, ann.id, "ticket") == []


async def test_a_whole_conversation_answer_reply_close_rate_and_reopen(app):
    ann, root, _ = await people(app)
    number = await opened(app, ann)
    await run(app, support.operator_reply, root.id, number, "It leaves tonight.")
    found = await ticket(app, number)
    assert found.status == "answered" and found.first_answered_at is not None
    [answer] = await told(app, ann.id, "Agora support answered")
    assert "It leaves tonight." in answer["text"] and answer["channel"] == "terminal"
    assert [a[:2] for a in actions(answer)] == [("my_ticket", f"reply:{number}"),
                                                ("my_ticket", f"close:{number}")]
    await run(app, support.user_reply, ann.id, number, "Thanks, and the invoice?")
    assert (await ticket(app, number)).status == "waiting_for_operator"
    assert await told(app, root.id, "Thanks, and the invoice?")
    await run(app, support.close, root.id, number)
    [rate_me] = await told(app, ann.id, "closed your ticket")
    assert ("my_ticket", f"rate:{number}:5", "★★★★★") in actions(rate_me)
    await run(app, support.rate, ann.id, number, 5)
    with pytest.raises(Conflict):
        await run(app, support.rate, ann.id, number, 1)
    assert (await ticket(app, number)).rating == 5
    with pytest.raises(Conflict, match="reopen it to write"):
        await run(app, support.user_reply, ann.id, number, "One more thing")
    await run(app, support.reopen, ann.id, number)
    assert (await ticket(app, number)).status == "waiting_for_operator"
    async with app.uow() as uow:
        view = await support.ticket_view(uow, ann.id, number)
    assert [(m.author, m.text) for m in view.messages] == [
        ("You", "My payout has not arrived"), ("Agora support", "It leaves tonight."),
        ("You", "Thanks, and the invoice?")]
    assert view.next_steps == ["add-detail", "close"]


@pytest.mark.parametrize(("question", "said"), [
    ("", "empty"), ("   \x00\x07  ", "empty"), ("help", "at least 10"),
    ("x" * 2001, "under 2,000")])
async def test_a_question_that_is_empty_too_short_or_too_long_is_refused_politely(app, question,
                                                                                   said):
    ann, _, _ = await people(app)
    with pytest.raises(DomainError, match=said):
        await opened(app, ann, question)


async def test_a_person_may_have_five_tickets_waiting_at_once(app):
    ann, _, _ = await people(app)
    for n in range(5):
        await opened(app, ann, f"Question number {n} about payouts")
    with pytest.raises(Conflict, match="5 tickets waiting"):
        await opened(app, ann)


async def test_the_queue_puts_new_tickets_first_oldest_deadline_first(app, clock):
    ann, root, eve = await people(app)
    first = await opened(app, ann)
    clock.advance(minutes=5)
    second = await opened(app, eve, "Where are my receipts?")
    clock.advance(minutes=5)
    third = await opened(app, ann, "Another question entirely")
    await run(app, support.operator_reply, root.id, first, "Answered.")
    queue = await run(app, support.tickets_for_operator, root.id)
    assert [t.id for t in queue] == [second, third, first]
    assert [t.id for t in await run(app, support.tickets_for_operator, root.id, "answered")] == [
        first]
    with pytest.raises(DomainError, match="no ticket status"):
        await run(app, support.tickets_for_operator, root.id, "bogus")


async def test_an_answer_stops_the_first_answer_clock_and_closing_twice_is_refused(app):
    ann, root, _ = await people(app)
    number = await opened(app, ann)
    async with app.uow() as uow:
        assert await timers.upcoming(uow, app.policy.support_sla, TICKET_PROCESS)
    await run(app, support.operator_reply, root.id, number, "On it.")
    async with app.uow() as uow:
        assert await timers.upcoming(uow, app.policy.support_sla, TICKET_PROCESS) == []
    await run(app, support.close, ann.id, number)
    with pytest.raises(Conflict):
        await run(app, support.close, root.id, number)
