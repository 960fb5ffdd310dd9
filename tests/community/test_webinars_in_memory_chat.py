"""Webinars in chat with no database anywhere: the real /publish and gathering flows through
the engine in memory, their use cases on the in-memory agenda and shelf (core.storage.stores
hands the flows' calls the chat's fakes): publishing is for admins, every answer is checked,
and a stale or unknown button is refused. The journey on the database, with the calendar
invite, reminders, the join link and the recording reaching people: test_webinars.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import Choice
from core.errors import DomainError
from core.learning import gatherings
from core.learning.agenda import Agenda
from core.learning.shelf import Shelf
from tests.learning.fakes import MemoryAgenda, MemoryShelf
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

JOIN = "https://meet.example.org/pellet-webinar"
ROOT, EVE, ANN = 1, 2, 3


def agenda_chat() -> tuple[MemoryChat, MemoryAgenda]:
    """Root (an admin, in Riga), Eve and Ann, in a chat whose gatherings are the agenda
    returned."""
    agenda, shelf = MemoryAgenda(admins={ROOT}), MemoryShelf()
    chat = MemoryChat(ALL_FLOWS, stores={Agenda: agenda, Shelf: shelf})
    for key, name, account_id in (("root", "Root", ROOT), ("eve", "Eve", EVE),
                                  ("ann", "Ann", ANN)):
        chat.turns.register("terminal", key, name, admin=account_id == ROOT,
                            account_id=account_id)
        shelf.person(account_id, name, admin=account_id == ROOT)
    return chat, agenda


async def test_publishing_is_for_admins_and_answers_are_checked():
    chat, agenda = agenda_chat()
    eve_chat = ChatUser(chat, "eve")
    await eve_chat.say("/publish")
    assert "admin" in eve_chat.texts().lower()
    with pytest.raises(DomainError, match=r"(?i)admin"):
        await gatherings.publish(agenda, EVE, kind="webinar", title="Sneaky",
                                 starts_at=chat.now() + timedelta(days=1), minutes=60,
                                 join_url=JOIN)
    root = ChatUser(chat, "root")
    await root.say("/publish")
    await root.tap("A webinar")
    await root.say("x")
    assert "at least 3 characters" in root.texts()
    await root.say("Biogas grid injection")
    await root.say("2026-11-19 10:00")
    assert "has passed" in root.texts()
    await root.say("next tuesday-ish")
    assert "2026-12-03 15:00" in root.texts()
    await root.say("2026-12-01 10:00")
    await root.say("5")
    assert "15 to 7200" in root.texts()
    await root.say("45")
    await root.say("javascript:alert(1)")
    assert "web address" in root.texts()
    await root.say(JOIN)
    await root.say("A" * 1501)
    assert "under 1,500" in root.texts()
    await root.tap("Skip")
    assert "Published" in root.texts()
    assert [g.title for g in agenda.gatherings.values()] == ["Biogas grid injection"]


async def test_a_stale_or_unknown_webinar_button_is_refused():
    chat, _ = agenda_chat()
    ann = ChatUser(chat, "ann")
    await ann.send(Choice("@do:view_gathering:rsvp:999:going"))
    assert "doesn't exist" in ann.texts()
    await ann.send(Choice("@do:view_gathering:rsvp:1:dancing"))
    assert "doesn't exist" in ann.texts() or "Answer going" in ann.texts()
