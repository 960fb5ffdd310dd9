"""Topic boards as use cases, each taking the acting account: follow a board, read its posts
by page, post and reply (relayed to the followers on their own channel), react (one reaction
per person per post), report a post to the admins, and — admins only — hide it.

They hand the flows frozen read models (`BoardView`, `PostView`, and the cards built on them:
core.community.board_cards), never the rows, which stay in core.

Each use case asks only the boards' forum (`core.community.forum.Forum`): given the unit of
work it works on the database (`SqlForum`); given a forum, on that one (the tests' in-memory
forum), so its rules are tested without a database."""

from __future__ import annotations

from core.community import rules as community_rules
from core.community.board_cards import BoardCard, BoardView, PostCard, PostView
from core.community.events import BoardPostAdded, BoardPostHidden, BoardPostReported
from core.community.forum import Forum, NewPost
from core.community.rules import REACTIONS
from core.community.sql_forum import forum_of
from core.errors import Conflict, NotAllowed, NotFound
from core.i18n import N_, _
from core.storage.uow import UnitOfWork

PAGE = 5  # posts a page in chat
# The starting boards; their titles and descriptions, stored in English, are looked up in the
# reader's language where they are shown (the public site's board pages).
SEEDS = (
    ("pellet-quality", N_("Pellet quality"), N_("ENplus, ash and moisture, testing and complaints.")),
    ("logistics-baltics", N_("Logistics in the Baltics"),
     N_("Trucks, rail and ports around Riga, Tallinn and Klaipėda; who ships what, when.")),
    ("biogas", N_("Biogas"), N_("Biogas and biomethane: feedstock, digestate, grid injection.")),
    ("consulting", N_("Consulting"), N_("Questions for consultants, and consultants' answers.")),
)


async def seed(uow: UnitOfWork | Forum) -> None:
    """The starting boards, each once (a second worker's insert is a no-op)."""
    forum = forum_of(uow)
    await forum.seed(SEEDS, forum.now())


async def boards(uow: UnitOfWork | Forum, viewer_id: int | None) -> list[BoardCard]:
    """Every board with its visible posts, followers and whether the reader follows it; the
    starting boards are made the first time anyone looks."""
    forum = forum_of(uow)
    found = await forum.boards()
    if not found:
        await seed(forum)
        found = await forum.boards()
    posts = await forum.post_counts()
    followers = await forum.follower_counts()
    mine = await forum.followed_by(viewer_id) if viewer_id else set()
    return [BoardCard(b, posts.get(b.id, 0), followers.get(b.id, 0), b.id in mine)
            for b in found]


async def board(uow: UnitOfWork | Forum, board_id: int) -> BoardView:
    """A board; NotFound when there is none."""
    found = await forum_of(uow).board(board_id)
    if found is None:
        raise NotFound(_("That board doesn't exist."))
    return found


async def follows(uow: UnitOfWork | Forum, account_id: int | None, board_id: int) -> bool:
    return account_id is not None and await forum_of(uow).follows(account_id, board_id)


async def subscribe(uow: UnitOfWork | Forum, account_id: int | None, board_id: int) -> bool:
    """Follow a board; False when already following."""
    forum = forum_of(uow)
    member = _member(account_id)
    await board(forum, board_id)
    return await forum.follow(member, board_id, forum.now())


async def unsubscribe(uow: UnitOfWork | Forum, account_id: int | None, board_id: int) -> bool:
    """Stop following a board; False when not following."""
    return await forum_of(uow).unfollow(_member(account_id), board_id)


