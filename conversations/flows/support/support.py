"""Support from anywhere: /support (or the 🆘 button under an error) first suggests answers from
the help base; if none helps it opens a ticket that carries where the person was — the flow and
step, the object, the error — which stays put aside so they can continue afterwards. Also a
person's own tickets: read the thread, answer, close, reopen, rate the answer."""

from __future__ import annotations

from typing import Any

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next
from conversations.flows.support.help_text import article_text
from conversations.help_base import suggest
from conversations.messages import (
    Button,
    Choice,
    Inbound,
    ListItem,
    ListPage,
    Outbound,
    Reply,
    Text,
    go,
    rows,
)
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id
from core.process.model import duration
from core.support import rules as support_rules
from core.support import service as support
from core.support.context import TicketContext
from core.support.intents import SupportIntent

ASK = N_("🆘 What do you need help with? Type your question in a sentence or two — I'll look "
         "in the help first, and if that doesn't answer it, a person will.")
CONTINUE = N_("↩ Continue where I left off")  # the label of the button to the "@resume" step
OWN_FLOWS = ("support", "ticket", "tickets")  # being in support says nothing about a problem


class Asking(FlowState):
    """What /support keeps: where the person was, their question, the articles suggested."""

    context: dict[str, Any] | None = None  # a TicketContext as JSON
    resumable: bool = False  # a flow was put aside: offer to continue it at the end
    question: str
    articles: list[str] = []  # the help articles suggested, by slug


async def _start(ctx: Ctx) -> Next | None:
    """Keep where the person was (or where their last error happened, from its button); a
    question typed with the command (`/support my payout…`) is taken at once."""
    where = ctx.whereabouts
    arg = Asking.of(ctx).args.strip()
    context = {}
    if where is not None:
        context = where.last_error if arg == "error" and where.last_error else where.here
    ctx.data.clear()
    Asking.of(ctx).context = context if context.get("flow") not in OWN_FLOWS else {}
    Asking.of(ctx).resumable = bool(where and where.resumable)
    if arg and arg != "error":
        return await _asked(ctx, Text(arg))
    return None


async def _ask_prompt(ctx: Ctx) -> list[Outbound]:
    said = TicketContext.from_json(Asking.of(ctx).context).summary()
    text = _(ASK) + ("\n" + _("(I'll tell the operator where you were: {said}.)", said=said) if said else "")
    mine = await support.tickets_of(ctx.uow, ctx.account_id, limit=5)
    if not mine:
        return [Reply(text)]
    items = tuple(ListItem(f"#{t.id} · {t.status.replace('_', ' ')}", t.question[:100])
                  for t in mine)
    return [ListPage(_("🎫 Your tickets"), items, 1, 1),
            Reply(text + "\n\n" + _("Or open one of your tickets:"),
                  rows(*((f"🎫 #{t.id}", f"t:{t.id}") for t in mine), per_row=3))]


async def _asked(ctx: Ctx, msg: Inbound) -> Next:
    """A typed question: suggest articles, or open a ticket when none matches."""
    data = msg.data if isinstance(msg, Choice) else ""
    if data.startswith("t:") and (number := parse_id(data[2:])) is not None:
        return Next(state=None, start="ticket", start_data={"args": str(number)})
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Please type your question in words (a sentence or two)."),
                               kind="error"))
    try:
        Asking.of(ctx).question = support_rules.check_question(msg.text)
    except DomainError as exc:
        return Next.stay(Reply(str(exc), kind="error"))
    found = suggest(Asking.of(ctx).question)
    if not found:
        return await _open(ctx, nothing_found=True)
    Asking.of(ctx).articles = [a.slug for a in found]
    return Next(state="suggest")


async def _suggest_prompt(ctx: Ctx) -> list[Outbound]:
    texts = [article_text(slug, ctx.env.command_prefix) for slug in Asking.of(ctx).articles]
    return [*(Reply(t) for t in texts if t),
            Reply(_("Does this answer your question?"),
                  rows((_("✅ This answers it"), "yes"), (_("🙋 Still need help"), "no"), per_row=2))]


async def _on_suggest(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "yes":
        return _done(ctx, _("👍 Glad that helped."))
    if data == "no":
        return await _open(ctx)
    return Next.stay(Reply(_("Tap “This answers it” or “Still need help”."), kind="error"))


async def _open(ctx: Ctx, nothing_found: bool = False) -> Next:
    """Open the ticket with the question and where the person was (saying so when the help had
    nothing that answers it)."""
    ticket = await support.open_ticket(ctx.uow, ctx.account_id, Asking.of(ctx).question,
                                       Asking.of(ctx).context, ctx.env.channel)
    said = ticket.context.summary()
    hours = duration(support.answer_within(ctx.uow))
    opened = (_("I found nothing in the help that answers this, so I've opened ticket #{id}. "
                "An operator answers here, within {hours}.", id=ticket.id, hours=hours)
              if nothing_found else
              _("I've opened ticket #{id}. An operator answers here, within {hours}.",
                id=ticket.id, hours=hours))
    text = opened + ("\n" + _("With it goes where you were: {said}.", said=said) if said else "")
    return _done(ctx, text[0].upper() + text[1:], ticket.id)


def _done(ctx: Ctx, text: str, ticket_id: int | None = None) -> Next:
    """End, offering to continue the flow that support put aside."""
    buttons = [(Button(_(CONTINUE), "@resume"),)] if Asking.of(ctx).resumable else []
    if ticket_id is not None:
        buttons.append((Button(_("🎫 Ticket #{id}", id=ticket_id), go("ticket", ticket_id)),))
    buttons.append((Button(_("☰ Main menu"), "@menu"),))
    return Next.end(Reply(text, tuple(buttons)), menu=False)


support_flow = Flow(
    name="support", state_model=Asking, title=N_("support"), first="ask", on_start=_start,
    commands=("support",), summary=N_("Ask for help: answers first, then a person"),
    menu=(MenuEntry(N_("🆘 Support"), ("member",), 940),),
    intents={SupportIntent.SUPPORT: "{arg}"}, support_on_errors=False, parks=False,
    help=N_("Type your question. I suggest answers from the help; if none helps, a ticket goes to "
            "Agora's operators with where you were, and their answer comes back in this chat. "
            "What you were doing stays put aside: continue it afterwards."),
    states={"ask": Ask(prompt=_ask_prompt, on=_asked),
            "suggest": Ask(prompt=_suggest_prompt, on=_on_suggest)},
)
