"""The boards' use cases on an in-memory forum (no database): who may follow, post, reply,
react, report and hide; what a post must say; what readers get back, page by page; which
events go out for the notices. The chat, Slack and Telegram and the public site reach the same
use cases on the database (`test_boards_chat.py`, `test_boards_across_channels.py`,
`test_boards_site.py`); `test_forum_contract.py` holds the two forums alike."""

from __future__ import annotations

import pytest

from core.community import boards
from core.community.events import BoardPostAdded, BoardPostHidden, BoardPostReported
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from tests.community.fakes import MemoryForum

ROOT, ANN, BOB, EVE = 1, 2, 3, 4
POST = "Our pellets tested at 0.6% ash last week — what do your labs see?"


@pytest.fixture
async def forum() -> MemoryForum:
    """A forum with its starting boards (made by the first look), an admin and three members."""
    forum = MemoryForum()
    forum.person(ROOT, "Root", admin=True)
    for account_id, name in ((ANN, "Ann"), (BOB, "Bob"), (EVE, "Eve")):
        forum.person(account_id, name)
    await boards.boards(forum, None)
    return forum


def pellets(forum: MemoryForum) -> int:
    return forum.board_named("pellet-quality").id


async def test_the_first_look_makes_the_starting_boards_once():
    forum = MemoryForum()
    first = await boards.boards(forum, None)
    assert [c.board.slug for c in first] == [
        "pellet-quality", "logistics-baltics", "biogas", "consulting"]
    assert [c.board.title for c in first][:2] == ["Pellet quality", "Logistics in the Baltics"]
    assert all((c.posts, c.followers, c.following) == (0, 0, False) for c in first)
    await boards.seed(forum)
    assert await boards.boards(forum, None) == first
    with pytest.raises(NotFound, match="board doesn't exist"):
        await boards.board(forum, 99)


async def test_following_counts_once_per_person_and_only_for_members(forum):
    board_id = pellets(forum)
    assert await boards.subscribe(forum, ANN, board_id) is True
    assert await boards.subscribe(forum, ANN, board_id) is False  # already following
    assert await boards.subscribe(forum, BOB, board_id) is True
    assert await boards.follows(forum, ANN, board_id) and not await boards.follows(forum, EVE,
                                                                                   board_id)
    assert not await boards.follows(forum, None, board_id)
    [card, *others] = await boards.boards(forum, ANN)
    assert (card.followers, card.following) == (2, True)
    assert all(not c.following and c.followers == 0 for c in others)
    assert await boards.unsubscribe(forum, BOB, board_id) is True
    assert await boards.unsubscribe(forum, BOB, board_id) is False  # not following
    assert (await boards.boards(forum, BOB))[0].followers == 1
    with pytest.raises(NotAllowed, match="register"):
        await boards.subscribe(forum, None, board_id)
    with pytest.raises(NotAllowed, match="register"):
        await boards.unsubscribe(forum, None, board_id)
    with pytest.raises(NotFound, match="board doesn't exist"):
        await boards.subscribe(forum, ANN, 99)


async def test_a_member_posts_a_checked_text_and_it_is_relayed(forum):
    board_id = pellets(forum)
    stored = await boards.post(forum, ANN, board_id, f"  {POST}\x07 ")
    assert (stored.board_id, stored.parent_id, stored.author_id, stored.text) == (
        board_id, None, ANN, POST)
    assert stored.created_at == forum.now()
    assert forum.events == [BoardPostAdded(stored.id)]
    for text, message in (("x", "at least 2 characters"), ("y" * 2001, "under 2,000"),
                          ("   ", "empty")):
        with pytest.raises(DomainError, match=message):
            await boards.post(forum, ANN, board_id, text)
    with pytest.raises(NotAllowed, match="register"):
        await boards.post(forum, None, board_id, POST)
    with pytest.raises(NotFound, match="board doesn't exist"):
        await boards.post(forum, ANN, 99, POST)
    assert len(forum.posts) == 1 and len(forum.events) == 1


