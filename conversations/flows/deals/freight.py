"""Freight in chat: a deal's party asks for transport from the deal card; a transport's card
with each reader's next steps (the asker's quotes to accept, the haulier's updates, the
receiver's confirmation); a haulier's quote; and each step (accept, withdraw, cancel, confirm,
loaded, on the way, delivered with the CMR photo). A haulier's profile is
conversations.flows.deals.haulier's. Every rule is core's (core.deals.freight)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conversations import form_runner
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, Next
from conversations.flows.deals import freight_forms as forms
from conversations.flows.uploads import stored_file
from conversations.messages import (
    Button,
    FileReply,
    FileUpload,
    Inbound,
    Outbound,
    Reply,
    go,
    rows,
)
from core.deals.freight import journey, rules
from core.deals.freight import service as freight
from core.deals.freight import view as freight_view
from core.deals.freight.cards import quote_line, transport_text
from core.deals.freight.rules import FreightState, QuoteTerms
from core.deals.intents import DealIntent
from core.i18n import N_, _
from core.ids import parse_id
from core.money.model import Money

STEP_LABELS = {"loaded": N_("📦 Loaded"), "on_the_way": N_("🛣 On the way"),
               "delivered": N_("📄 Delivered (with the CMR photo)")}
VERBS = ("accept", "withdraw", "cancel", "confirm", "loaded", "on_the_way", "delivered", "cmr")


class FreightStep(FlowState):
    """What a freight step keeps between its questions."""

    number: int = 0  # the deal, the transport or the quote, as the flow names it
    verb: str = ""


def done_row() -> tuple[tuple[Button, ...], ...]:
    return rows((_("✔ Done"), "done"))


# A party asks for transport.

async def _ask_start(ctx: Ctx) -> Next | None:
    assert ctx.account is not None
    state = FreightStep.of(ctx)
    deal_id = parse_id(state.args)
    if deal_id is None:
        return Next.end(Reply(_("Ask for transport from the deal's card (/deals)."),
                              kind="error"))
    state.number = deal_id
    start = await freight.start(ctx.uow, deal_id, ctx.account.id)
    known: dict[str, Any] = {"unit": start.unit}
    if start.quantity is not None:
        known["quantity"] = f"{start.quantity.normalize():f}"
    form_runner.seed(ctx, "form", known)  # the state that asks it
    return None


async def _asked(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    place = values["to"] or {}
    load_from, load_to = forms.day(values["load_from"]), forms.day(values["load_to"])
    assert load_from is not None and load_to is not None
    facts = await freight_view.ask(ctx.uow, FreightStep.of(ctx).number, ctx.account.id,
                                   str(place.get("city") or ""), str(place.get("country") or ""),
                                   Decimal(str(values["quantity"])), values["unit"], load_from,
                                   load_to, values["loading"])
    return Next.end(Reply(transport_text(facts) + "\n" + _(
        "Hauliers who serve this route are told; their quotes come here to accept."),
        rows((_("🚚 Transport"), go("freight", facts.id)))), menu=False)


freight_ask_flow = Flow(
    name="freight_ask", title=N_("a request for transport"), first="form",
    on_start=_ask_start, state_model=FreightStep, intents={DealIntent.ASK_FREIGHT: "{arg}"},
    help=N_("Ask hauliers to quote the transport of your deal's goods: from the listing's place "
            "to yours, the quantity, the loading window and type."),
    states={"form": FormState(form=forms.ask_form, done=_asked)},
)


# A transport's card.

async def transport_card(ctx: Ctx, request_id: int) -> Reply:
    """The transport with this reader's next steps."""
    assert ctx.account is not None
    me = ctx.account.id
    facts = await freight_view.transport(ctx.uow, request_id, me)
    text, buttons = transport_text(facts), []
    if facts.role in ("buyer", "seller"):
        if facts.asked_by == me and facts.state == FreightState.OPEN:
            for quote in await freight_view.quotes(ctx.uow, request_id, me):
                text += "\n• " + quote_line(quote)
                buttons.append((_("✅ Accept {haulier}", haulier=quote.haulier),
                                go("freight_step", "accept", quote.id)))
        for step in freight_view.party_steps(facts, me):
            buttons.append((_("✅ Confirm delivery") if step == "confirm"
                            else _("✖ Cancel the transport"), go("freight_step", step, request_id)))
    elif facts.role == "haulier":
        for update in rules.allowed_updates(facts.state):
            buttons.append((_(STEP_LABELS[update]), go("freight_step", update, request_id)))
    elif facts.state == FreightState.OPEN:
        mine = await freight_view.my_quote(ctx.uow, request_id, me)
        if mine is not None:
            text += "\n" + _("Your quote: {quote}", quote=quote_line(mine))
            buttons.append((_("↩ Withdraw my quote"), go("freight_step", "withdraw", mine.id)))
        buttons.append((_("💶 Quote"), go("freight_quote", request_id)))
    if facts.has_cmr:
        buttons.append((_("📄 CMR"), go("freight_step", "cmr", request_id)))
    if facts.role in ("buyer", "seller"):
        buttons.append((_("🤝 Deal #{id}", id=facts.deal_id), go("deal", facts.deal_id)))
    return Reply(text, rows(*buttons, (_("✔ Done"), "done")))


async def _card_prompt(ctx: Ctx) -> list[Outbound]:
    request_id = parse_id(FreightStep.of(ctx).args)
    if request_id is None:
        return [Reply(_("Open a transport from its notice or its deal's card."), done_row())]
    return [await transport_card(ctx, request_id)]


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    return Next.end(menu=False)


