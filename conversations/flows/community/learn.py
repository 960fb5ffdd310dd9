"""The library in chat (`/learn`): topics, then a topic's reports, guides and consultants'
insights; a link opens, a PDF is sent, an insight is shown with its author and a button to
their profile. Consultants write insights from here."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next
from conversations.flows.community.steps import picked, typed
from conversations.messages import (
    Button,
    Choice,
    FileReply,
    Inbound,
    Outbound,
    Reply,
    action_button,
    rows,
)
from core.actions import Action
from core.community import rules as community_rules
from core.consulting.intents import ConsultingIntent
from core.i18n import N_, _, present
from core.ids import parse_id
from core.learning import library
from core.learning.intents import LearningIntent
from core.learning.library import KIND_MARKS


class Learning(FlowState):
    """What the library keeps: the topic and item open; an insight being written (the `typed`
    and `picked` steps keep its answers under the i_ names)."""

    topic: str | None = None  # None: the item was opened directly, Back goes to the topics
    item_id: int
    i_topic: str
    i_title: str
    i_text: str
    i_url: str = ""


async def _start(ctx: Ctx) -> Next | None:
    """"" lists the topics; `i:id` opens one item."""
    arg = Learning.of(ctx).args.strip()
    if arg.startswith("i:") and (number := parse_id(arg[2:])) is not None:
        await library.item(ctx.uow, number)
        Learning.of(ctx).item_id = number
        return Next(state="item", remember=False)
    return None


async def _topics(ctx: Ctx) -> list[Outbound]:
    found = await library.topics(ctx.uow)
    buttons = [(f"{_(name)} ({count})", f"t:{index}") for index, (name, count) in enumerate(found)]
    extra = [(_("📅 Webinars and events"), "events")]
    if "consultant" in ctx.roles:
        extra.append((_("💡 Write an insight"), "insight"))
    return [Reply(_("📚 The library: reports, guides and consultants' insights by topic."),
                  (*rows(*buttons, per_row=2), *rows(*extra, (_("✔ Done"), "done"), per_row=3)))]


async def _on_topics(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "done":
        return Next.end()
    if data == "events":
        return Next(state=None, start="events")
    if data == "insight":
        return Next(state="i_topic")
    if data.startswith("t:") and data[2:].isdigit() and int(data[2:]) < len(library.TOPICS):
        Learning.of(ctx).topic = library.TOPICS[int(data[2:])]
        return Next(state="topic")
    return Next.stay(Reply(_("Tap a topic."), kind="error"))


async def _topic(ctx: Ctx) -> list[Outbound]:
    topic = Learning.of(ctx).topic
    assert topic is not None  # the topic state opens on a chosen topic
    found = await library.items(ctx.uow, topic)
    lines = [f"{KIND_MARKS[c.item.kind]} "
             + (_("{title} — by {author}", title=c.item.title, author=c.author)
                if c.item.kind == "insight" else c.item.title)
             + (f"\n   {c.item.summary}" if c.item.summary and c.item.kind != "insight" else "")
             for c in found] or [_("Nothing here yet.")]
    buttons = tuple((Button(f"{KIND_MARKS[c.item.kind]} {c.item.title[:50]}", f"i:{c.item.id}"),)
                    for c in found)
    return [Reply(f"📚 {_(topic)}\n\n" + "\n".join(lines),
                  (*buttons, (Button(_("◀ Topics"), "topics"),)))]


async def _on_topic(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "topics":
        return Next(state="topics", remember=False)
    if data.startswith("i:") and (number := parse_id(data[2:])) is not None:
        await library.item(ctx.uow, number)
        Learning.of(ctx).item_id = number
        return Next(state="item")
    return Next.stay(Reply(_("Tap an item to open it."), kind="error"))


async def _item(ctx: Ctx) -> list[Outbound]:
    card = await library.item(ctx.uow, Learning.of(ctx).item_id)
    item = card.item
    back = rows((_("◀ Back"), "back"))
    if item.kind == "pdf":
        store = ctx.services.files
        if store is None or not item.file_path:
            return [Reply(_("That file can't be sent from here."), back, kind="error")]
        return [FileReply(item.file_name or "report.pdf", store.read(item.file_path),
                          "application/pdf", f"📄 {item.title}"),
                Reply(item.summary or item.title, back)]
    if item.kind == "link":
        return [Reply(f"🔗 {item.title}\n{item.summary}\n\n{item.url}".replace("\n\n\n", "\n\n"),
                      back)]
    profile = action_button(Action(ConsultingIntent.VIEW_CONSULTANT, f"👤 {card.author}",
                                   str(item.author_id)))
    link = f"\n\n🔗 {item.url}" if item.url else ""
    by = _("by {author}, consultant", author=card.author)
    return [Reply(f"💡 {item.title}\n{by}\n\n{item.summary}{link}", ((profile,), *back))]


async def _on_item(ctx: Ctx, msg: Inbound) -> Next:
    if Learning.of(ctx).topic is not None:
        return Next(state="topic", remember=False)
    return Next(state="topics", remember=False)


async def _insight_done(ctx: Ctx) -> Next:
    state = Learning.of(ctx)
    item = await library.publish_insight(ctx.uow, ctx.account_id, topic_name=state.i_topic,
                                         title=state.i_title, text=state.i_text,
                                         url=state.i_url or None)
    return Next.end(Reply(_("💡 Published “{title}” under {topic}, with your name and "
                            "a link to your profile.", title=item.title, topic=_(item.topic))))


learn_flow = Flow(
    name="learn", title=N_("the library"), first="topics", on_start=_start,
    state_model=Learning,
    commands=("learn", "library"), summary=N_("Reports, guides and insights by topic"),
    menu=(MenuEntry(N_("📚 Learn"), ("member",), 851, row="community"),),
    intents={LearningIntent.VIEW_RESOURCE: "i:{arg}"},
    help=N_("The library: reports and guides (links and PDFs) and consultants' insights, by topic; "
            "consultants write insights here."),
    states={
        "topics": Ask(prompt=_topics, on=_on_topics),
        "topic": Ask(prompt=_topic, on=_on_topic),
        "item": Ask(prompt=_item, on=_on_item),
        "i_topic": picked("i_topic", N_("💡 Your insight: under which topic?"),
                          lambda ctx: [(t, t) for t in library.TOPICS], "i_title"),
        "i_title": typed("i_title", N_("Its title? (3–120 characters)"), lambda ctx, t: community_rules.text(
            t, "title", minimum=3, maximum=120, one_line=True), "i_text"),
        "i_text": typed("i_text", lambda ctx: _("The insight itself (20–{maximum} characters)?",
                                                maximum=present.count(library.MAX_INSIGHT)),
                        lambda ctx, t: community_rules.text(t, "insight", minimum=20,
                                                   maximum=library.MAX_INSIGHT), "i_url"),
        "i_url": typed("i_url", N_("A link to read more (https://…)?"), lambda ctx, t: community_rules.url(t),
                       _insight_done, optional=True),
    },
)
