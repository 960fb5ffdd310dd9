"""Messaging about a listing: “Ask the seller” and “Request a quote” from a listing card, and
Reply from a relayed message. Texts, photos and documents go to the other party on their own
channel; history by page; block or report."""

from __future__ import annotations

from conversations import confirmations
from conversations.flow import Ask, Ctx, Flow, FlowState, Next
from conversations.flows.uploads import stored_file
from conversations.messages import (
    Button,
    Choice,
    FileUpload,
    Inbound,
    ListItem,
    ListPage,
    Outbound,
    Reply,
    Text,
    rows,
)
from core.deals import views as deal_views
from core.deals.intents import DealIntent
from core.deals.threads import service as threads
from core.deals.threads.service import RFQ
from core.errors import DomainError
from core.i18n import N_, _, present
from core.ids import parse_id

ASK_HINT = N_("Type your message, or send a photo or document. Phone numbers, emails and links "
              "are hidden until a deal is agreed, to keep both of you protected.")


class Talking(FlowState):
    """What a conversation about a listing keeps: the thread, a quote asked, the history's page."""

    thread_id: int
    rfq: bool = False  # a request for a quote: the first message is marked as one
    page: int = 0


async def _start(ctx: Ctx) -> Next | None:
    """`l<listing>` asks the seller, `r<listing>` requests a quote, `<thread>` replies."""
    assert ctx.account is not None
    state = Talking.of(ctx)
    arg = state.args
    try:
        if arg[:1] in ("l", "r") and (listing_id := parse_id(arg[1:])) is not None:
            thread = await threads.open_thread(ctx.uow, listing_id, ctx.account.id)
            state.rfq = arg[:1] == "r"
        elif (thread_id := parse_id(arg)) is not None:
            thread = await threads.get(ctx.uow, thread_id, ctx.account.id)
        else:
            return Next.end(Reply(_("Open a conversation from a listing or a message."), kind="error"))
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"))
    state.thread_id = thread.id
    return None


async def _names(ctx: Ctx) -> tuple[str, str]:
    """The other party's name and the listing's title."""
    return await deal_views.thread_names(ctx.uow, Talking.of(ctx).thread_id, ctx.account_id)


def _buttons() -> tuple[tuple[Button, ...], ...]:
    return rows((_("📜 History"), "history"), (_("✔ Done"), "done"), (_("🚫 Block"), "block"),
                (_("⚠ Report"), "report"), per_row=2)


async def _write_prompt(ctx: Ctx) -> list[Outbound]:
    other, title = await _names(ctx)
    if Talking.of(ctx).rfq:
        return [Reply(_("📝 Request a quote from {other} for “{title}”: say how much you need, "
                        "where and when. They answer with a quote you can accept or counter.",
                        other=other, title=title),
                      _buttons())]
    return [Reply(_("💬 Message {other} about “{title}”.", other=other, title=title) + "\n" + _(ASK_HINT),
                  _buttons())]


async def _on_write(ctx: Ctx, msg: Inbound) -> Next:
    """Send a text or a file; history, block and report; Done ends."""
    assert ctx.account is not None
    data, state = msg.data if isinstance(msg, Choice) else "", Talking.of(ctx)
    if data == "done":
        return Next.end(menu=False)
    if data == "history":
        state.page = 0
        return Next(state="history")
    if data in ("block", "report"):
        await threads.block(ctx.uow, state.thread_id, ctx.account.id, report=data == "report")
        return Next.end(Reply(
            _("🚫 Conversation reported to the admins and blocked: no more messages either way.")
            if data == "report" else _("🚫 Conversation blocked: no more messages either way.")))
    if isinstance(msg, FileUpload):
        message = await threads.post(ctx.uow, state.thread_id, ctx.account.id, "",
                                     await stored_file(ctx, msg))
    elif isinstance(msg, Text):
        text = (RFQ + msg.text) if state.rfq else msg.text
        del state.rfq  # only the first message asks for the quote
        message = await threads.post(ctx.uow, state.thread_id, ctx.account.id, text)
    else:
        return Next.stay(Reply(_("Type a message or send a file, or tap Done."), kind="error"))
    other, __ = await _names(ctx)
    sent = confirmations.message_sent(other, message.masked).text
    return Next(state="", reprompt=False, replies=[Reply(sent, _buttons())])


async def _history(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None  # the thread opened only for a registered party
    state = Talking.of(ctx)
    page = state.page
    found = await threads.history(ctx.uow, state.thread_id, ctx.account.id, page)
    if not found:
        return [Reply(_("No more messages."), rows((_("◀ Newer"), "newer"), (_("💬 Write"), "write"),
                                                   per_row=2))]
    items = tuple(ListItem(_("You · {when}", when=present.local(m.created_at))
                           if m.sender_id == ctx.account_id
                           else _("Them · {when}", when=present.local(m.created_at)), m.text[:300])
                  for m in reversed(found))
    return [ListPage(_("📜 Messages, oldest first"), items, page + 1, page + 1),
            Reply(_("Older messages, or write."), rows((_("◀ Older"), "older"), (_("▶ Newer"), "newer"),
                                                       (_("💬 Write"), "write"), per_row=3))]


async def _on_history(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data in ("older", "newer"):
        state = Talking.of(ctx)
        state.page = max(0, state.page + (1 if data == "older" else -1))
        return Next(state="history", remember=False)
    if isinstance(msg, Text | FileUpload):
        return await _on_write(ctx, msg)
    return Next(state="write", remember=False)


thread_flow = Flow(
    name="thread", title=N_("a conversation"), first="write", on_start=_start,
    state_model=Talking,
    intents={DealIntent.REPLY_THREAD: "{arg}"},
    help=N_("Messages with the other party about a listing: text, photos and documents. Contact "
            "details show once a deal is agreed. Block or report stops the conversation."),
    states={"write": Ask(prompt=_write_prompt, on=_on_write),
            "history": Ask(prompt=_history, on=_on_history)},
)
