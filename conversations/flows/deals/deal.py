"""A deal in chat: its card (what, how much, where it stands in lifecycle, payment and
shipment) with the steps this person may take now, and `/deals`, every deal and open offer
with the one next step each needs."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next
from conversations.flows.deals.carbon import carbon_of, statement_button
from conversations.flows.opening import on_id
from conversations.messages import (
    Button,
    Choice,
    Inbound,
    ListItem,
    ListPage,
    Outbound,
    Reply,
    action_button,
    go,
    rows,
)
from core.companies.seats import seat_of
from core.deals import company_deals, contract_card, dashboard
from core.deals import views as deal_views
from core.deals.approvals import service as approvals
from core.deals.carbon.words import member_lines
from core.deals.deal_card import deal_card as read_card
from core.deals.intents import DealIntent
from core.errors import NotFound
from core.i18n import N_, _
from core.ids import parse_id


class DealCard(FlowState):
    """What a deal's card (alone, or from /deals) keeps: the deal, and whether it was opened
    from the list."""

    deal_id: int
    from_list: bool = False


async def deal_card(ctx: Ctx, deal_id: int) -> Reply:
    """The card with this person's next steps and its other doors, as core builds it for every
    drawing of it (core.deals.deal_card); the flow only ends it with Done."""
    view = await deal_views.deal_view(ctx.uow, deal_id, ctx.account_id)
    assert ctx.services.payments is not None and ctx.account is not None  # the view was given
    card = await read_card(ctx.uow, ctx.services.payments, view, ctx.account.id, ctx.account,
                           ctx.services.deal_card_parts)
    return Reply("\n".join(card.lines),
                 (*((action_button(step),) for step in card.steps),
                  *rows(*((b.label, b.data) for b in map(action_button, card.more)),
                        (_("✔ Done"), "done"), per_row=2)))


async def _card_prompt(ctx: Ctx) -> list[Outbound]:
    try:
        return [await deal_card(ctx, DealCard.of(ctx).deal_id)]
    except NotFound as exc:
        return [Reply(str(exc), rows((_("✔ Done"), "done")))]


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    if DealCard.of(ctx).from_list:
        return Next(state="list", remember=False)
    return Next.end(menu=False)


deal_flow = Flow(
    name="deal", title=N_("a deal"), first="card",
    state_model=DealCard,
    on_start=on_id("deal_id", N_("Which deal? Open one from /deals.")),
    intents={DealIntent.VIEW_DEAL: "{arg}"},
    help=N_("A deal's card: where it stands and what you can do next."),
    states={"card": Ask(prompt=_card_prompt, on=_on_card)},
)


async def deals_text(ctx: Ctx) -> str:
    """Every deal with its next step, and open offers (also the Slack App Home's section);
    nothing for someone who neither buys nor sells."""
    assert ctx.account is not None
    if not {"buyer", "seller"} & ctx.roles:
        return ""
    mine = await dashboard.my_deals(ctx.uow, ctx.account.id)
    waiting = await dashboard.open_offers(ctx.uow, ctx.account.id)
    lines = [_("🤝 Your deals"), *(_("#{id} {title} — {total} · {status} · next: {next_step}", id=d.id,
                                     title=d.title, total=d.total, status=d.status_label,
                                     next_step=d.next_step) for d in mine)]
    if not mine:
        lines.append(_("No deals yet: open a listing and make an offer."))
    lines += [_("📑 Contract #{id} {title} — {called} of {call_offs} call-offs called · {status}",
                id=c.id, title=title, called=c.called, call_offs=c.call_offs,
                status=_(contract_card.CONTRACT_STATES.get(c.status, c.status)))
              for c, title in await contract_card.my_contracts(ctx.uow, ctx.account.id)]
    for o in waiting:
        lines.append(_("💶 Offer #{id} {title}: {text} — waiting for the other side", id=o.id,
                       title=o.title, text=o.text) if o.yours else
                     _("💶 Offer #{id} {title}: {text} — waiting for your answer", id=o.id,
                       title=o.title, text=o.text))
    return "\n".join(lines + await _company_lines(ctx))


async def _company_lines(ctx: Ctx) -> list[str]:
    """The company view: colleagues' deals this person may see, and what waits for approval."""
    assert ctx.account is not None
    seat = await seat_of(ctx.uow, ctx.account.id)
    if seat is None:
        return []
    theirs = await company_deals.company_deals(ctx.uow, ctx.account.id) \
        if company_deals.may_see_company(seat) else []
    waiting = await approvals.waiting(ctx.uow, ctx.account.id)
    lines = [_("🏢 {company}", company=seat.company.name)] if theirs or waiting else []
    lines += [_("#{id} {title} — {total} · {status} · bought by {buyer}", id=d.id, title=d.title,
                total=d.total, status=d.status_label, buyer=d.buyer) for d in theirs[:10]]
    if waiting:
        lines.append(_("⏳ Waiting for approval: {count}", count=len(waiting)))
    return lines


async def _list(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    mine = await dashboard.my_deals(ctx.uow, ctx.account.id)
    waiting = await dashboard.open_offers(ctx.uow, ctx.account.id)
    items = [ListItem(f"#{d.id} {d.title} · {d.total}",
                      _("{status} · next: {next_step} · with {counterpart}", status=d.status_label,
                        next_step=d.next_step, counterpart=d.counterpart),
                      Button(_("Open"), f"d:{d.id}")) for d in mine]
    items += [ListItem(_("💶 Offer #{id} {title}", id=o.id, title=o.title),
                       _("{text} · waiting for them", text=o.text) if o.yours
                       else _("{text} · waiting for you", text=o.text), Button(_("Open"), f"o:{o.id}"))
              for o in waiting]
    items += [ListItem(_("📑 Contract #{id} {title}", id=c.id, title=title),
                       _("{called} of {call_offs} call-offs called · {status}", called=c.called,
                         call_offs=c.call_offs,
                         status=_(contract_card.CONTRACT_STATES.get(c.status, c.status))),
                       Button(_("Open"), f"k:{c.id}"))
              for c, title in await contract_card.my_contracts(ctx.uow, ctx.account.id)]
    carbon = await carbon_of(ctx)
    statement = statement_button(carbon)  # the yearly carbon statement, once a deal completed
    more = [*([statement] if statement else []), *await _company_buttons(ctx)]
    if not items:
        return [Reply(_("No deals or open offers yet. Find a listing with /search and make an "
                        "offer."), rows((_("🔎 Search"), go("search")), *more,
                                        (_("✔ Done"), "done")))]
    return [ListPage(_("🤝 Your deals and offers"), tuple(items), 1, 1),
            Reply("\n".join([*member_lines(carbon), _("Open one, or Done.")]),
                  rows(*more, (_("✔ Done"), "done")))]


async def _company_buttons(ctx: Ctx) -> list[tuple[str, str]]:
    """The company view's doors, for a colleague who may see the company's deals."""
    assert ctx.account is not None
    seat = await seat_of(ctx.uow, ctx.account.id)
    found = []
    if company_deals.may_see_company(seat):
        found.append((_("🏢 Company deals"), go("company", "deals")))
    if await approvals.waiting(ctx.uow, ctx.account.id):
        found.append((_("⏳ Approvals"), go("purchase")))
    return found


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    number = parse_id(data[2:])
    if data.startswith("d:") and number is not None:
        state = DealCard.of(ctx)
        state.deal_id, state.from_list = number, True
        return Next(state="card")
    if data.startswith("k:") and number is not None:
        return Next(state="", start="contract", start_data={"args": str(number)})
    if data.startswith("o:") and number is not None:
        return Next(state="", start="offer_answer", start_data={"args": f"view:{number}"})
    return Next.end(menu=False)


deals_flow = Flow(
    name="deals", title=N_("your deals"), first="list", commands=("deals",),
    state_model=DealCard,
    summary=N_("Your deals and offers, with what each needs from you"),
    menu=(MenuEntry(N_("🤝 My deals"), ("seller", "buyer"), 25),),
    intents={DealIntent.MY_DEALS: ""},
    help=N_("Every deal and open offer, with the one next step each needs from you; the CO₂e "
            "your completed deals avoided, and your yearly carbon statement."),
    states={"list": Ask(prompt=_list, on=_on_list), "card": Ask(prompt=_card_prompt, on=_on_card)},
)
