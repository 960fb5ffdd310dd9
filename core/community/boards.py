"""Topic boards as use cases, each taking the acting account: follow a board, read its posts
by page, post and reply (relayed to the followers on their own channel), react (one reaction
per person per post), report a post to the admins, and — admins only — hide it.

They hand the flows frozen read models (`BoardView`, `PostView`, and the cards built on them:
core.community.board_cards), never the rows, which stay in core. `board_by_slug` alone still
returns the row, for the public site's read side (core.public.boards)."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from core.community import rules as community_rules
from core.community.board_cards import (
    BoardCard,
    BoardView,
    PostCard,
    PostView,
    board_view,
    cards,
    post_view,
)
from core.community.events import BoardPostAdded, BoardPostHidden, BoardPostReported
from core.community.rules import REACTIONS
from core.community.tables import Board, BoardPost, BoardSubscription, PostReaction, PostReport
from core.errors import Conflict, NotAllowed, NotFound
from core.i18n import N_, _
from core.operators.roles import is_admin, require_admin
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert

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


async def seed(uow: UnitOfWork) -> None:
    """The starting boards, each once (a second worker's insert is a no-op)."""
    now = uow.clock.now()
    await uow.session.execute(dialect_insert(uow, Board).values([
        {"slug": slug, "title": title, "description": about, "created_at": now}
        for slug, title, about in SEEDS]).on_conflict_do_nothing(index_elements=["slug"]))


async def boards(uow: UnitOfWork, viewer_id: int | None) -> list[BoardCard]:
    """Every board with its visible posts, followers and whether the reader follows it."""
    if (await uow.session.execute(select(func.count()).select_from(Board))).scalar() == 0:
        await seed(uow)
    found = list((await uow.session.execute(select(Board).order_by(Board.id))).scalars())
    posts = dict((await uow.session.execute(select(BoardPost.board_id, func.count()).where(
        BoardPost.parent_id.is_(None), BoardPost.hidden_at.is_(None))
        .group_by(BoardPost.board_id))).all())
    followers = dict((await uow.session.execute(select(
        BoardSubscription.board_id, func.count()).group_by(BoardSubscription.board_id))).all())
    mine = set((await uow.session.execute(select(BoardSubscription.board_id).where(
        BoardSubscription.account_id == viewer_id))).scalars()) if viewer_id else set()
    return [BoardCard(board_view(b), posts.get(b.id, 0), followers.get(b.id, 0), b.id in mine)
            for b in found]


async def board(uow: UnitOfWork, board_id: int) -> BoardView:
    """A board; NotFound when there is none."""
    found = await uow.get(Board, board_id)
    if found is None:
        raise NotFound(_("That board doesn't exist."))
    return board_view(found)


async def board_by_slug(uow: UnitOfWork, slug: str) -> Board:
    """A board's row by its slug, for the public site's read side (not for the flows)."""
    if not slug or len(slug) > 60:
        raise NotFound(_("That board doesn't exist."))
    if (await uow.session.execute(select(func.count()).select_from(Board))).scalar() == 0:
        await seed(uow)
    found = (await uow.session.execute(select(Board).where(Board.slug == slug))).scalar()
    if found is None:
        raise NotFound(_("That board doesn't exist."))
    return found


async def follows(uow: UnitOfWork, account_id: int | None, board_id: int) -> bool:
    return account_id is not None and (await uow.session.execute(select(
        BoardSubscription.id).where(BoardSubscription.board_id == board_id,
                                    BoardSubscription.account_id == account_id))).first() is not None


async def subscribe(uow: UnitOfWork, account_id: int | None, board_id: int) -> bool:
    """Follow a board; False when already following."""
    member = _member(account_id)
    await board(uow, board_id)
    done = await uow.session.execute(dialect_insert(uow, BoardSubscription).values(
        board_id=board_id, account_id=member, created_at=uow.clock.now())
        .on_conflict_do_nothing(index_elements=["board_id", "account_id"]))
    return done.rowcount == 1  # type: ignore[attr-defined]


async def unsubscribe(uow: UnitOfWork, account_id: int | None, board_id: int) -> bool:
    """Stop following a board; False when not following."""
    member = _member(account_id)
    done = await uow.session.execute(delete(BoardSubscription).where(
        BoardSubscription.board_id == board_id, BoardSubscription.account_id == member))
    return done.rowcount == 1  # type: ignore[attr-defined]


async def posts(uow: UnitOfWork, board_id: int, viewer_id: int | None, page: int = 0,
                per_page: int = PAGE) -> tuple[list[PostCard], int]:
    """A page of a board's visible posts, newest first, and how many pages there are."""
    await board(uow, board_id)
    visible = (BoardPost.board_id == board_id, BoardPost.parent_id.is_(None),
               BoardPost.hidden_at.is_(None))
    total = (await uow.session.execute(select(func.count()).select_from(BoardPost)
                                       .where(*visible))).scalar() or 0
    pages = max(1, -(-total // per_page))
    found = list((await uow.session.execute(select(BoardPost).where(*visible).order_by(
        BoardPost.id.desc()).offset(max(page, 0) * per_page).limit(per_page))).scalars())
    return await cards(uow, found, viewer_id), pages


async def thread(uow: UnitOfWork, post_id: int, viewer_id: int | None
                 ) -> tuple[PostCard, list[PostCard]]:
    """A visible post with its visible replies, oldest reply first."""
    post = await _visible_post(uow, post_id)
    if post.parent_id is not None:
        post = await _visible_post(uow, post.parent_id)
    replies = list((await uow.session.execute(select(BoardPost).where(
        BoardPost.parent_id == post.id, BoardPost.hidden_at.is_(None))
        .order_by(BoardPost.id))).scalars())
    [head, *rest] = await cards(uow, [post, *replies], viewer_id)
    return head, rest


async def post(uow: UnitOfWork, author_id: int | None, board_id: int, text: str) -> PostView:
    """A new post on a board, relayed to its followers."""
    member = _member(author_id)
    await board(uow, board_id)
    return post_view(await _write(uow, member, board_id, None, text))


async def reply(uow: UnitOfWork, author_id: int | None, post_id: int, text: str) -> PostView:
    """A reply to a post (a reply to a reply answers the same post), relayed to the board's
    followers and the people in the conversation."""
    member = _member(author_id)
    parent = await _visible_post(uow, post_id)
    if parent.parent_id is not None:
        parent = await _visible_post(uow, parent.parent_id)
    return post_view(await _write(uow, member, parent.board_id, parent.id, text))


async def react(uow: UnitOfWork, account_id: int | None, post_id: int, kind: str
                ) -> PostCard:
    """React to a post: one reaction per person; the same one again takes it back, another
    replaces it."""
    member = _member(account_id)
    community_rules.check_reaction(kind)
    target = await _visible_post(uow, post_id)
    now = uow.clock.now()
    taken_back = await uow.session.execute(delete(PostReaction).where(
        PostReaction.post_id == target.id, PostReaction.account_id == member,
        PostReaction.kind == kind))
    if taken_back.rowcount != 1:  # type: ignore[attr-defined]
        await uow.session.execute(dialect_insert(uow, PostReaction).values(
            post_id=target.id, account_id=member, kind=kind, created_at=now)
            .on_conflict_do_update(index_elements=["post_id", "account_id"],
                                   set_={"kind": kind, "created_at": now}))
    [card] = await cards(uow, [target], member)
    return card


async def report(uow: UnitOfWork, account_id: int | None, post_id: int, reason: str = ""
                 ) -> int:
    """Report a post to the admins, with an optional reason (once per person and post); the
    report's id."""
    member = _member(account_id)
    target = await _visible_post(uow, post_id)
    if target.author_id == member:
        raise NotAllowed(_("That is your own post; you can't report it."))
    why = community_rules.report_reason(reason)
    if (await uow.session.execute(select(PostReport.id).where(
            PostReport.post_id == target.id, PostReport.account_id == member))).first():
        raise Conflict(_("You have reported this post already; the admins have it."))
    row = PostReport(post_id=target.id, account_id=member, reason=why, created_at=uow.clock.now())
    await uow.insert(row)
    uow.emit(BoardPostReported(target.id, member))
    return row.id


async def hide(uow: UnitOfWork, admin_id: int | None, post_id: int, reason: str) -> PostView:
    """An admin hides a post (and so its replies) from chat and the site; its author is told."""
    await require_admin(uow, admin_id)
    why = community_rules.hide_reason(reason)
    target = await uow.get(BoardPost, post_id)
    if target is None:
        raise NotFound(_("That post doesn't exist."))
    hidden = await uow.session.execute(update(BoardPost).where(
        BoardPost.id == post_id, BoardPost.hidden_at.is_(None)).values(
        hidden_at=uow.clock.now(), hidden_by=admin_id, hidden_reason=why))
    if hidden.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That post is hidden already."))
    assert admin_id is not None
    uow.emit(BoardPostHidden(post_id, admin_id))
    return post_view(target)


async def may_moderate(uow: UnitOfWork, account_id: int | None) -> bool:
    """Whether this reader may hide posts (the button is shown; `hide` checks again)."""
    return account_id is not None and await is_admin(uow, account_id)


async def visible_post(uow: UnitOfWork, post_id: int) -> PostView:
    """A post (or reply) that is not hidden, under a post that is not hidden; NotFound else."""
    return post_view(await _visible_post(uow, post_id))


async def _visible_post(uow: UnitOfWork, post_id: int) -> BoardPost:
    """The row of `visible_post`, for the use cases here."""
    found = await uow.get(BoardPost, post_id)
    if found is None or found.hidden_at is not None:
        raise NotFound(_("That post is no longer there."))
    if found.parent_id is not None:
        parent = await uow.get(BoardPost, found.parent_id)
        if parent is None or parent.hidden_at is not None:
            raise NotFound(_("That post is no longer there."))
    return found


def reaction_line(card: PostCard) -> str:
    return "  ".join(f"{emoji} {card.reactions[kind]}" for kind, emoji in REACTIONS.items())


async def _write(uow: UnitOfWork, author_id: int, board_id: int, parent_id: int | None,
                 text: str) -> BoardPost:
    body = community_rules.post_text(text, reply=bool(parent_id))
    row = BoardPost(board_id=board_id, parent_id=parent_id, author_id=author_id, text=body,
                    created_at=uow.clock.now())
    await uow.insert(row)
    uow.emit(BoardPostAdded(row.id))
    return row


def _member(account_id: int | None) -> int:
    if account_id is None:
        raise NotAllowed(_("Please register first — it takes a minute."))
    return account_id
