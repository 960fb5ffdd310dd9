"""Notices of boards, written to the outbox in the emitting transaction (handlers declared in
core.community.wiring): a post or reply reaches each follower once on their own channel (never
its author), a report reaches every admin with the post's text, a hidden post's author hears
why."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.actions import Action, ActionRows
from core.community.boards import REACTIONS
from core.community.events import BoardPostAdded, BoardPostHidden, BoardPostReported
from core.community.intents import CommunityIntent
from core.community.tables import Board, BoardPost, BoardSubscription, PostReport
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify, recipients
from core.operators.roles import admin_ids
from core.storage.uow import UnitOfWork

QUOTE = 300


def quote(text: str) -> str:
    return f"“{text[:QUOTE]}{'…' if len(text) > QUOTE else ''}”"


def post_buttons(post_id: int) -> ActionRows:
    """React, reply, report and open — the follow-ups of a relayed post."""
    return [[Action(CommunityIntent.BOARD_POST, emoji, f"react:{post_id}:{kind}")
             for kind, emoji in REACTIONS.items()],
            [Action(CommunityIntent.BOARD_POST, N_("✍ Reply"), f"reply:{post_id}"),
             Action(CommunityIntent.BOARD_POST, N_("💬 Open"), str(post_id)),
             Action(CommunityIntent.BOARD_POST, N_("⚠ Report"), f"report:{post_id}")]]


async def _name(uow: UnitOfWork, account_id: int | None) -> str:
    account = await uow.get(Account, account_id) if account_id else None
    return account.display_name if account else _("A member")


async def on_post_added(uow: UnitOfWork, event: BoardPostAdded) -> None:
    """Relay a post to the board's followers; a reply also to the people in its conversation."""
    post = await uow.get(BoardPost, event.post_id)
    if post is None:
        return
    board = await uow.get(Board, post.board_id)
    assert board is not None
    wanted = set((await uow.session.execute(select(BoardSubscription.account_id).where(
        BoardSubscription.board_id == board.id))).scalars())
    parent = None
    if post.parent_id is not None:
        parent = await uow.get(BoardPost, post.parent_id)
        assert parent is not None
        wanted |= {parent.author_id}
        wanted |= set((await uow.session.execute(select(BoardPost.author_id).where(
            BoardPost.parent_id == parent.id))).scalars())
    opens = post.id if parent is None else parent.id
    wanted.discard(post.author_id)
    await recipients(uow, wanted)
    for account_id in sorted(wanted):
        async with addressed_to(uow, account_id):
            author = await _name(uow, post.author_id)
            if parent is None:
                text = _("🗣 {board} — {author} posted:\n\n{text}", board=board.title, author=author,
                         text=post.text)
            else:
                text = _("↩ {board} — {author} replied to {parent_author}'s post {quote}:\n\n{text}",
                         board=board.title, author=author,
                         parent_author=await _name(uow, parent.author_id), quote=quote(parent.text),
                         text=post.text)
            await notify(uow, account_id, text, buttons=post_buttons(opens),
                         dedupe_key=f"board-post:{post.id}:{account_id}")


async def on_reported(uow: UnitOfWork, event: BoardPostReported) -> None:
    """Every admin reads the reported post, who wrote it, who reported it and why."""
    post = await uow.get(BoardPost, event.post_id)
    row = (await uow.session.execute(select(PostReport).where(
        PostReport.post_id == event.post_id, PostReport.account_id == event.reporter_id))).scalar()
    if post is None or row is None:
        return
    board = await uow.get(Board, post.board_id)
    buttons = [[Action(CommunityIntent.BOARD_POST, N_("💬 Open"), str(post.id)),
                Action(CommunityIntent.BOARD_POST, N_("🙈 Hide"), f"hide:{post.id}")]]
    for admin in await admin_ids(uow):
        if admin != event.reporter_id:
            async with addressed_to(uow, admin):
                reporter, author = await _name(uow, event.reporter_id), await _name(uow, post.author_id)
                where = board.title if board else _("a board")
                text = (_("⚠ {reporter} reported a post by {author} on {board} (#{id}):\n\n{text}",
                          reporter=reporter, author=author, board=where, id=post.id, text=post.text)
                        + ("\n" + _("Reason: {reason}", reason=row.reason) if row.reason else ""))
                await notify(uow, admin, text, buttons=buttons,
                             dedupe_key=f"board-report:{row.id}:{admin}")


async def on_hidden(uow: UnitOfWork, event: BoardPostHidden) -> None:
    """The author hears that their post was hidden, and why."""
    post = await uow.get(BoardPost, event.post_id)
    if post is None:
        return
    board = await uow.get(Board, post.board_id)
    async with addressed_to(uow, post.author_id):
        where = board.title if board else _("a board")
        await notify(uow, post.author_id,
                     _("🙈 An admin hid your post on {board} {quote}.", board=where, quote=quote(post.text))
                     + "\n" + _("Reason: {reason}", reason=post.hidden_reason),
                     dedupe_key=f"board-hidden:{post.id}")
