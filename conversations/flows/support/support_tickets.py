"""A person's own support ticket: the thread with Agora support, answer, close, reopen, and rate
the answer once closed. Opened from /support's list or from a notice's buttons."""

from __future__ import annotations

from datetime import datetime

from conversations.flow import Ask, Ctx, Flow, FlowState, Next
from conversations.flows.opening import STARS
from conversations.messages import Choice, Inbound, Outbound, Reply, Text, rows
from core.errors import DomainError
from core.i18n import N_, _
from core.i18n.dates import shown
from core.ids import parse_id
from core.support import service as support
from core.support.intents import SupportIntent
from core.support.views import TicketView

VERBS = ("reply", "close", "rate", "reopen")
# The reader's next steps as buttons, in this order.
STEP_BUTTONS = (("asker-reply", N_("✍ Answer"), "reply"), ("add-detail", N_("✍ Add a detail"), "reply"),
                ("close", N_("✅ Close the ticket"), "close"), ("reopen", N_("↩ Reopen"), "reopen"),
                ("rate", N_("⭐ Rate the answer"), "rate"))


class Following(FlowState):
    """What a person's own ticket keeps: the ticket."""

    ticket_id: int


def when(ctx: Ctx, moment: datetime) -> str:
    """A time as the reader reads it, in their own zone."""
    local = moment.astimezone(ctx.local_now().tzinfo)
    return shown(local, "MMMdHm")


def thread_lines(ctx: Ctx, view: TicketView) -> list[str]:
    return [f"— {m.author}, {when(ctx, m.at)}:\n{m.text}" for m in view.messages]


async def _start(ctx: Ctx) -> Next | None:
    """`id` shows the ticket; `reply:id`, `close:id`, `reopen:id`, `rate:id[:stars]` act."""
    verb, __, rest = Following.of(ctx).args.partition(":")
    if verb not in VERBS:
        verb, rest = "view", verb
    number_text, __, stars = rest.partition(":")
    number = parse_id(number_text)
    if number is None:
        return Next.end(Reply(_("Which ticket? Type /support to see yours."), kind="error"))
    ctx.data.clear()
    Following.of(ctx).ticket_id = number
    await support.ticket_view(ctx.uow, ctx.account_id, number)  # refuses a stranger's ticket
    if verb == "rate" and stars:
        return await _rated(ctx, Choice(stars))
    return await _act(ctx, verb)


async def _act(ctx: Ctx, verb: str) -> Next | None:
    number = Following.of(ctx).ticket_id
    if verb == "close":
        await support.close(ctx.uow, ctx.account_id, number)
        return Next(state="rate", replies=[Reply(_("✅ Ticket #{number} is closed.", number=number))])
    if verb == "reopen":
        await support.reopen(ctx.uow, ctx.account_id, number)
        return Next(state="view", replies=[Reply(_("↩ Ticket #{number} is open again; an "
                                                   "operator will answer here.", number=number))])
    if verb in ("reply", "rate"):
        return Next(state=verb, remember=False)
    return None


async def _view_prompt(ctx: Ctx) -> list[Outbound]:
    view = await support.ticket_view(ctx.uow, ctx.account_id, Following.of(ctx).ticket_id)
    head = _("🎫 Ticket #{id} · {status}", id=view.ticket.id, status=view.status_label)
    if view.ticket.rating:
        head += " · " + _("you rated it {stars}", stars="★" * view.ticket.rating)
    buttons = [(_(label), data) for step, label, data in STEP_BUTTONS if step in view.next_steps]
    return [Reply("\n\n".join([head, *thread_lines(ctx, view)]),
                  rows(*buttons, (_("✔ Done"), "done"), per_row=2))]


async def _on_view(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data in VERBS:
        nxt = await _act(ctx, data)
        return nxt if nxt is not None else Next.stay()
    if isinstance(msg, Text):  # typing on the ticket answers it
        return await _replied(ctx, msg)
    return Next.end()


async def _reply_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Type your message for Agora support on ticket #{id}.", id=Following.of(ctx).ticket_id))]


async def _replied(ctx: Ctx, msg: Inbound) -> Next:
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Please type your message in words."), kind="error"))
    await support.user_reply(ctx.uow, ctx.account_id, Following.of(ctx).ticket_id, msg.text)
    return Next(state="view", remember=False, replies=[Reply(_("✉ Sent to Agora support."))])


async def _rate_prompt(ctx: Ctx) -> list[Outbound]:
    stars = ((label, value) for value, label in STARS)
    return [Reply(_("How good was the answer?"), rows(*stars, (_("Skip"), "skip")))]


async def _rated(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "skip":
        return _finish(_("Thank you. You can rate it later from the ticket."))
    if not data.isdigit():
        return Next.stay(Reply(_("Tap the stars, 1 to 5."), kind="error"))
    try:
        await support.rate(ctx.uow, ctx.account_id, Following.of(ctx).ticket_id, int(data))
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"), menu=False)
    return _finish(_("⭐ Thank you — you rated the answer {stars}.", stars="★" * int(data)))


def _finish(text: str) -> Next:
    """End; the menu offers to continue what was put aside."""
    return Next.end(Reply(text))


ticket_flow = Flow(
    name="ticket", state_model=Following, title=N_("your support ticket"), first="view", on_start=_start,
    intents={SupportIntent.MY_TICKET: "{arg}"}, support_on_errors=False, parks=False,
    help=N_("Your ticket with Agora support: read the answers, write back, close it when solved, "
            "and rate the answer."),
    states={"view": Ask(prompt=_view_prompt, on=_on_view),
            "reply": Ask(prompt=_reply_prompt, on=_replied, cancel_to="view"),
            "rate": Ask(prompt=_rate_prompt, on=_rated)},
)
