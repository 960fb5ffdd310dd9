"""The operators' support desk in chat (/tickets): the queue, oldest first-answer deadline
first; a ticket with where it was asked from and its thread; reply (it reaches the person on
their own channel), close, reopen. Every step is the same core service the web console calls,
which checks that the reader may handle support."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next
from conversations.flows.support.support_tickets import thread_lines, when
from conversations.messages import Choice, Inbound, ListItem, ListPage, Outbound, Reply, Text, rows
from core.i18n import N_, _
from core.ids import parse_id
from core.support import service as support
from core.support.intents import SupportIntent

STEP_BUTTONS = (("operator-reply", N_("✍ Reply"), "reply"), ("close", N_("✅ Close"), "close"),
                ("reopen", N_("↩ Reopen"), "reopen"))
FILTERS = (("open", N_("🆕 New")), ("waiting_for_operator", N_("⏳ Waiting for us")),
           ("answered", N_("💬 Answered")), ("closed", N_("📁 Closed")))


class Desk(FlowState):
    """What the operators' desk keeps: the ticket open, the queue's filter."""

    ticket_id: int
    status: str | None = None  # a key of FILTERS; None: every open ticket


async def _start(ctx: Ctx) -> Next | None:
    """`id` opens a ticket, `reply:id` answers it; nothing: the queue."""
    await support.require_operator(ctx.uow, ctx.account_id)
    verb, __, rest = Desk.of(ctx).args.partition(":")
    number = parse_id(rest if verb == "reply" else verb)
    ctx.data.clear()
    if number is None:
        return None
    await support.ticket_view(ctx.uow, ctx.account_id, number)  # it exists
    Desk.of(ctx).ticket_id = number
    return Next(state="reply" if verb == "reply" else "ticket", remember=False)


async def _queue(ctx: Ctx) -> list[Outbound]:
    status = Desk.of(ctx).status
    found = await support.tickets_for_operator(ctx.uow, ctx.account_id, status, limit=30)
    filters = rows(*((_(label), f"f:{key}") for key, label in FILTERS), per_row=4)
    if not found:
        return [Reply(_("🎫 No tickets here."), (*filters, *rows((_("✔ Done"), "done"))))]
    items = tuple(ListItem(f"#{t.id} · {t.status.replace('_', ' ')} · "
                           + _("due {when}", when=when(ctx, t.first_answer_due_at))
                           + (" · " + _("⏰ escalated") if t.escalated_at else ""), t.question[:120])
                  for t in found)
    title = _("🎫 Support tickets, oldest deadline first") if not status else \
        _("🎫 Tickets: {status}", status=status.replace("_", " "))
    return [ListPage(title, items, 1, 1),
            Reply(_("Open one:"), (*rows(*((f"#{t.id}", f"x:{t.id}") for t in found[:12]),
                                         per_row=4), *filters, *rows((_("✔ Done"), "done"))))]


async def _on_queue(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data.startswith("x:") and (number := parse_id(data[2:])) is not None:
        await support.ticket_view(ctx.uow, ctx.account_id, number)
        Desk.of(ctx).ticket_id = number
        return Next(state="ticket")
    if data.startswith("f:") and data[2:] in dict(FILTERS):
        Desk.of(ctx).status = data[2:]
        return Next.stay()
    return Next.end()


async def _ticket(ctx: Ctx) -> list[Outbound]:
    view = await support.ticket_view(ctx.uow, ctx.account_id, Desk.of(ctx).ticket_id)
    ticket = view.ticket
    opened, due = when(ctx, ticket.created_at), when(ctx, ticket.first_answer_due_at)
    said = view.context.summary()
    lines = [_("🎫 Ticket #{id} from {asker} ({channel}) · {status}", id=ticket.id, asker=view.asker,
               channel=ticket.channel, status=view.status_label),
             (_("Opened {opened}; first answer due {due}, answered {answered}", opened=opened, due=due,
                answered=when(ctx, ticket.first_answered_at)) if ticket.first_answered_at
              else _("Opened {opened}; first answer due {due}", opened=opened, due=due))
             + (" · " + _("⏰ escalated") if ticket.escalated_at else ""),
             _("Context: {context}", context=said) if said else _("Context: none")]
    if ticket.rating:
        lines.append(_("Rated {stars}", stars="★" * ticket.rating))
    buttons = [(_(label), data) for step, label, data in STEP_BUTTONS if step in view.next_steps]
    lines.append("")
    lines += thread_lines(ctx, view)
    if "operator-reply" in view.next_steps:
        lines.append(_("(Type to reply, or use the buttons.)"))
    return [Reply("\n".join(lines),
                  rows(*buttons, (_("📋 Queue"), "queue"), (_("✔ Done"), "done"), per_row=2))]


async def _on_ticket(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    number = Desk.of(ctx).ticket_id
    if data == "reply" or isinstance(msg, Text):
        return await _on_reply(ctx, msg) if isinstance(msg, Text) else Next(state="reply")
    if data == "close":
        await support.close(ctx.uow, ctx.account_id, number)
        return Next.stay(Reply(_("✅ Ticket #{number} closed; the user is asked to rate it.", number=number)))
    if data == "reopen":
        await support.reopen(ctx.uow, ctx.account_id, number)
        return Next.stay(Reply(_("↩ Ticket #{number} reopened; the user is told.", number=number)))
    if data == "queue":
        return Next(state="queue", remember=False)
    return Next.end()


async def _reply_prompt(ctx: Ctx) -> list[Outbound]:
    view = await support.ticket_view(ctx.uow, ctx.account_id, Desk.of(ctx).ticket_id)
    if view.ticket.channel:
        return [Reply(_("Type your answer to {asker} on ticket #{id}: it reaches them on {channel}, "
                        "with buttons to answer or close.", asker=view.asker, id=view.ticket.id,
                        channel=view.ticket.channel))]
    return [Reply(_("Type your answer to {asker} on ticket #{id}: it reaches them on their channel, "
                    "with buttons to answer or close.", asker=view.asker, id=view.ticket.id))]


async def _on_reply(ctx: Ctx, msg: Inbound) -> Next:
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Type the answer in words."), kind="error"))
    await support.operator_reply(ctx.uow, ctx.account_id, Desk.of(ctx).ticket_id, msg.text)
    return Next(state="ticket", remember=False, replies=[Reply(_("✉ Sent."))])


desk_flow = Flow(
    name="tickets", state_model=Desk, title=N_("support tickets"), first="queue", on_start=_start,
    commands=("tickets",), summary=N_("Operators: support tickets, oldest deadline first"),
    menu=(MenuEntry(N_("🎫 Support tickets"), ("admin",), 83),),
    intents={SupportIntent.HANDLE_TICKET: "{arg}"}, support_on_errors=False,
    help=N_("Operators: the support queue (new tickets first, the oldest deadline first). Open a "
            "ticket to see where it was asked from and its thread; reply, close or reopen."),
    states={"queue": Ask(prompt=_queue, on=_on_queue),
            "ticket": Ask(prompt=_ticket, on=_on_ticket),
            "reply": Ask(prompt=_reply_prompt, on=_on_reply, cancel_to="ticket")},
)
