"""Tickets through the core services the chat and the web console share: opening with context,
the operator's answer and the asker's, closing, reopening, rating, and the queue. The rules run
on the in-memory desk (`tests/tickets/fakes.py`, no database), a whole conversation with the
notices it sets going (the wiring, in the chat's postbox); `test_desk_contract.py` holds the two
desks alike, and the journeys through the real stores are test_support_chat.py's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import Conflict, DomainError
from core.support import service as support
from core.support.events import TicketMessagePosted, TicketMoved, TicketOpened
from tests.tickets.chat_fakes import helpdesk
from tests.tickets.chat_fakes import opened as opened_in
from tests.tickets.fakes import ANN, EVE, ROOT, MemoryDesk, staffed
from tests.tickets.helpers import LISTING_STEP, actions, told


@pytest.fixture
def desk() -> MemoryDesk:
    return staffed()


async def test_a_ticket_keeps_the_question_its_context_and_tells_every_operator():
    chat, desk, _ = helpdesk()
    number = await opened_in(chat, ANN, "  The quantity field refuses 500 t  ", LISTING_STEP,
                             "telegram")
    found = desk.tickets[number]
    assert (found.status, found.question, found.channel) == (
        "open", "The quantity field refuses 500 t", "telegram")
    assert found.first_answer_due_at == found.created_at + desk.sla()
    [notice] = await told(chat, ROOT, "New support ticket")
    assert f"#{number} from Ann (telegram)" in notice["text"]
    assert ("Context: in a new listing, step details — Quantity; about listing #42"
            in notice["text"])
    assert ("handle_ticket", f"reply:{number}", "✍ Reply") in actions(notice)
    assert await told(chat, ANN, "ticket") == []


async def test_a_whole_conversation_answer_reply_close_rate_and_reopen():
    chat, desk, _ = helpdesk()
    number = await opened_in(chat, ANN)

    async def run(use_case, *args):
        async with chat.uow() as uow:  # one use case in its own committed transaction
            result = await use_case(uow, *args)
            await uow.commit()
            return result

    await run(support.operator_reply, ROOT, number, "It leaves tonight.")
    found = desk.tickets[number]
    assert found.status == "answered" and found.first_answered_at is not None
    [answer] = await told(chat, ANN, "Agora support answered")
    assert "It leaves tonight." in answer["text"] and answer["channel"] == "terminal"
    assert [a[:2] for a in actions(answer)] == [("my_ticket", f"reply:{number}"),
                                                ("my_ticket", f"close:{number}")]
    await run(support.user_reply, ANN, number, "Thanks, and the invoice?")
    assert desk.tickets[number].status == "waiting_for_operator"
    assert await told(chat, ROOT, "Thanks, and the invoice?")
    await run(support.close, ROOT, number)
    [rate_me] = await told(chat, ANN, "closed your ticket")
    assert ("my_ticket", f"rate:{number}:5", "★★★★★") in actions(rate_me)
    await run(support.rate, ANN, number, 5)
    with pytest.raises(Conflict):
        await run(support.rate, ANN, number, 1)
    assert desk.tickets[number].rating == 5
    with pytest.raises(Conflict, match="reopen it to write"):
        await run(support.user_reply, ANN, number, "One more thing")
    await run(support.reopen, ANN, number)
    assert desk.tickets[number].status == "waiting_for_operator"
    view = await support.ticket_view(desk, ANN, number)
    assert [(m.author, m.text) for m in view.messages] == [
        ("You", "My payout has not arrived"), ("Agora support", "It leaves tonight."),
        ("You", "Thanks, and the invoice?")]
    assert view.next_steps == ["add-detail", "close"]


async def test_the_conversation_moves_the_ticket_and_tells_who_wrote_what(desk):
    ticket = await support.open_ticket(desk, ANN, "  The quantity field refuses 500 t  ",
                                       LISTING_STEP, "telegram")
    assert (ticket.status, ticket.question, ticket.channel) == (
        "open", "The quantity field refuses 500 t", "telegram")
    assert ticket.context.object_id == 42
    assert ticket.first_answer_due_at == ticket.created_at + desk.sla()
    answer = await support.operator_reply(desk, ROOT, ticket.id, "It leaves tonight.")
    assert desk.tickets[ticket.id].status == "answered"
    assert desk.tickets[ticket.id].first_answered_at == desk.now()
    detail = await support.user_reply(desk, ANN, ticket.id, "Thanks, and the invoice?")
    assert desk.tickets[ticket.id].status == "waiting_for_operator"
    await support.close(desk, ROOT, ticket.id)
    assert (await support.rate(desk, ANN, ticket.id, 5)).rating == 5
    with pytest.raises(Conflict):
        await support.rate(desk, ANN, ticket.id, 1)
    with pytest.raises(Conflict, match="reopen it to write"):
        await support.user_reply(desk, ANN, ticket.id, "One more thing")
    await support.reopen(desk, ANN, ticket.id)
    assert desk.tickets[ticket.id].status == "waiting_for_operator"
    view = await support.ticket_view(desk, ANN, ticket.id)
    assert [(m.author, m.text) for m in view.messages] == [
        ("You", "The quantity field refuses 500 t"), ("Agora support", "It leaves tonight."),
        ("You", "Thanks, and the invoice?")]
    assert view.next_steps == ["add-detail", "close"]
    assert [(a.action, a.subject) for a in desk.audited] == [
        ("ticket-answered", f"ticket:{ticket.id}"), ("ticket-closed", f"ticket:{ticket.id}")]
    moves = [(e.transition, e.source, e.target, e.actor_id) for e in desk.events
             if isinstance(e, TicketMoved)]
    assert moves == [("operator-reply", "open", "answered", ROOT),
                     ("asker-reply", "answered", "waiting_for_operator", ANN),
                     ("close", "waiting_for_operator", "closed", ROOT),
                     ("rate", "closed", "closed", ANN),
                     ("reopen", "closed", "waiting_for_operator", ANN)]
    assert [e for e in desk.events if not isinstance(e, TicketMoved)] == [
        TicketOpened(ticket.id), TicketMessagePosted(ticket.id, answer, "operator"),
        TicketMessagePosted(ticket.id, detail, "asker")]


@pytest.mark.parametrize(("question", "said"), [
    ("", "empty"), ("   \x00\x07  ", "empty"), ("help", "at least 10"),
    ("x" * 2001, "under 2,000")])
async def test_a_question_that_is_empty_too_short_or_too_long_is_refused_politely(desk, question,
                                                                                   said):
    with pytest.raises(DomainError, match=said):
        await support.open_ticket(desk, ANN, question)
    assert desk.tickets == {} and desk.events == []


async def test_a_person_may_have_five_tickets_waiting_at_once(desk):
    for n in range(5):
        await support.open_ticket(desk, ANN, f"Question number {n} about payouts")
    with pytest.raises(Conflict, match="5 tickets waiting"):
        await support.open_ticket(desk, ANN, "My payout has not arrived")
    assert len(desk.tickets) == 5


async def test_the_queue_puts_new_tickets_first_oldest_deadline_first(desk):
    first = (await support.open_ticket(desk, ANN, "My payout has not arrived")).id
    desk.at += timedelta(minutes=5)
    second = (await support.open_ticket(desk, EVE, "Where are my receipts?")).id
    desk.at += timedelta(minutes=5)
    third = (await support.open_ticket(desk, ANN, "Another question entirely")).id
    await support.operator_reply(desk, ROOT, first, "Answered.")
    queue = await support.tickets_for_operator(desk, ROOT)
    assert [t.id for t in queue] == [second, third, first]
    assert [t.id for t in await support.tickets_for_operator(desk, ROOT, "answered")] == [first]
    with pytest.raises(DomainError, match="no ticket status"):
        await support.tickets_for_operator(desk, ROOT, "bogus")


async def test_an_answer_stops_the_first_answer_clock_and_closing_twice_is_refused(desk):
    number = (await support.open_ticket(desk, ANN, "My payout has not arrived")).id
    assert desk.running(number) == {"escalate": desk.now() + desk.sla()}
    await support.operator_reply(desk, ROOT, number, "On it.")
    assert desk.running(number) == {}
    await support.close(desk, ANN, number)
    with pytest.raises(Conflict):
        await support.close(desk, ROOT, number)
