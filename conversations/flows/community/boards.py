"""Topic boards in chat: `/boards` lists them; a board shows its posts by page, with follow /
unfollow and a new post; a post shows its replies with reactions (👍 ❤️ 💡), reply, report and —
for admins — hide. Relayed posts open here through their buttons."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next
from conversations.messages import Button, Choice, Inbound, Outbound, Reply, Text, rows
from core.community import boards
from core.community import rules as community_rules
from core.community.intents import CommunityIntent
from core.i18n import N_, _, n_, present
from core.i18n.dates import shown
from core.ids import parse_id

POSTED = "MMMdHm"  # when a post was written: day, month and time (a CLDR skeleton)

class Reading(FlowState):
    """What reading the boards keeps: the board and its page, the post open, the post acted on."""

    board_id: int
    page: int = 0
    post_id: int
    target: int  # the post a reply, report or hide is about


VERBS = ("reply", "report", "hide", "react")


async def _start(ctx: Ctx) -> Next | None:
    """"" lists the boards; `b:id` opens a board; `id` a post; `reply:id`, `report:id`,
    `hide:id`, `react:id:kind` act on one."""
    state = Reading.of(ctx)
    arg = state.args.strip()
    verb, __, rest = arg.partition(":")
    if not arg:
        return None
    if verb == "b" and (board_id := parse_id(rest)) is not None:
        await boards.board(ctx.uow, board_id)
        state.board_id, state.page = board_id, 0
        return Next(state="board", remember=False)
    if verb not in VERBS:
        verb, rest = "view", arg
    number_text, __, kind = rest.partition(":")
    post_id = parse_id(number_text)
    if post_id is None:
        return Next.end(Reply(_("Which post? Type /boards to read the boards."), kind="error"))
    head, _replies = await boards.thread(ctx.uow, post_id, ctx.account_id)  # refuses a hidden one
    state.board_id, state.post_id, state.target, state.page = (
        head.post.board_id, head.post.id, post_id, 0)
    if verb == "react":
        card = await boards.react(ctx.uow, ctx.account_id, post_id, kind)
        return Next(state="post", remember=False,
                    replies=[Reply(_("Thanks — {reactions}", reactions=boards.reaction_line(card)))])
    return Next(state={"view": "post"}.get(verb, verb), remember=False)


async def _list(ctx: Ctx) -> list[Outbound]:
    found = await boards.boards(ctx.uow, ctx.account_id)
    lines = [n_("{mark} {title} — {description} ({n} post, {followers} following)",
                "{mark} {title} — {description} ({n} posts, {followers} following)", c.posts,
                mark="🔔" if c.following else "▫", title=c.board.title,
                description=c.board.description, followers=c.followers)
             for c in found]
    buttons = tuple((Button(c.board.title, f"b:{c.board.id}"),) for c in found)
    return [Reply(_("🗣 Boards — 🔔 marks the ones you follow (new posts reach you here).") + "\n\n"
                  + "\n".join(lines), (*buttons, (Button(_("✔ Done"), "done"),)))]


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "done":
        return Next.end()
    if data.startswith("b:") and (board_id := parse_id(data[2:])) is not None:
        await boards.board(ctx.uow, board_id)
        state = Reading.of(ctx)
        state.board_id, state.page = board_id, 0
        return Next(state="board")
    return Next.stay(Reply(_("Tap a board to open it."), kind="error"))


async def _board(ctx: Ctx) -> list[Outbound]:
    state = Reading.of(ctx)
    board = await boards.board(ctx.uow, state.board_id)
    page = state.page
    found, pages = await boards.posts(ctx.uow, board.id, ctx.account_id, page)
    following = await boards.follows(ctx.uow, ctx.account_id, board.id)
    lines = [f"#{c.post.id} · {c.author} · {shown(c.post.created_at, POSTED)} · "
             f"{boards.reaction_line(c)} · " + n_("{n} reply", "{n} replies", c.replies)
             + f"\n{_short(c.post.text)}" for c in found] or [_("No posts yet — be the first.")]
    opens = [(f"💬 #{c.post.id}", f"p:{c.post.id}") for c in found]
    paging = [pair for pair, show in (((_("◀ Newer"), "newer"), page > 0),
                                      ((_("▶ Older"), "older"), page + 1 < pages)) if show]
    follow = (_("🔕 Unfollow"), "unfollow") if following else (_("🔔 Follow"), "follow")
    return [Reply(_("🗣 {title} (page {page} of {pages})", title=board.title, page=page + 1, pages=pages)
                  + f"\n{board.description}\n\n" + "\n\n".join(lines),
                  (*rows(*opens, per_row=3), *rows(*paging, per_row=2),
                   *rows((_("✍ New post"), "write"), follow, (_("🗂 All boards"), "boards"), per_row=3)))]


async def _on_board(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    state = Reading.of(ctx)
    board_id = state.board_id
    if data in ("older", "newer"):
        state.page = max(0, state.page + (1 if data == "older" else -1))
        return Next(state="board", remember=False)
    if data == "follow":
        await boards.subscribe(ctx.uow, ctx.account_id, board_id)
        return Next(state="board", remember=False, replies=[Reply(
            _("🔔 You follow this board: new posts and replies reach you here."))])
    if data == "unfollow":
        await boards.unsubscribe(ctx.uow, ctx.account_id, board_id)
        return Next(state="board", remember=False,
                    replies=[Reply(_("🔕 You no longer follow this board."))])
    if data == "write":
        return Next(state="write")
    if data == "boards":
        return Next(state="list", remember=False)
    if data.startswith("p:") and (post_id := parse_id(data[2:])) is not None:
        state.post_id = state.target = post_id
        return Next(state="post")
    return Next.stay(Reply(_("Tap a post to open it, or ✍ New post."), kind="error"))


async def _write_prompt(ctx: Ctx) -> list[Outbound]:
    board = await boards.board(ctx.uow, Reading.of(ctx).board_id)
    return [Reply(_("✍ Type your post for “{title}” (2–{limit} characters). "
                    "It is public: it shows on Agora's website too, so leave out contact details.",
                    title=board.title, limit=present.count(community_rules.MAX_POST)))]


async def _on_write(ctx: Ctx, msg: Inbound) -> Next:
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Please type your post in words."), kind="error"))
    state = Reading.of(ctx)
    post = await boards.post(ctx.uow, ctx.account_id, state.board_id, msg.text)
    state.post_id = state.target = post.id
    return Next(state="post", remember=False,
                replies=[Reply(_("✅ Posted. The board's followers are told."))])


async def _post(ctx: Ctx) -> list[Outbound]:
    head, replies = await boards.thread(ctx.uow, Reading.of(ctx).post_id, ctx.account_id)
    lines = [f"#{head.post.id} · {head.author} · {shown(head.post.created_at, POSTED)}\n"
             f"{head.post.text}\n{boards.reaction_line(head)}"]
    lines += [f"  ↩ {r.author} · {shown(r.post.created_at, POSTED)}: {r.post.text}"
              for r in replies]
    react = [(f"{emoji}{' ✓' if head.mine == kind else ''}", f"react:{kind}")
             for kind, emoji in community_rules.REACTIONS.items()]
    actions = [(_("✍ Reply"), "reply"), (_("⚠ Report"), "report")]
    if await boards.may_moderate(ctx.uow, ctx.account_id):
        actions.append((_("🙈 Hide"), "hide"))
    return [Reply("\n\n".join(lines), (*rows(*react, per_row=3), *rows(*actions, per_row=3),
                                       *rows((_("◀ Board"), "board"), per_row=1)))]


async def _on_post(ctx: Ctx, msg: Inbound) -> Next:
    data, state = msg.data if isinstance(msg, Choice) else "", Reading.of(ctx)
    if data.startswith("react:"):
        card = await boards.react(ctx.uow, ctx.account_id, state.post_id, data[6:])
        return Next(state="post", remember=False,
                    replies=[Reply(_("Noted — {reactions}", reactions=boards.reaction_line(card)))])
    if data in ("reply", "report", "hide"):
        state.target = state.post_id
        return Next(state=data)
    if data == "board":
        return Next(state="board", remember=False)
    if isinstance(msg, Text):  # typing under a post answers it
        return await _on_reply(ctx, msg)
    return Next.stay(Reply(_("Tap a reaction, ✍ Reply or ◀ Board."), kind="error"))


async def _reply_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("✍ Type your reply (2–{limit} characters; it is public).",
                    limit=present.count(community_rules.MAX_POST)))]


async def _on_reply(ctx: Ctx, msg: Inbound) -> Next:
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Please type your reply in words."), kind="error"))
    await boards.reply(ctx.uow, ctx.account_id, Reading.of(ctx).target, msg.text)
    return Next(state="post", remember=False, replies=[Reply(_("✅ Replied; the conversation's "
                                                               "people are told."))])


async def _report_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("⚠ Why are you reporting this post? Type a short reason for the admins, or "
                    "send it without one."), rows((_("Send without a reason"), "none")))]


async def _on_report(ctx: Ctx, msg: Inbound) -> Next:
    reason = msg.text if isinstance(msg, Text) else ""
    if not isinstance(msg, Text) and not (isinstance(msg, Choice) and msg.data == "none"):
        return Next.stay(Reply(_("Type a reason, or tap Send without a reason."), kind="error"))
    await boards.report(ctx.uow, ctx.account_id, Reading.of(ctx).target, reason)
    return Next(state="post", remember=False,
                replies=[Reply(_("⚠ Reported — the admins will look at it. Thank you."))])


async def _hide_prompt(ctx: Ctx) -> list[Outbound]:
    await boards.visible_post(ctx.uow, Reading.of(ctx).target)
    if not await boards.may_moderate(ctx.uow, ctx.account_id):
        return [Reply(_("Only Agora's admins hide posts."), kind="error")]
    return [Reply(_("🙈 Why is this post hidden? The author reads your reason (3–300 characters)."))]


async def _on_hide(ctx: Ctx, msg: Inbound) -> Next:
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Type the reason the author will read."), kind="error"))
    await boards.hide(ctx.uow, ctx.account_id, Reading.of(ctx).target, msg.text)
    return Next(state="board", remember=False,
                replies=[Reply(_("🙈 Hidden from the board and the website; the author is told."))])


def _short(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


boards_flow = Flow(
    name="boards", title=N_("the boards"), first="list", on_start=_start, state_model=Reading,
    commands=("boards",), summary=N_("Topic boards: read, post, reply and follow"),
    menu=(MenuEntry(N_("🗣 Boards"), ("member",), 850, row="community"),),
    intents={CommunityIntent.BOARD_POST: "{arg}", CommunityIntent.VIEW_BOARD: "b:{arg}"},
    help=N_("Topic boards (pellet quality, logistics, biogas, consulting): read posts, post, "
            "reply, react and follow a board to get its new posts here. Posts are public."),
    states={"list": Ask(prompt=_list, on=_on_list),
            "board": Ask(prompt=_board, on=_on_board),
            "write": Ask(prompt=_write_prompt, on=_on_write, cancel_to="board"),
            "post": Ask(prompt=_post, on=_on_post),
            "reply": Ask(prompt=_reply_prompt, on=_on_reply, cancel_to="post"),
            "report": Ask(prompt=_report_prompt, on=_on_report, cancel_to="post"),
            "hide": Ask(prompt=_hide_prompt, on=_on_hide, cancel_to="post")},
)
