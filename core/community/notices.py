"""Notices of boards, written to the outbox in the emitting transaction (handlers declared in
core.community.wiring): a post or reply reaches each follower once on their own channel (never
its author), a report reaches every admin with the post's text, a hidden post's author hears
why."""

from __future__ import annotations

from core.actions import Action, ActionRows
from core.community.boards import REACTIONS
from core.community.events import BoardPostAdded, BoardPostHidden, BoardPostReported
from core.community.intents import CommunityIntent
from core.community.sql_forum import forum_of
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify, recipients
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


def _name(names: dict[int, str], account_id: int | None) -> str:
    """A person's name in a notice, or "a member" in the reader's language."""
    return names.get(account_id, _("A member")) if account_id else _("A member")


async def on_post_added(uow: UnitOfWork, event: BoardPostAdded) -> None:
    """Relay a post to the board's followers; a reply also to the people in its conversation."""
    forum = forum_of(uow)
    stored = await forum.post(event.post_id)
    if stored is None:
        return
    post = stored.post
    board = await forum.board(post.board_id)
    assert board is not None
    wanted = await forum.following(board.id)
    parent = None
    if post.parent_id is not None:
        found = await forum.post(post.parent_id)
        assert found is not None
        parent = found.post
        wanted |= {parent.author_id} | await forum.repliers(parent.id)
    opens = post.id if parent is None else parent.id
    wanted.discard(post.author_id)
    await recipients(uow, wanted)
    names = await forum.names({post.author_id, *((parent.author_id,) if parent else ())})
    for account_id in sorted(wanted):
        async with addressed_to(uow, account_id):
            author = _name(names, post.author_id)
            if parent is None:
                text = _("🗣 {board} — {author} posted:\n\n{text}", board=board.title, author=author,
                         text=post.text)
            else:
                text = _("↩ {board} — {author} replied to {parent_author}'s post {quote}:\n\n{text}",
                         board=board.title, author=author,
                         parent_author=_name(names, parent.author_id), quote=quote(parent.text),
                         text=post.text)
            await notify(uow, account_id, text, buttons=post_buttons(opens),
                         dedupe_key=f"board-post:{post.id}:{account_id}")


async def on_reported(uow: UnitOfWork, event: BoardPostReported) -> None:
    """Every admin reads the reported post, who wrote it, who reported it and why."""
    forum = forum_of(uow)
    stored = await forum.post(event.post_id)
    report = await forum.report(event.post_id, event.reporter_id)
    if stored is None or report is None:
        return
    post, (report_id, reason) = stored.post, report
    board = await forum.board(post.board_id)
    names = await forum.names({event.reporter_id, post.author_id})
    buttons = [[Action(CommunityIntent.BOARD_POST, N_("💬 Open"), str(post.id)),
                Action(CommunityIntent.BOARD_POST, N_("🙈 Hide"), f"hide:{post.id}")]]
    for admin in await forum.admin_ids():
        if admin != event.reporter_id:
            async with addressed_to(uow, admin):
                reporter, author = _name(names, event.reporter_id), _name(names, post.author_id)
                where = board.title if board else _("a board")
                text = (_("⚠ {reporter} reported a post by {author} on {board} (#{id}):\n\n{text}",
                          reporter=reporter, author=author, board=where, id=post.id, text=post.text)
                        + ("\n" + _("Reason: {reason}", reason=reason) if reason else ""))
                await notify(uow, admin, text, buttons=buttons,
                             dedupe_key=f"board-report:{report_id}:{admin}")


async def on_hidden(uow: UnitOfWork, event: BoardPostHidden) -> None:
    """The author hears that their post was hidden, and why."""
    forum = forum_of(uow)
    stored = await forum.post(event.post_id)
    if stored is None:
        return
    post = stored.post
    board = await forum.board(post.board_id)
    reason = await forum.hidden_reason(post.id)
    async with addressed_to(uow, post.author_id):
        where = board.title if board else _("a board")
        await notify(uow, post.author_id,
                     _("🙈 An admin hid your post on {board} {quote}.", board=where, quote=quote(post.text))
                     + "\n" + _("Reason: {reason}", reason=reason),
                     dedupe_key=f"board-hidden:{post.id}")
