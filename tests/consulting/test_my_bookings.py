"""`/bookings`: a seeker books a free time with a topic; both find the pending request in
/bookings with its one next step (the consultant: accept or decline; the seeker: waiting), the
consultant's request and card show the topic."""

from __future__ import annotations

from conversations.messages import Choice, ListPage
from tests.consulting.helpers import free_times
from tests.deals.chat_helpers import last_notice
from tests.support.chat import ChatUser

TOPIC = "Moisture logging for our ENplus audit"


async def _book_with_topic(app) -> tuple[ChatUser, ChatUser]:
    sid, cora = await free_times(app), ChatUser(app, "cora")
    first = next(b for r in sid.last for row in r.buttons for b in row if "|t:" in b.data)
    await sid.send(Choice(first.data))
    assert "What would you like to discuss?" in sid.texts()
    await sid.say(TOPIC)
    assert "Requested" in sid.texts()
    return sid, cora


def _items(user: ChatUser) -> list[str]:
    [page] = [r for r in user.last if isinstance(r, ListPage)]
    return [f"{i.title} | {i.subtitle}" for i in page.items]


async def test_both_sides_find_a_pending_request_in_bookings_with_its_next_step(app):
    sid, cora = await _book_with_topic(app)
    await cora.say("/bookings")
    [mine] = _items(cora)
    assert "⏳ Awaiting · #1 with Sid" in mine and "next: accept or decline" in mine, mine
    assert f"topic: {TOPIC}" in mine
    await sid.say("/bookings")
    [theirs] = _items(sid)
    assert "⏳ Awaiting · #1 with Cora" in theirs and "next: waiting for Cora" in theirs, theirs
    await cora.say("/bookings")
    await cora.send(Choice(next(i.button.data for r in cora.last if isinstance(r, ListPage)
                                for i in r.items)))
    assert f"Topic: {TOPIC}" in cora.texts() and "Accept" in " ".join(cora.labels())
    await cora.tap("Accept")
    await cora.say("/bookings")
    assert "📅 Upcoming · #1 with Sid" in _items(cora)[0]


async def test_the_request_shows_the_consultant_the_seekers_topic(app):
    _, cora = await _book_with_topic(app)
    assert f"Topic: {TOPIC}" in await last_notice(app, cora, "asks for a 60-minute session")


async def test_skipping_the_topic_books_all_the_same(app):
    sid = await free_times(app)
    first = next(b for r in sid.last for row in r.buttons for b in row if "|t:" in b.data)
    await sid.send(Choice(first.data))
    await sid.tap("Skip")
    assert "Requested" in sid.texts()