async def posts(uow: UnitOfWork | Forum, board_id: int, viewer_id: int | None, page: int = 0,
                per_page: int = PAGE) -> tuple[list[PostCard], int]:
    """A page of a board's visible posts, newest first, and how many pages there are."""
    forum = forum_of(uow)
    await board(forum, board_id)
    total = await forum.count_posts(board_id)
    pages = max(1, -(-total // per_page))
    found = await forum.newest_posts(board_id, max(page, 0) * per_page, per_page)
    return await _cards(forum, found, viewer_id), pages


async def thread(uow: UnitOfWork | Forum, post_id: int, viewer_id: int | None
                 ) -> tuple[PostCard, list[PostCard]]:
    """A visible post with its visible replies, oldest reply first."""
    forum = forum_of(uow)
    head = await _visible_post(forum, post_id)
    if head.parent_id is not None:
        head = await _visible_post(forum, head.parent_id)
    [card, *rest] = await _cards(forum, [head, *await forum.replies(head.id)], viewer_id)
    return card, rest


async def post(uow: UnitOfWork | Forum, author_id: int | None, board_id: int, text: str
               ) -> PostView:
    """A new post on a board, relayed to its followers."""
    forum = forum_of(uow)
    member = _member(author_id)
    await board(forum, board_id)
    return await _write(forum, member, board_id, None, text)


async def reply(uow: UnitOfWork | Forum, author_id: int | None, post_id: int, text: str
                ) -> PostView:
    """A reply to a post (a reply to a reply answers the same post), relayed to the board's
    followers and the people in the conversation."""
    forum = forum_of(uow)
    member = _member(author_id)
    parent = await _visible_post(forum, post_id)
    if parent.parent_id is not None:
        parent = await _visible_post(forum, parent.parent_id)
    return await _write(forum, member, parent.board_id, parent.id, text)


async def react(uow: UnitOfWork | Forum, account_id: int | None, post_id: int, kind: str
                ) -> PostCard:
    """React to a post: one reaction per person; the same one again takes it back, another
    replaces it."""
    forum = forum_of(uow)
    member = _member(account_id)
    community_rules.check_reaction(kind)
    target = await _visible_post(forum, post_id)
    if not await forum.take_back(target.id, member, kind):
        await forum.react(target.id, member, kind, forum.now())
    [card] = await _cards(forum, [target], member)
    return card


async def report(uow: UnitOfWork | Forum, account_id: int | None, post_id: int,
                 reason: str = "") -> int:
    """Report a post to the admins, with an optional reason (once per person and post); the
    report's id."""
    forum = forum_of(uow)
    member = _member(account_id)
    target = await _visible_post(forum, post_id)
    if target.author_id == member:
        raise NotAllowed(_("That is your own post; you can't report it."))
    why = community_rules.report_reason(reason)
    if await forum.reported(target.id, member):
        raise Conflict(_("You have reported this post already; the admins have it."))
    report_id = await forum.add_report(target.id, member, why, forum.now())
    forum.emit(BoardPostReported(target.id, member))
    return report_id


async def hide(uow: UnitOfWork | Forum, admin_id: int | None, post_id: int, reason: str
               ) -> PostView:
    """An admin hides a post (and so its replies) from chat and the site; its author is told."""
    forum = forum_of(uow)
    if not await may_moderate(forum, admin_id):
        raise NotAllowed(_("That is for administrators."))
    assert admin_id is not None
    why = community_rules.hide_reason(reason)
    target = await forum.post(post_id)
    if target is None:
        raise NotFound(_("That post doesn't exist."))
    if not await forum.hide(post_id, admin_id, why, forum.now()):
        raise Conflict(_("That post is hidden already."))
    forum.emit(BoardPostHidden(post_id, admin_id))
    return target.post


async def may_moderate(uow: UnitOfWork | Forum, account_id: int | None) -> bool:
    """Whether this reader may hide posts (the button is shown; `hide` checks again)."""
    return account_id is not None and await forum_of(uow).is_admin(account_id)


async def visible_post(uow: UnitOfWork | Forum, post_id: int) -> PostView:
    """A post (or reply) that is not hidden, under a post that is not hidden; NotFound else."""
    return await _visible_post(forum_of(uow), post_id)


async def _visible_post(forum: Forum, post_id: int) -> PostView:
    found = await forum.post(post_id)
    if found is None or found.hidden:
        raise NotFound(_("That post is no longer there."))
    if found.post.parent_id is not None:
        parent = await forum.post(found.post.parent_id)
        if parent is None or parent.hidden:
            raise NotFound(_("That post is no longer there."))
    return found.post


def reaction_line(card: PostCard) -> str:
    return "  ".join(f"{emoji} {card.reactions[kind]}" for kind, emoji in REACTIONS.items())


async def _cards(forum: Forum, found: list[PostView], viewer_id: int | None) -> list[PostCard]:
    """Posts as cards, with their author's name, visible reply count and reaction counts."""
    ids = [p.id for p in found]
    if not ids:
        return []
    names = await forum.names({p.author_id for p in found})
    replies = await forum.reply_counts(ids)
    counts: dict[int, dict[str, int]] = {i: dict.fromkeys(REACTIONS, 0) for i in ids}
    for (post_id, kind), n in (await forum.reaction_counts(ids)).items():
        counts[post_id][kind] = n
    mine = await forum.reactions_of(ids, viewer_id) if viewer_id else {}
    someone = _("A member")
    return [PostCard(p, names.get(p.author_id, someone), replies.get(p.id, 0), counts[p.id],
                     mine.get(p.id)) for p in found]


async def _write(forum: Forum, author_id: int, board_id: int, parent_id: int | None,
                 text: str) -> PostView:
    body = community_rules.post_text(text, reply=bool(parent_id))
    stored = await forum.add(NewPost(board_id=board_id, parent_id=parent_id, author_id=author_id,
                                     text=body, created_at=forum.now()))
    forum.emit(BoardPostAdded(stored.id))
    return stored


def _member(account_id: int | None) -> int:
    if account_id is None:
        raise NotAllowed(_("Please register first — it takes a minute."))
    return account_id