async def test_a_board_reads_its_posts_newest_first_page_by_page(forum):
    board_id = pellets(forum)
    written = [await boards.post(forum, ANN, board_id, f"Question number {n}") for n in range(7)]
    await boards.reply(forum, BOB, written[0].id, "A reply is not a post of the board")
    first, pages = await boards.posts(forum, board_id, None, 0, 5)
    assert pages == 2 and [c.post.id for c in first] == [p.id for p in written[:1:-1]]
    second, __ = await boards.posts(forum, board_id, None, 1, 5)
    assert [c.post.id for c in second] == [written[1].id, written[0].id]
    assert (await boards.posts(forum, board_id, None, 5, 5))[0] == []
    assert await boards.posts(forum, board_id, None, -1, 5) == (first, 2)  # a page below 0
    assert (await boards.boards(forum, None))[0].posts == 7
    empty, pages = await boards.posts(forum, forum.board_named("biogas").id, None)
    assert (empty, pages) == ([], 1)
    with pytest.raises(NotFound):
        await boards.posts(forum, 99, None)


async def test_a_reply_to_a_reply_answers_the_same_post_and_a_thread_reads_in_order(forum):
    head = await boards.post(forum, ANN, pellets(forum), POST)
    first = await boards.reply(forum, BOB, head.id, "Ours are at 0.7%, measured by SGS.")
    second = await boards.reply(forum, ANN, first.id, "Thanks — same here.")
    assert (first.parent_id, second.parent_id, second.board_id) == (head.id, head.id,
                                                                   head.board_id)
    assert forum.events[-2:] == [BoardPostAdded(first.id), BoardPostAdded(second.id)]
    card, replies = await boards.thread(forum, second.id, ANN)  # a reply opens its thread
    assert (card.post, card.author, card.replies) == (head, "Ann", 2)
    assert [(r.post.id, r.author) for r in replies] == [(first.id, "Bob"), (second.id, "Ann")]
    with pytest.raises(DomainError, match="reply needs at least 2"):
        await boards.reply(forum, BOB, head.id, "x")
    with pytest.raises(NotAllowed, match="register"):
        await boards.reply(forum, None, head.id, "A reply from nobody")
    with pytest.raises(NotFound, match="no longer there"):
        await boards.reply(forum, BOB, 99, "A reply to nothing")


async def test_reactions_are_one_per_person_the_same_again_takes_it_back(forum):
    target = await boards.post(forum, ANN, pellets(forum), POST)
    card = await boards.react(forum, BOB, target.id, "up")
    assert (card.reactions, card.mine) == ({"up": 1, "heart": 0, "idea": 0}, "up")
    assert boards.reaction_line(card) == "👍 1  ❤️ 0  💡 0"
    card = await boards.react(forum, BOB, target.id, "up")  # the same again
    assert (card.reactions, card.mine) == ({"up": 0, "heart": 0, "idea": 0}, None)
    await boards.react(forum, BOB, target.id, "up")
    card = await boards.react(forum, BOB, target.id, "heart")  # another replaces it
    assert (card.reactions, card.mine) == ({"up": 0, "heart": 1, "idea": 0}, "heart")
    card = await boards.react(forum, ANN, target.id, "idea")
    assert (boards.reaction_line(card), card.mine) == ("👍 0  ❤️ 1  💡 1", "idea")
    assert len(forum.reactions) == 2
    [read], __ = await boards.posts(forum, target.board_id, BOB)
    assert (read.reactions, read.mine) == ({"up": 0, "heart": 1, "idea": 1}, "heart")
    with pytest.raises(DomainError, match="React with"):
        await boards.react(forum, BOB, target.id, "thumbs")
    with pytest.raises(NotFound, match="no longer there"):
        await boards.react(forum, BOB, 99, "up")
    with pytest.raises(NotAllowed, match="register"):
        await boards.react(forum, None, target.id, "up")


