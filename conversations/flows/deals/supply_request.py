"""Asking for supply: a buyer says what, how much and where (three questions), previews the
request with its defaults (DAP, quotes for 3 days, escrow, open to every seller), may change
the details — how sellers answer (quotes, a sealed-bid tender, a reverse auction) and who may
among them — and publishes it (`/requests`, in conversations.flows.deals.request_card, follows
it). The forms it asks are conversations.flows.deals.request_fields'."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conversations import form_runner
from conversations.flow import Ask, Ctx, Flow, FormState, MenuEntry, Next
from conversations.flow_state import FlowState
from conversations.flows.deals.request_fields import GROUPS, details_form, short_form
from conversations.forms import Form
from conversations.messages import (
    Choice,
    Inbound,
    Outbound,
    Reply,
    action_button,
    rows,
)
from core.actions import Action
from core.clock import local_time
from core.deals import on_terms, request_rules
from core.deals.intents import DealIntent
from core.deals.requests import auction_rules
from core.deals.requests import service as supply_requests
from core.deals.requests.notices import request_text
from core.deals.requests.view import RequestView
from core.i18n import N_, _, n_
from core.money.model import Money

# A new request's defaults have one home, the core's Draft: the form starts from them.
DEFAULT = supply_requests.Draft


class Requesting(FlowState):
    """What asking for supply keeps between its questions."""

    currency: str = "EUR"  # the request's, unless the buyer chose another
    on_terms: list[str] = []  # payment on terms the buyer's company may use
    values: dict[str, Any] = {}  # the answers so far, with the defaults of a request
    candidates: list[Any] = []  # the sellers a request may be sent to: [id, name] each
    group: str = ""  # the buyer's group of sellers it goes to ("" for none)


def _draft(ctx: Ctx) -> supply_requests.Draft:
    state = Requesting.of(ctx)
    v = state.values
    currency = str(v.get("currency") or state.currency)

    def day(key: str) -> date | None:
        return date.fromisoformat(v[key]) if v.get(key) else None

    def money(key: str) -> Money | None:
        return Money.parse(str(v[key]), currency) if v.get(key) else None

    return supply_requests.Draft(
        product_type=v["product_type"], quantity=Decimal(str(v["quantity"])), unit=v["unit"],
        place=v["place"], currency=currency, incoterm=v.get("incoterm") or DEFAULT.incoterm,
        delivery_from=day("delivery_from"), delivery_to=day("delivery_to"),
        max_price=money("max_price"),
        deadline_days=str(v.get("deadline_days") or DEFAULT.deadline_days),
        payment_method=v.get("payment_method") or DEFAULT.payment_method,
        mode=v.get("mode") or DEFAULT.mode,
        min_step=money("min_step"), reserve=money("reserve"),
        extend_minutes=int(v["extend_minutes"]) if v.get("extend_minutes") else None,
        deposit_pct=int(v["deposit_pct"]) if str(v.get("deposit_pct") or "0") != "0" else None,
        private=v.get("audience") == "private",
        invite=tuple(int(i) for i in v.get("invite") or () if str(i).isdigit()),
        max_price_mwh=money("max_price_mwh"),
        quality=tuple((key, str(v[f"q_{key}"])) for key in request_rules.LIMITS
                      if v.get(f"q_{key}") not in (None, "")),
        certifications=tuple(v.get("certifications") or ()))


async def _start(ctx: Ctx) -> Next | None:
    assert ctx.account is not None
    state = Requesting.of(ctx)
    state.currency = "EUR"
    state.on_terms = list(await on_terms.methods_for(ctx.uow, ctx.account.id))
    state.values = {"incoterm": DEFAULT.incoterm, "deadline_days": DEFAULT.deadline_days,
                          "payment_method": DEFAULT.payment_method, "mode": DEFAULT.mode,
                          "extend_minutes": str(auction_rules.EXTEND_MINUTES),
                          "audience": "open", "deposit_pct": "0"}
    return None


async def _answered(ctx: Ctx, values: dict[str, Any]) -> Next:
    state = Requesting.of(ctx)
    state.values = {**state.values,
                    **{k: v for k, v in values.items() if v is not None
                       or k in ("max_price", "delivery_from", "delivery_to", "reserve",
                                "max_price_mwh", "q_moisture", "q_ash", "q_ncv")}}
    if "place" in values:  # what and where are known: the sellers a buyer may pick from
        assert ctx.account is not None
        state.candidates = [list(c) for c in await supply_requests.candidates(
            ctx.uow, ctx.account.id, _draft(ctx))]
    return Next(state="review")


async def _review(ctx: Ctx) -> list[Outbound]:
    draft = _draft(ctx)
    preview = supply_requests.preview(draft)
    days = _(request_rules.DEADLINES.get(draft.deadline_days,
                                         request_rules.DEADLINES[DEFAULT.deadline_days]))
    return [Reply(request_text(preview, days, published=False, buyer=True), rows(
        (_("📣 Publish"), "publish"), (_("✏ Change details"), "details"), per_row=2))]


async def _on_review(ctx: Ctx, msg: Inbound) -> Next:
    choice = msg.data if isinstance(msg, Choice) else ""
    if choice == "details" and not ctx.forms_at_once:
        return Next(state="pick")
    if choice == "details" or choice.startswith("g:"):
        Requesting.of(ctx).group = choice.removeprefix("g:") if choice.startswith("g:") else ""
        form_runner.seed(ctx, "details", Requesting.of(ctx).values)
        return Next(state="details")
    if choice != "publish":
        return Next.stay(Reply(_("Tap Publish or Change details."), kind="error"))
    assert ctx.account is not None
    request = await supply_requests.post(ctx.uow, ctx.account.id, _draft(ctx))
    assert request.id is not None and request.deadline is not None  # published: saved
    asked = len(await supply_requests.invited(ctx.uow, request.id))
    deadline = local_time(request.deadline, ctx.account.timezone)
    text = _published_words(request, asked, deadline)
    return Next.end(Reply(text, ((action_button(Action(
        DealIntent.VIEW_REQUEST, N_("📋 Open the request"), str(request.id))),),)), menu=False)


def _published_words(request: RequestView, asked: int, deadline: str) -> str:
    if request.mode in auction_rules.BIDDING:
        return n_("📣 Request #{id} is published: {count} seller was asked to bid until "
                  "{deadline}. The result comes here at the close.",
                  "📣 Request #{id} is published: {count} sellers were asked to bid until "
                  "{deadline}. The result comes here at the close.", asked,
                  id=request.id, count=asked, deadline=deadline) if asked else \
            _("📣 Request #{id} is published, but no seller of this product is on Agora yet: "
              "it takes bids until {deadline}.", id=request.id, deadline=deadline)
    return n_("📣 Request #{id} is published: {count} seller was asked to quote until "
              "{deadline}. Their quote comes here; compare quotes under /requests.",
              "📣 Request #{id} is published: {count} sellers were asked to quote until "
              "{deadline}. Their quotes come here; compare them under /requests.", asked,
              id=request.id, count=asked, deadline=deadline) if asked else \
        _("📣 Request #{id} is published, but no seller of this product is on Agora yet: it "
          "takes quotes until {deadline}.", id=request.id, deadline=deadline)


async def _pick(ctx: Ctx) -> list[Outbound]:
    """The groups of details to change, each a short form of its own."""
    shown = [(key, label) for key, (label, __) in GROUPS.items()
             if key != "who" or Requesting.of(ctx).candidates]
    return [Reply(_("What do you want to change?"),
                  rows(*((_(label), f"g:{key}") for key, label in shown), per_row=2))]


async def _on_pick(ctx: Ctx, msg: Inbound) -> Next:
    choice = msg.data if isinstance(msg, Choice) else ""
    if choice.removeprefix("g:") not in GROUPS:
        return Next.stay(Reply(_("Tap what you want to change."), kind="error"))
    return await _on_review(ctx, msg)


def _short(ctx: Ctx) -> Form:
    known = ctx.data.get("_forms", {}).get("short", {}).get("values", {})
    return short_form(known.get("product_type"))


def _details(ctx: Ctx) -> Form:
    state = Requesting.of(ctx)
    return details_form(ctx.local_now().date(), state.currency, tuple(state.on_terms),
                        [(int(i), str(name)) for i, name in state.candidates], state.group)


request_flow = Flow(
    name="request", title=N_("a request for supply"), first="short", on_start=_start,
    state_model=Requesting,
    commands=("request",), summary=N_("Ask sellers for supply: they quote, you choose"),
    menu=(MenuEntry(N_("📣 Ask for supply"), ("buyer",), 22),),
    help=N_("Ask for supply: the product, quantity and where it goes; then a preview where you "
            "can change the delivery, the most you pay, how long it is open, the payment, how "
            "sellers answer (quotes, a sealed-bid tender or a reverse auction) and who may "
            "(every seller of the product, or sellers you choose). Sellers are asked once; "
            "compare quotes under /requests and award one or several; a tender or auction is "
            "awarded at its close."),
    states={"short": FormState(form=_short, done=_answered),
            "review": Ask(prompt=_review, on=_on_review),
            "pick": Ask(prompt=_pick, on=_on_pick, cancel_to="review"),
            "details": FormState(form=_details, done=_answered, cancel_to="review")},
)
