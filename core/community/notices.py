"""Notices of boards, written to the outbox in the emitting transaction (handlers registered in
config.event_wiring): a post or reply reaches each follower once on their own channel (never
its author), a report reaches every admin with the post's text, a hidden post's author hears
why."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.actions import Action, ActionRows, Intent
from core.community.boards import REACTIONS
from core.community.events import BoardPostAdded, BoardPostHidden, BoardPostReported
from core.community.tables import Board, BoardPost, BoardSubscription, PostReport
from core.notifications.outbox import notify, recipients
from core.operators.roles import admin_ids
from core.storage.uow import UnitOfWork

QUOTE = 300


def quote(text: str) -> str:
    return f"“{text[:QUOTE]}{'…' if len(text) > QUOTE else ''}”"


def post_buttons(post_id: int) -> ActionRows:
    """React, reply, report and open — the follow-ups of a relayed post."""
    return [[Action(Intent.BOARD_POST, emoji, f"react:{post_id}:{kind}")
             for kind, emoji in REACTIONS.items()],
            [Action(Intent.BOARD_POST, "✍ Reply", f"reply:{post_id}"),
             Action(Intent.BOARD_POST, "💬 Open", str(post_id)),
             Action(Intent.BOARD_POST, "⚠ Report", f"report:{post_id}")]]


async def _name(uow: UnitOfWork, account_id: int | None) -> str:
    account = await uow.session.get(Account, account_id) if account_id else None
    return account.display_name if account else "A member"


async def on_post_added(uow: UnitOfWork, event: BoardPostAdded) -> None:
    """Relay a post to the board's followers; a reply also to the people in its conversation."""
    post = await uow.session.get(BoardPost, event.post_id)
    if post is None:
        return
    board = await uow.session.get(Board, post.board_id)
    assert board is not None
    wanted = set((await uow.session.execute(select(BoardSubscription.account_id).where(
        BoardSubscription.board_id == board.id))).scalars())
    author = await _name(uow, post.author_id)
    if post.parent_id is None:
        text = f"🗣 {board.title} — {author} posted:\n\n{post.text}"
        opens = post.id
    else:
        parent = await uow.session.get(BoardPost, post.parent_id)
        assert parent is not None
        wanted |= {parent.author_id}
        wanted |= set((await uow.session.execute(select(BoardPost.author_id).where(
            BoardPost.parent_id == parent.id))).scalars())
        text = (f"↩ {board.title} — {author} replied to {await _name(uow, parent.author_id)}'s "
                f"post {quote(parent.text)}:\n\n{post.text}")
        opens = parent.id
    wanted.discard(post.author_id)
    await recipients(uow, wanted)
    for account_id in sorted(wanted):
        await notify(uow, account_id, text, buttons=post_buttons(opens),
                     dedupe_key=f"board-post:{post.id}:{account_id}")


async def on_reported(uow: UnitOfWork, event: BoardPostReported) -> None:
    """Every admin reads the reported post, who wrote it, who reported it and why."""
    post = await uow.session.get(BoardPost, event.post_id)
    row = (await uow.session.execute(select(PostReport).where(
        PostReport.post_id == event.post_id, PostReport.account_id == event.reporter_id))).scalar()
    if post is None or row is None:
        return
    board = await uow.session.get(Board, post.board_id)
    reason = f"\nReason: {row.reason}" if row.reason else ""
    text = (f"⚠ {await _name(uow, event.reporter_id)} reported a post by "
            f"{await _name(uow, post.author_id)} on {board.title if board else 'a board'} "
            f"(#{post.id}):\n\n{post.text}{reason}")
    buttons = [[Action(Intent.BOARD_POST, "💬 Open", str(post.id)),
                Action(Intent.BOARD_POST, "🙈 Hide", f"hide:{post.id}")]]
    for admin in await admin_ids(uow):
        if admin != event.reporter_id:
            await notify(uow, admin, text, buttons=buttons,
                         dedupe_key=f"board-report:{row.id}:{admin}")


async def on_hidden(uow: UnitOfWork, event: BoardPostHidden) -> None:
    """The author hears that their post was hidden, and why."""
    post = await uow.session.get(BoardPost, event.post_id)
    if post is None:
        return
    board = await uow.session.get(Board, post.board_id)
    await notify(uow, post.author_id,
                 f"🙈 An admin hid your post on {board.title if board else 'a board'} "
                 f"{quote(post.text)}.\nReason: {post.hidden_reason}",
                 dedupe_key=f"board-hidden:{post.id}")
