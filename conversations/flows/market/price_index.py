"""Agora's price indices in chat: /index lists them with their latest values; an index's card
(from the list, a notice or the site's “Follow in chat” link, `index-1`) shows its latest week
and the change, with Follow or Unfollow; a follower gets each newly published week as a notice
(core.market.index_follow)."""

from __future__ import annotations

from conversations.flow import Ctx, MenuEntry, Next, OneStepCommand
from conversations.messages import Button, Reply, go
from core.i18n import N_, _
from core.indices.definitions import IndexDef
from core.market import index_follow
from core.market.index_view import IndexView, all_views, definition, index_view
from core.market.index_words import change_words, value_words, volume_words, week_words
from core.market.intents import IndexIntent


def _latest(view: IndexView) -> str:
    latest = view.latest
    if latest is None:
        return _("No week published yet.")
    return _("{week}: {value}; {change}. {volume}.", week=week_words(latest.week),
             value=value_words(latest), change=change_words(view.change),
             volume=volume_words(latest))


def _page(ctx: Ctx, index: IndexDef) -> str:
    return f"{ctx.uow.policy.public_url.rstrip('/')}/indices/{index.code}"


async def _card(ctx: Ctx, code: str, note: str = "") -> Next:
    """One index: its latest week, how it is made (a link), Follow or Unfollow."""
    assert ctx.account is not None
    view = await index_view(ctx.uow, code)
    index = view.index
    following = await index_follow.follows(ctx.uow, ctx.account.id, index)
    switch = (Button(_("🔕 Unfollow"), go(IndexIntent.UNFOLLOW_INDEX.value, index.number))
              if following else
              Button(_("🔔 Follow: its value every week"),
                     go(IndexIntent.FOLLOW_INDEX.value, index.number)))
    lines = [f"📈 {index.name()}", _latest(view),
             _("Volume-weighted average of deals and awards, outliers trimmed; published only "
               "with enough parties.")]
    if note:
        lines.append(note)
    return Next.end(Reply("\n".join(lines), (
        (switch,), (Button(_("🌐 Chart, history and method"), "", url=_page(ctx, index)),),
        (Button(_("📈 All indices"), go("index")),))))


async def _index(ctx: Ctx) -> Next:
    """/index: every index with its latest value; /index 1 (or a button): one index's card."""
    arg = str(ctx.data.get("args") or "").strip()
    if arg:
        return await _card(ctx, arg)
    views = await all_views(ctx.uow)
    lines = [_("📈 Agora price indices (weekly, per tonne and per MWh):")]
    for view in views:
        lines.append(f"• {view.index.name()}: {_latest(view)}")
    buttons = tuple((Button(view.index.name()[:60], go("index", view.index.number)),)
                    for view in views)
    return Next.end(Reply("\n".join(lines), buttons))


async def _follow(ctx: Ctx) -> Next:
    assert ctx.account is not None
    index = definition(str(ctx.data.get("args") or ""))
    await index_follow.follow(ctx.uow, ctx.account.id, index)
    return await _card(ctx, index.code, _("🔔 You'll get its value here each week it is "
                                          "published."))


async def _unfollow(ctx: Ctx) -> Next:
    assert ctx.account is not None
    index = definition(str(ctx.data.get("args") or ""))
    await index_follow.unfollow(ctx.uow, ctx.account.id, index)
    return await _card(ctx, index.code, _("🔕 No more weekly values of this index."))


price_index = OneStepCommand(
    name="index", title=N_("price indices"), run=_index, commands=("index",),
    summary=N_("Agora's weekly price indices, to follow in chat"),
    menu=(MenuEntry(N_("📈 Price indices"), ("seller", "buyer"), 31),),
    intents={IndexIntent.VIEW_INDEX: "{arg}"},
    help=N_("Weekly prices per product and region, per tonne and per MWh; follow an index to "
            "get its value each week."))
follow_index = OneStepCommand(name="follow_index", title=N_("follow an index"), run=_follow,
                              intents={IndexIntent.FOLLOW_INDEX: "{arg}"})
unfollow_index = OneStepCommand(name="unfollow_index", title=N_("unfollow an index"),
                                run=_unfollow, intents={IndexIntent.UNFOLLOW_INDEX: "{arg}"})