freight_flow = Flow(
    name="freight", title=N_("a transport"), first="card", state_model=FreightStep,
    intents={DealIntent.VIEW_FREIGHT: "{arg}"},
    help=N_("A deal's transport: the route, the load, the quotes, the haulier's updates."),
    states={"card": Ask(prompt=_card_prompt, on=_on_card)},
)


# A haulier's quote.

async def _quote_start(ctx: Ctx) -> Next | None:
    assert ctx.account is not None
    state = FreightStep.of(ctx)
    request_id = parse_id(state.args)
    if request_id is None:
        return Next.end(Reply(_("Quote from the transport's card."), kind="error"))
    state.number = request_id
    await freight_view.transport(ctx.uow, request_id, ctx.account.id)  # told of it, or NotFound
    return None


async def _quoted(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    request_id = FreightStep.of(ctx).number
    facts = await freight_view.transport(ctx.uow, request_id, ctx.account.id)
    pickup = forms.day(values["pickup"])
    assert pickup is not None
    mine = await freight_view.quote(ctx.uow, request_id, ctx.account.id, QuoteTerms(
        Money.parse(str(values["price"]), facts.currency), pickup, int(values["transit"])))
    return Next.end(Reply(_("💶 Quote sent for transport #{id}: {quote}", id=facts.id,
                            quote=quote_line(mine)), done_row()), menu=False)


freight_quote_flow = Flow(
    name="freight_quote", title=N_("a quote for a transport"), first="form",
    on_start=_quote_start, state_model=FreightStep, intents={DealIntent.QUOTE_FREIGHT: "{arg}"},
    help=N_("Quote a transport you were told of: the price for the whole load, the pickup day "
            "within the loading window, and the days in transit."),
    states={"form": FormState(form=forms.quote_form, done=_quoted)},
)


# The steps.

async def _step_start(ctx: Ctx) -> Next | None:
    assert ctx.account is not None
    state = FreightStep.of(ctx)
    verb, __, number = state.args.partition(":")
    found = parse_id(number)
    if verb not in VERBS or found is None:
        return Next.end(Reply(_("Take a transport's steps from its card."), kind="error"))
    state.verb, state.number = verb, found
    me = ctx.account.id
    if verb == "cmr":
        return Next.end(await _cmr_file(ctx, found), menu=False)
    if verb == "on_the_way":
        return Next(state="way", remember=False)
    if verb == "delivered":
        return Next(state="cmr", remember=False)
    if verb == "accept":
        booked = await freight_view.accept(ctx.uow, found, me)
        said = _("✅ Booked. Pay the freight to hold it in escrow; the haulier loads once it is "
                 "paid.")
        return Next.end(Reply(said, rows((_("🚚 Transport"), go("freight", booked.id)))),
                        menu=False)
    if verb == "withdraw":
        await freight.withdraw(ctx.uow, found, me)
        return Next.end(Reply(_("↩ Your quote is withdrawn.")), menu=False)
    if verb == "cancel":
        await journey.cancel(ctx.uow, found, me)
        return Next.end(Reply(_("✖ Transport cancelled; a freight paid is refunded.")),
                        menu=False)
    if verb == "confirm":
        await journey.confirm(ctx.uow, found, me)
        return Next.end(Reply(_("✅ Delivery confirmed: the freight is released to the "
                                "haulier.")), menu=False)
    await journey.post(ctx.uow, found, me, "loaded")
    return Next.end(Reply(_("📦 Loaded: both parties are told."),
                          rows((_("🚚 Transport"), go("freight", found)))), menu=False)


async def _cmr_file(ctx: Ctx, request_id: int) -> Outbound:
    """The signed CMR the haulier sent with "delivered", as a file."""
    kept = await freight_view.cmr(ctx.uow, request_id, ctx.account_id)
    if kept is None or ctx.services.files is None:
        return Reply(_("That CMR is no longer there."), kind="error")
    return FileReply(kept.file_name, ctx.services.files.read(kept.path), kept.mime_type,
                     _("📄 CMR of transport #{id}", id=request_id))


async def _way_sent(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    request_id = FreightStep.of(ctx).number
    await journey.post(ctx.uow, request_id, ctx.account.id, "on_the_way",
                       position=values.get("position") or "", eta=forms.day(values.get("eta")))
    return Next.end(Reply(_("🛣 Update sent to both parties."),
                          rows((_("🚚 Transport"), go("freight", request_id)))), menu=False)


async def _cmr_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Send the photo of the signed CMR (a photo or a PDF)."),
                  rows((_("Not now"), "done")))]


async def _on_cmr(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if not isinstance(msg, FileUpload):
        return Next.end(Reply(_("Nothing changed.")), menu=False)
    kept = await stored_file(ctx, msg)
    await journey.post(ctx.uow, FreightStep.of(ctx).number, ctx.account.id, "delivered",
                       cmr_path=kept.path, cmr_mime=kept.mime_type)
    return Next.end(Reply(_("📄 Delivered: both parties have the CMR; the freight is paid to "
                            "you once the receiver confirms.")), menu=False)


freight_step_flow = Flow(
    name="freight_step", title=N_("a transport step"), first="cmr", on_start=_step_start,
    state_model=FreightStep, intents={DealIntent.FREIGHT_STEP: "{arg}"},
    help=N_("A step of a transport: accept a quote, withdraw yours, cancel before loading, "
            "post loaded, on the way or delivered with the CMR photo, confirm the delivery."),
    states={"way": FormState(form=forms.way_form, done=_way_sent),
            "cmr": Ask(prompt=_cmr_prompt, on=_on_cmr)},
)