async def test_a_report_is_once_per_person_never_of_ones_own_post(forum):
    target = await boards.post(forum, ANN, pellets(forum), "Cheap pellets, write to me")
    report_id = await boards.report(forum, EVE, target.id, "  Advertising, not a question ")
    assert forum.reports == {(target.id, EVE): (report_id, "Advertising, not a question")}
    assert forum.events[-1] == BoardPostReported(target.id, EVE)
    with pytest.raises(Conflict, match="reported this post already"):
        await boards.report(forum, EVE, target.id)
    with pytest.raises(NotAllowed, match="your own post"):
        await boards.report(forum, ANN, target.id)
    with pytest.raises(DomainError, match="reason"):
        await boards.report(forum, BOB, target.id, "x" * 301)
    assert await boards.report(forum, BOB, target.id) != report_id  # a reason is optional
    assert forum.reports[target.id, BOB][1] == ""
    with pytest.raises(NotAllowed, match="register"):
        await boards.report(forum, None, target.id)
    with pytest.raises(NotFound, match="no longer there"):
        await boards.report(forum, BOB, 99)


async def test_only_an_admin_hides_a_post_once_with_a_reason(forum):
    target = await boards.post(forum, ANN, pellets(forum), "Cheap pellets, write to me")
    assert not await boards.may_moderate(forum, EVE)
    assert not await boards.may_moderate(forum, None)
    assert await boards.may_moderate(forum, ROOT)
    for who in (EVE, ANN, None):
        with pytest.raises(NotAllowed, match="administrators"):
            await boards.hide(forum, who, target.id, "Advertising")
    with pytest.raises(DomainError, match="at least 3"):
        await boards.hide(forum, ROOT, target.id, "ad")
    with pytest.raises(NotFound, match="doesn't exist"):
        await boards.hide(forum, ROOT, 99, "Advertising")
    assert forum.hidden == {}
    assert await boards.hide(forum, ROOT, target.id, " Advertising ") == target
    assert forum.hidden == {target.id: (ROOT, "Advertising", forum.now())}
    assert forum.events[-1] == BoardPostHidden(target.id, ROOT)
    with pytest.raises(Conflict, match="hidden already"):
        await boards.hide(forum, ROOT, target.id, "Advertising")


async def test_a_hidden_post_and_its_replies_are_gone_from_every_reader(forum):
    board_id = pellets(forum)
    kept = await boards.post(forum, BOB, board_id, "A real question about moisture")
    gone = await boards.post(forum, ANN, board_id, "Cheap pellets, write to me")
    answer = await boards.reply(forum, BOB, gone.id, "Not here, please")
    await boards.reply(forum, ANN, kept.id, "A reply that an admin hides")
    await boards.hide(forum, ROOT, gone.id, "Advertising")
    [only], pages = await boards.posts(forum, board_id, None)
    assert (only.post, pages) == (kept, 1)
    assert (await boards.boards(forum, None))[0].posts == 1
    for post_id in (gone.id, answer.id):  # the post, and a reply under it
        with pytest.raises(NotFound, match="no longer there"):
            await boards.visible_post(forum, post_id)
        with pytest.raises(NotFound, match="no longer there"):
            await boards.thread(forum, post_id, None)
        with pytest.raises(NotFound, match="no longer there"):
            await boards.reply(forum, EVE, post_id, "a reply to a hidden post")
        with pytest.raises(NotFound, match="no longer there"):
            await boards.react(forum, EVE, post_id, "up")
        with pytest.raises(NotFound, match="no longer there"):
            await boards.report(forum, EVE, post_id)
    [hidden_reply] = [p for p in forum.posts.values() if p.post.parent_id == kept.id]
    await boards.hide(forum, ROOT, hidden_reply.post.id, "Off topic")
    card, replies = await boards.thread(forum, kept.id, None)
    assert (card.replies, replies) == (0, [])
    assert await boards.visible_post(forum, kept.id) == kept


async def test_an_author_whose_account_is_gone_is_a_member(forum):
    forum.person(9, "Gone")
    written = await boards.post(forum, 9, pellets(forum), POST)
    del forum.people[9]
    [card], __ = await boards.posts(forum, written.board_id, ANN)
    assert (card.author, card.replies, card.mine) == ("A member", 0, None)
