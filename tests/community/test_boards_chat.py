"""Boards in chat (the terminal driver; Telegram and Slack render the same replies): what
reaches other people through the outbox — a post relayed once to each follower and never to its
author, replies, reports reaching the admins with the text and hiding by admins only, in memory
(the forum's fake and the chat's postbox, the boards' handlers wired as on the database); the
journey on the database is test_boards_across_channels.py's. The rules of each use case are
tested without a database in test_boards.py, and the flow's own (the seeded boards, reactions,
stale buttons and bad input) in test_boards_in_memory_chat.py; these prove the chat carries
them out."""

from __future__ import annotations

from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import Choice
from core.community import wiring as boards_wiring
from core.community.forum import Forum
from tests.community.fakes import MemoryForum
from tests.community.helpers import actions, told
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

POST = "Our pellets tested at 0.6% ash last week — what do your labs see?"


async def open_board(user: ChatUser, title: str = "Pellet quality") -> None:
    await user.say("/boards")
    await user.tap(title)
    assert f"🗣 {title}" in user.texts()


def boards_chat(*names: str) -> tuple[MemoryChat, list[int]]:
    """Members chatting on the terminal, known to the forum by name, in a chat whose boards
    are the in-memory forum and whose boards' notices land in its postbox; their ids (root
    is an admin, as the test settings make `terminal:root`)."""
    forum = MemoryForum()
    chat = MemoryChat(ALL_FLOWS, stores={Forum: forum}, wiring=[boards_wiring.wire])
    ids = []
    for key in names:
        member = chat.turns.register("terminal", key, key.title(), roles=("buyer", "seller"),
                                     admin=key == "root")
        ids.append(forum.person(member.id, key.title(), admin=key == "root"))
    return chat, ids


async def test_a_post_reaches_each_follower_once_and_never_its_author():
    chat, (ann, bob, carl) = boards_chat("ann", "bob", "carl")
    for name in ("ann", "bob"):
        user = ChatUser(chat, name)
        await open_board(user)
        await user.tap("Follow")
        assert "You follow this board" in user.texts()
    carl_chat = ChatUser(chat, "carl")
    await open_board(carl_chat)
    await carl_chat.tap("New post")
    await carl_chat.say(POST)
    assert "Posted" in carl_chat.texts() and POST in carl_chat.texts()
    for member in (ann, bob):
        [notice] = await told(chat, member, "Pellet quality — Carl posted")
        assert POST in notice["text"]
        assert {"👍", "❤️", "💡", "✍ Reply", "⚠ Report"} <= set(actions(notice))
    assert await told(chat, carl, "posted") == []

    # Bob unfollows: the next post does not reach him.
    bob_chat = ChatUser(chat, "bob")
    await open_board(bob_chat)
    await bob_chat.tap("Unfollow")
    await carl_chat.tap("Board")
    await carl_chat.tap("New post")
    await carl_chat.say("A second question about moisture content")
    assert len(await told(chat, bob, "Carl posted")) == 1
    assert len(await told(chat, ann, "Carl posted")) == 2


async def test_a_reply_reaches_the_author_and_followers_but_not_the_replier():
    chat, (ann, bob, carl) = boards_chat("ann", "bob", "carl")
    ann_chat = ChatUser(chat, "ann")
    await open_board(ann_chat)
    await ann_chat.tap("New post")
    await ann_chat.say(POST)
    carl_chat = ChatUser(chat, "carl")
    await open_board(carl_chat)
    await carl_chat.tap("Follow")
    bob_chat = ChatUser(chat, "bob")
    await open_board(bob_chat)
    await bob_chat.tap("💬 #1")
    await bob_chat.tap("Reply")
    await bob_chat.say("Ours are at 0.7%, measured by SGS.")
    assert "Ours are at 0.7%" in bob_chat.texts()
    [to_ann] = await told(chat, ann, "Bob replied to Ann's post")
    assert "Ours are at 0.7%" in to_ann["text"] and POST[:40] in to_ann["text"]
    assert len(await told(chat, carl, "Bob replied to Ann's post")) == 1  # a follower
    assert await told(chat, bob, "replied") == []
    # Ann answers from the notice's Reply button.
    await ann_chat.send(Choice(actions(to_ann)["✍ Reply"]))
    await ann_chat.say("Thanks — same here.")
    [to_bob] = await told(chat, bob, "Ann replied to Ann's post")
    assert "same here" in to_bob["text"]


async def test_a_report_reaches_the_admins_with_the_text_and_an_admin_hides_the_post():
    chat, (ann, eve, root) = boards_chat("ann", "eve", "root")
    ann_chat = ChatUser(chat, "ann")
    await open_board(ann_chat)
    await ann_chat.tap("New post")
    await ann_chat.say("Cheap pellets, write to me at ann@example.com for a deal")
    eve_chat = ChatUser(chat, "eve")
    await open_board(eve_chat)
    await eve_chat.tap("#1")
    assert "Hide" not in eve_chat.labels()
    await eve_chat.tap("Report")
    await eve_chat.say("Advertising, not a question")
    assert "Reported" in eve_chat.texts()
    [notice] = await told(chat, root, "Eve reported a post by Ann")
    assert "Cheap pellets" in notice["text"] and "Advertising, not a question" in notice["text"]
    assert await told(chat, eve, "reported") == []

    # Eve can't hide it, even with the admin's button.
    await eve_chat.send(Choice(actions(notice)["🙈 Hide"]))
    assert "Only Agora's admins hide posts" in eve_chat.texts()
    await eve_chat.say("I want it gone")
    assert "administrators" in eve_chat.texts().lower() or "admin" in eve_chat.texts().lower()

    root_chat = ChatUser(chat, "root")
    await root_chat.send(Choice(actions(notice)["🙈 Hide"]))
    await root_chat.say("Advertising belongs in listings")
    assert "Hidden from the board" in root_chat.texts()
    [to_ann] = await told(chat, ann, "An admin hid your post")
    assert "Advertising belongs in listings" in to_ann["text"]
    await open_board(eve_chat)
    assert "Cheap pellets" not in eve_chat.texts() and "No posts yet" in eve_chat.texts()
    await eve_chat.send(Choice("@do:board_post:1"))
    assert "no longer there" in eve_chat.texts()
    # That a member can't hide and a hidden post takes no reply is the use cases' (test_boards.py).