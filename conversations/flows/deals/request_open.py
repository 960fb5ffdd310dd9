"""A request for supply opened from its public page (`see_request-<id>`): its buyer lands on the
request's card; a seller who may answer gets Bid (a tender or auction) or Quote and Ask the buyer;
anyone else hears what it takes to answer it."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, Next
from conversations.messages import Inbound, Outbound, Reply, action_button, go, rows
from core.actions import Action
from core.catalog.taxonomy import product
from core.clock import local_time
from core.deals.intents import DealIntent
from core.deals.requests import auction_rules
from core.deals.requests import service as supply_requests
from core.deals.requests.notices import request_text
from core.errors import NotFound
from core.i18n import N_, _
from core.ids import parse_id
from core.public import requests as public


class Seeing(FlowState):
    """What a seller's view of a request for supply keeps: the request."""

    request_id: int


async def _start(ctx: Ctx) -> Next | None:
    assert ctx.account is not None
    number = parse_id(Seeing.of(ctx).args)
    if number is None:
        return Next.end(Reply(_("Open a request for supply from its card."), kind="error"))
    try:
        request = await supply_requests.view(ctx.uow, number, ctx.account.id)
    except NotFound:
        shown = await public.public_request(ctx.uow, number)  # NotFound: not public either
        return Next.end(Reply(_("Sellers of {product} answer this request: publish a listing "
                                "of it, then open the request again.",
                                product=_(product(shown.product_type).label)),
                              rows((_("📦 Sell"), go("listing")))), menu=False)
    if request.buyer_id == ctx.account.id:
        return Next(state=None, start="requests", start_data={"args": str(number)})
    if request.mode in auction_rules.BIDDING:
        return Next(state=None, start="bid", start_data={"args": str(number)})
    Seeing.of(ctx).request_id = number
    return None


async def _card(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    request = await supply_requests.view(ctx.uow, Seeing.of(ctx).request_id, ctx.account.id)
    assert request.deadline is not None  # a saved request: only a preview has no deadline
    text = request_text(request, local_time(request.deadline, ctx.account.timezone))
    return [Reply(text, ((action_button(Action(DealIntent.QUOTE_REQUEST, N_("💶 Quote"),
                                                str(request.id))),
                          action_button(Action(DealIntent.ASK_REQUEST, N_("❓ Ask the buyer"),
                                               str(request.id)))),))]


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    return Next.end(menu=False)


see_request_flow = Flow(
    name="see_request", state_model=Seeing, title=N_("a request for supply"), first="card", on_start=_start,
    help=N_("A buyer's request for supply, opened from its page: quote or bid on it, or ask the "
            "buyer a question."),
    states={"card": Ask(prompt=_card, on=_on_card)},
)
