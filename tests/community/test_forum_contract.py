"""The boards' forum behaves alike in memory and in the database: one set of tests
(`ForumContract`) runs against the tests' `MemoryForum` (no database) and the `SqlForum` (on
SQLite and PostgreSQL) — boards seeded once, what "visible" leaves out, a reaction replaced
or taken back, a post hidden once, the orders of the lists — so the use cases tested on the
fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.community.events import BoardPostAdded
from core.community.forum import Forum, NewPost
from core.community.sql_forum import SqlForum
from tests.community.fakes import MemoryForum
from tests.support.accounts import person_in

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both forums' clocks stand here
SEEDS = (("pellets", "Pellets", "Ash and moisture"), ("biogas", "Biogas", "Digestate"))


def new(board_id: int, author_id: int, text: str, parent_id: int | None = None,
        minutes: int = 0) -> NewPost:
    return NewPost(board_id=board_id, parent_id=parent_id, author_id=author_id, text=text,
                   created_at=NOW - timedelta(minutes=minutes))


class ForumContract:
    """What every forum does; a subclass gives `forums`: a forum and how people come to be."""

    async def boards(self, forums: Any) -> tuple[int, int]:
        await forums.forum.seed(SEEDS, NOW)
        pellets, biogas = await forums.forum.boards()
        return pellets.id, biogas.id

    async def test_boards_are_seeded_once_each_in_the_order_made(self, forums):
        assert await forums.forum.boards() == []
        await forums.forum.seed(SEEDS[:1], NOW)
        await forums.forum.seed(SEEDS, NOW)  # the first is there already
        pellets, biogas = await forums.forum.boards()
        assert [(b.slug, b.title, b.description) for b in (pellets, biogas)] == list(SEEDS)
        assert pellets.id < biogas.id
        assert await forums.forum.board(biogas.id) == biogas
        assert await forums.forum.board(biogas.id + 1000) is None

    async def test_a_post_is_got_back_as_it_was_with_its_new_id(self, forums):
        pellets, __ = await self.boards(forums)
        ann = await forums.person("Ann")
        first = await forums.forum.add(new(pellets, ann, "Ash at 0.6%", minutes=5))
        answer = await forums.forum.add(new(pellets, ann, "Same here", parent_id=first.id))
        assert answer.id > first.id
        assert (first.board_id, first.parent_id, first.author_id, first.text) == (
            pellets, None, ann, "Ash at 0.6%")
        assert first.created_at == NOW - timedelta(minutes=5) and answer.parent_id == first.id
        stored = await forums.forum.post(first.id)
        assert stored is not None and (stored.post, stored.hidden) == (first, False)
        assert await forums.forum.post(answer.id + 1000) is None

    async def test_a_boards_posts_are_its_visible_ones_answering_none_newest_first(self, forums):
        pellets, biogas = await self.boards(forums)
        ann = await forums.person("Ann")
        a, b, c = [await forums.forum.add(new(pellets, ann, f"Post {n}")) for n in "abc"]
        elsewhere = await forums.forum.add(new(biogas, ann, "Digestate?"))
        r1 = await forums.forum.add(new(pellets, ann, "Reply 1", parent_id=a.id))
        r2 = await forums.forum.add(new(pellets, ann, "Reply 2", parent_id=a.id))
        await forums.forum.add(new(pellets, ann, "Reply 3", parent_id=b.id))
        assert await forums.forum.newest_posts(pellets, 0, 10) == [c, b, a]
        assert await forums.forum.newest_posts(pellets, 1, 1) == [b]
        assert await forums.forum.newest_posts(pellets, 3, 10) == []
        assert await forums.forum.count_posts(pellets) == 3
        assert await forums.forum.post_counts() == {pellets: 3, biogas: 1}
        assert await forums.forum.replies(a.id) == [r1, r2]
        assert await forums.forum.reply_counts([a.id, b.id, c.id, elsewhere.id]) == {
            a.id: 2, b.id: 1}

    async def test_a_post_is_hidden_once_and_then_left_out_of_every_list(self, forums):
        pellets, __ = await self.boards(forums)
        ann, root = await forums.person("Ann"), await forums.person("Root", admin=True)
        a, b = [await forums.forum.add(new(pellets, ann, f"Post {n}")) for n in "ab"]
        r1, r2 = [await forums.forum.add(new(pellets, ann, f"Reply {n}", parent_id=a.id))
                  for n in "12"]
        assert await forums.forum.hide(b.id, root, "Advertising", NOW) is True
        assert await forums.forum.hide(b.id, root, "Again", NOW) is False
        assert await forums.forum.hide(b.id + 1000, root, "Nothing", NOW) is False
        assert await forums.forum.hide(r1.id, root, "Off topic", NOW) is True
        stored = await forums.forum.post(b.id)
        assert stored is not None and (stored.post, stored.hidden) == (b, True)
        assert await forums.forum.newest_posts(pellets, 0, 10) == [a]
        assert await forums.forum.count_posts(pellets) == 1
        assert await forums.forum.post_counts() == {pellets: 1}
        assert await forums.forum.replies(a.id) == [r2]
        assert await forums.forum.reply_counts([a.id]) == {a.id: 1}

    async def test_following_is_once_per_person_and_board(self, forums):
        pellets, biogas = await self.boards(forums)
        ann, bob = await forums.person("Ann"), await forums.person("Bob")
        assert await forums.forum.follow(ann, pellets, NOW) is True
        assert await forums.forum.follow(ann, pellets, NOW) is False
        assert await forums.forum.follow(bob, pellets, NOW) is True
        assert await forums.forum.follow(bob, biogas, NOW) is True
        assert await forums.forum.follows(ann, pellets) and not await forums.forum.follows(
            ann, biogas)
        assert await forums.forum.followed_by(bob) == {pellets, biogas}
        assert await forums.forum.follower_counts() == {pellets: 2, biogas: 1}
        assert await forums.forum.unfollow(bob, pellets) is True
        assert await forums.forum.unfollow(bob, pellets) is False
        assert await forums.forum.follower_counts() == {pellets: 1, biogas: 1}
        assert await forums.forum.followed_by(ann) == {pellets}

    async def test_a_reaction_is_replaced_or_taken_back_only_when_it_is_that_kind(self, forums):
        pellets, __ = await self.boards(forums)
        ann, bob = await forums.person("Ann"), await forums.person("Bob")
        a, b = [await forums.forum.add(new(pellets, ann, f"Post {n}")) for n in "ab"]
        await forums.forum.react(a.id, bob, "up", NOW)
        await forums.forum.react(a.id, bob, "heart", NOW)  # replaces it
        await forums.forum.react(a.id, ann, "heart", NOW)
        await forums.forum.react(b.id, ann, "idea", NOW)
        assert await forums.forum.reaction_counts([a.id, b.id]) == {
            (a.id, "heart"): 2, (b.id, "idea"): 1}
        assert await forums.forum.reaction_counts([a.id]) == {(a.id, "heart"): 2}
        assert await forums.forum.reactions_of([a.id, b.id], ann) == {a.id: "heart",
                                                                     b.id: "idea"}
        assert await forums.forum.take_back(a.id, bob, "up") is False  # it is a heart now
        assert await forums.forum.take_back(a.id, bob, "heart") is True
        assert await forums.forum.take_back(a.id, bob, "heart") is False
        assert await forums.forum.reactions_of([a.id, b.id], bob) == {}

    async def test_a_report_is_known_once_kept(self, forums):
        pellets, __ = await self.boards(forums)
        ann, bob, eve = [await forums.person(n) for n in ("Ann", "Bob", "Eve")]
        a = await forums.forum.add(new(pellets, ann, "Cheap pellets"))
        assert await forums.forum.reported(a.id, eve) is False
        first = await forums.forum.add_report(a.id, eve, "Advertising", NOW)
        second = await forums.forum.add_report(a.id, bob, "", NOW)
        assert first != second
        assert await forums.forum.reported(a.id, eve) and await forums.forum.reported(a.id, bob)
        assert await forums.forum.reported(a.id, ann) is False
        assert await forums.forum.report(a.id, eve) == (first, "Advertising")
        assert await forums.forum.report(a.id, bob) == (second, "")
        assert await forums.forum.report(a.id, ann) is None

    async def test_who_hears_of_a_post_its_boards_followers_and_a_posts_repliers(self, forums):
        pellets, biogas = await self.boards(forums)
        ann, bob, eve, root = [await forums.person(n) for n in ("Ann", "Bob", "Eve", "Root")]
        for who in (ann, bob):
            await forums.forum.follow(who, pellets, NOW)
        await forums.forum.follow(eve, biogas, NOW)
        assert await forums.forum.following(pellets) == {ann, bob}
        assert await forums.forum.following(biogas + 1000) == set()
        a = await forums.forum.add(new(pellets, ann, "Ash content?"))
        await forums.forum.add(new(pellets, bob, "0.7%", parent_id=a.id))
        hidden = await forums.forum.add(new(pellets, eve, "Buy mine", parent_id=a.id))
        assert await forums.forum.hidden_reason(hidden.id) is None
        await forums.forum.hide(hidden.id, root, "Advertising", NOW)
        assert await forums.forum.repliers(a.id) == {bob, eve}  # a hidden reply's author too
        assert await forums.forum.repliers(hidden.id) == set()
        assert await forums.forum.hidden_reason(hidden.id) == "Advertising"

    async def test_names_admins_the_clock_and_events(self, forums):
        ann, root = await forums.person("Ann Ozola"), await forums.person("Root", admin=True)
        assert await forums.forum.names([ann, root, ann]) == {ann: "Ann Ozola", root: "Root"}
        assert await forums.forum.names([ann, 999_999]) == {ann: "Ann Ozola"}
        assert [await forums.forum.is_admin(a) for a in (ann, root, 999_999)] == [
            False, True, False]
        assert await forums.forum.admin_ids() == [root]
        assert forums.forum.now() == NOW
        forums.forum.emit(BoardPostAdded(7))
        assert forums.events()[-1] == BoardPostAdded(7)


@dataclass
class MemoryForums:
    forum: MemoryForum = field(default_factory=MemoryForum)

    async def person(self, name: str, *, admin: bool = False) -> int:
        return self.forum.person(len(self.forum.people) + 1, name, admin=admin)

    def events(self) -> list[Any]:
        return self.forum.events


class TestMemoryForum(ForumContract):
    @pytest.fixture
    def forums(self):
        return MemoryForums()


@dataclass
class SqlForums:
    """A SqlForum in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    forum: Forum

    async def person(self, name: str, *, admin: bool = False) -> int:
        return await person_in(self.uow, name, operator="admin" if admin else None)

    def events(self) -> list[Any]:
        return list(self.uow.events)


class TestSqlForum(ForumContract):
    @pytest.fixture
    async def forums(self, app):
        async with app.uow() as uow:
            yield SqlForums(uow, SqlForum(uow))
