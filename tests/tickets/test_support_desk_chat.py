"""The operators' desk in chat (/tickets): the queue with deadlines, a ticket with its context
and thread, a reply that reaches the person, closing — each through the shared services."""

from __future__ import annotations

from tests.support.chat import ChatUser
from tests.tickets.helpers import LISTING_STEP, actions, opened, people, ticket, told


async def test_an_operator_works_the_queue_from_chat(app, clock):
    ann, _, eve = await people(app)
    first = await opened(app, ann, "The quantity field refuses 500 t", LISTING_STEP)
    clock.advance(minutes=10)
    second = await opened(app, eve, "Where do I find my receipts?")
    desk = ChatUser(app, "root")
    await desk.say("/tickets")
    assert desk.labels()[:2] == [f"#{first}", f"#{second}"]  # the oldest deadline first
    await desk.tap(f"#{first}")
    assert f"Ticket #{first} from Ann (terminal)" in desk.texts()
    assert "Context: in a new listing, step details — Quantity; about listing #42" in desk.texts()
    await desk.tap("Reply")
    await desk.say("   ")
    assert "empty" in desk.texts()
    await desk.say("Type the amount and the unit: 500 t works now.")
    assert "✉ Sent." in desk.texts() and "answered — waiting for the user" in desk.texts()
    [answer] = await told(app, ann.id, "Agora support answered")
    assert "500 t works now" in answer["text"]
    assert [a[0] for a in actions(answer)] == ["my_ticket", "my_ticket"]
    await desk.tap("Close")
    assert (await ticket(app, first)).status == "closed"
    assert await told(app, ann.id, "How good was the answer?")
    await desk.tap("Queue")
    assert desk.labels()[0] == f"#{second}"
    await desk.tap("Closed")
    assert desk.labels()[0] == f"#{first}"
