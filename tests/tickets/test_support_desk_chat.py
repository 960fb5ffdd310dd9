"""The operators' desk in chat (/tickets): the queue with deadlines, a ticket with its context
and thread, a reply that reaches the person, closing — each through the shared services, the
desk and the notices in memory (`tests/tickets/chat_fakes.py`). The asker's side of an
operator's answer: test_support_chat.py."""

from __future__ import annotations

from datetime import timedelta

from tests.support.chat import ChatUser
from tests.tickets.chat_fakes import helpdesk, opened
from tests.tickets.fakes import ANN, EVE
from tests.tickets.helpers import LISTING_STEP, actions, told


async def test_an_operator_works_the_queue_from_chat():
    chat, desk, _ = helpdesk()
    first = await opened(chat, ANN, "The quantity field refuses 500 t", LISTING_STEP)
    desk.at += timedelta(minutes=10)
    second = await opened(chat, EVE, "Where do I find my receipts?")
    operator = ChatUser(chat, "root")
    await operator.say("/tickets")
    assert operator.labels()[:2] == [f"#{first}", f"#{second}"]  # the oldest deadline first
    await operator.tap(f"#{first}")
    assert f"Ticket #{first} from Ann (terminal)" in operator.texts()
    assert "Context: in a new listing, step details — Quantity; about listing #42" in operator.texts()
    await operator.tap("Reply")
    await operator.say("   ")
    assert "empty" in operator.texts()
    await operator.say("Type the amount and the unit: 500 t works now.")
    assert "✉ Sent." in operator.texts() and "answered — waiting for the user" in operator.texts()
    [answer] = await told(chat, ANN, "Agora support answered")
    assert "500 t works now" in answer["text"]
    assert [a[0] for a in actions(answer)] == ["my_ticket", "my_ticket"]
    await operator.tap("Close")
    assert desk.tickets[first].status == "closed"
    assert await told(chat, ANN, "How good was the answer?")
    await operator.tap("Queue")
    assert operator.labels()[0] == f"#{second}"
    await operator.tap("Closed")
    assert operator.labels()[0] == f"#{first}"
