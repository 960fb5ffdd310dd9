"""Boards in chat with no database anywhere: the real /boards flow through the engine in
memory, its use cases on the in-memory forum (core.storage.stores hands the flow's `boards`
calls the chat's `MemoryForum`): the seeded boards, reactions one per person, stale buttons and
bad input refused politely. What reaches other people (posts relayed to followers, replies,
reports and hiding, through the outbox) is proven on the database: test_boards_chat.py."""

from __future__ import annotations

from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import Choice
from core.community import boards
from core.community.forum import Forum
from tests.community.fakes import MemoryForum
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

POST = "Our pellets tested at 0.6% ash last week — what do your labs see?"
ANN, BOB = 1, 2


def forum_chat() -> tuple[MemoryChat, MemoryForum]:
    """Ann and Bob, members, in a chat whose boards are the forum returned."""
    forum = MemoryForum()
    chat = MemoryChat(ALL_FLOWS, stores={Forum: forum})
    for key, name, account_id in (("ann", "Ann", ANN), ("bob", "Bob", BOB)):
        chat.turns.register("terminal", key, name, roles=("buyer", "seller"),
                            account_id=account_id)
        forum.person(account_id, name)
    return chat, forum


async def open_board(user: ChatUser, title: str = "Pellet quality") -> None:
    await user.say("/boards")
    await user.tap(title)
    assert f"🗣 {title}" in user.texts()


async def test_the_seeded_boards_are_listed():
    chat, forum = forum_chat()
    ann = ChatUser(chat, "ann")
    await ann.say("/boards")
    for title in ("Pellet quality", "Logistics in the Baltics", "Biogas", "Consulting"):
        assert title in ann.texts()
    assert len(await forum.boards()) == 4


async def test_reactions_are_one_per_person_and_counted():
    chat, forum = forum_chat()
    [pellets] = [c.board for c in await boards.boards(forum, ANN)][:1]
    post = await boards.post(forum, ANN, pellets.id, POST)
    bob_chat = ChatUser(chat, "bob")
    await bob_chat.say("/boards")
    await bob_chat.tap("Pellet quality")
    await bob_chat.tap(f"#{post.id}")
    await bob_chat.tap("👍")
    assert "👍 1  ❤️ 0  💡 0" in bob_chat.texts()
    await bob_chat.tap("👍")  # the same again
    assert "👍 0  ❤️ 0  💡 0" in bob_chat.texts()
    await bob_chat.tap("👍")
    await bob_chat.tap("❤️")  # another replaces it
    assert "👍 0  ❤️ 1  💡 0" in bob_chat.texts()
    ann_chat = ChatUser(chat, "ann")
    await ann_chat.send(Choice(f"@do:board_post:react:{post.id}:idea"))
    assert "👍 0  ❤️ 1  💡 1" in ann_chat.texts()
    assert len(forum.reactions) == 2


async def test_a_stale_button_and_bad_input_are_refused_politely():
    chat, _ = forum_chat()
    ann = ChatUser(chat, "ann")
    await open_board(ann)
    old = ann.button("New post")
    await ann.tap("All boards")
    await ann.send(Choice(old.data))
    assert "older message" in ann.texts().lower() or "no longer" in ann.texts().lower()
    await ann.tap("Pellet quality")
    await ann.tap("New post")
    await ann.say("x")
    assert "at least 2 characters" in ann.texts()
    await ann.say("y" * 2001)
    assert "under 2,000" in ann.texts()
    await ann.send(Choice("@do:board_post:react:99999:up"))
    assert "no longer there" in ann.texts()
    await ann.send(Choice("@do:board_post:react:1:thumbs"))
    assert "no longer there" in ann.texts() or "React with" in ann.texts()
