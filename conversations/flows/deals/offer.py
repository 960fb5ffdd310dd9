"""Making an offer: from a listing card (an offer, or Buy now at a fixed price), a counter-offer
(the same form, filled in), or a seller's quote to a buyer who asked. Quantity and price are
asked with one-tap defaults; the rest is offered on the preview."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conversations import confirmations, form_runner
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, Next
from conversations.flows.deals import offer_fields as of
from conversations.forms import Form
from conversations.messages import (
    Choice,
    Inbound,
    Outbound,
    Reply,
    rows,
)
from core.catalog.listing_card import ListingCard, viewable_card
from core.catalog.taxonomy import UNITS
from core.deals import call_offs, cards, contract_card, on_terms
from core.deals.approvals import service as approvals
from core.deals.approvals.service import Placed
from core.deals.intents import DealIntent
from core.deals.offers import service as offers
from core.deals.offers.facts import payment_words
from core.deals.requests import quotes as request_quotes
from core.deals.rules import contract_total, line_total
from core.deals.threads import service as threads
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id
from core.money.model import Money


class Offering(FlowState):
    """What making an offer (or a quote, a counter-offer, a renewal) keeps between questions."""

    mode: str  # a value of MODES
    ref: int  # what it answers: the listing, offer, thread, request or contract of `mode`
    listing_id: int
    fixed: bool  # at the listed price (Buy now): only the quantity is asked
    facts: dict[str, Any]  # what the forms need of the listing (offer_fields.facts)
    values: dict[str, Any]  # the answers so far, shown on the preview
    on_terms: list[str] = []  # payment on terms the buyer's company may use
    accepted: list[str] = []  # the offers' ways to pay the seller takes (core.deals.accepted)
    as_seller: bool = False  # a renewal proposed by the seller: sent as a quote to `partner`
    partner: int  # the buyer of the contract renewed


MODES = {"l": "offer", "b": "buy", "c": "counter", "q": "quote", "r": "renew", "s": "supply"}


async def _start(ctx: Ctx) -> Next | None:
    """Which offer this is (`l`isting, `b`uy now, `c`ounter, `q`uote + id) and its defaults."""
    assert ctx.account is not None
    state = Offering.of(ctx)
    arg = state.args
    mode, number = MODES.get(arg[:1]), parse_id(arg[1:])
    if mode is None or number is None:
        return Next.end(Reply(_("Open an offer from a listing or an offer card."), kind="error"))
    try:
        listing_id, start = await _basis(ctx, mode, number)
        listing = await viewable_card(ctx.uow, listing_id, ctx.account.id)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"))
    if mode in ("offer", "buy") and listing.seller_id == ctx.account.id:
        return Next.end(Reply(_("That is your own listing."), kind="error"))
    fixed = mode == "buy" or (mode == "offer" and not listing.negotiable)
    state.mode = "buy" if fixed and mode == "offer" else mode
    state.ref, state.listing_id, state.fixed = number, listing.id, fixed
    state.facts = of.facts(listing)
    values = start or of.defaults(listing, ctx.local_now().date(),
                                  await offers.usual_terms(ctx.uow, ctx.account.id))
    state.accepted = list(await offers.seller_takes(ctx.uow, listing.seller_id))
    values = of.usual_payment(values, state.on_terms, state.accepted)
    state.values = values
    first = "all" if ctx.forms_at_once else "short"
    form_runner.seed(ctx, first, values)
    return Next(state=first, remember=False)


async def _basis(ctx: Ctx, mode: str, number: int) -> tuple[int, dict[str, Any] | None]:
    """The listing the offer is on, and a counter-offer's starting values."""
    assert ctx.account is not None  # `_start` opens an offer only for a registered person
    if mode == "counter":
        offer, __ = await offers.summary(ctx.uow, number, ctx.account_id)
        await _terms_for(ctx, offer.buyer_id)
        return offer.listing_id, of.from_terms(offer.terms)
    if mode == "quote":
        thread = await threads.get(ctx.uow, number, ctx.account_id)
        await _terms_for(ctx, thread.buyer_id)
        return thread.listing_id, None
    if mode == "supply":  # a quote on a request for supply, from the seller's listing
        quote = await request_quotes.quote_start(ctx.uow, number, ctx.account.id)
        await _terms_for(ctx, quote.buyer_id)
        return quote.listing_id, quote.values
    if mode == "renew":  # the same terms and schedule again, to the same partner
        contract, role, terms = await contract_card.renewal(ctx.uow, number, ctx.account.id)
        state = Offering.of(ctx)
        state.as_seller, state.partner = role == "seller", contract.buyer_id
        return contract.listing_id, of.from_terms(terms)
    await _terms_for(ctx, ctx.account_id)
    return number, None


async def _terms_for(ctx: Ctx, buyer_id: int | None) -> None:
    """Payment on terms is offered where the buyer's company may use it (core.deals.on_terms)."""
    Offering.of(ctx).on_terms = list(await on_terms.methods_for(ctx.uow, buyer_id)) if buyer_id else []


async def _listing(ctx: Ctx) -> ListingCard:
    return await viewable_card(ctx.uow, Offering.of(ctx).listing_id, ctx.account_id)


def _short(ctx: Ctx) -> Form:
    state = Offering.of(ctx)
    return of.short_form(state.facts, state.fixed)


async def _answered(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Keep the answers and show the preview."""
    state = Offering.of(ctx)
    state.values = {**state.values, **{k: v for k, v in values.items()
                                       if v is not None or k == "place"}}
    return Next(state="review")


def _accepted(ctx: Ctx) -> tuple[str, ...]:
    payments = ctx.services.payments
    return tuple(payments.methods) if payments is not None else ()


async def _review(ctx: Ctx) -> list[Outbound]:
    state = Offering.of(ctx)
    text = review_text(await _listing(ctx), state.values, state.mode, state.fixed,
                       _accepted(ctx))
    send = _("🛒 Buy now") if state.mode == "buy" else _("📨 Send")
    contract = () if state.mode == "supply" else (  # a quote is one delivery
        (_("📦 Deliver in call-offs"), "call-offs"),)
    index = ((_("📈 Index the price"), "index"),) if int(state.values.get("call_offs") or 1) > 1 \
        and of.indices_for(state.facts) else ()  # a contract on goods an index prices
    return [Reply(text, rows((send, "send"), (_("✏ Change details"), "details"),
                             *contract, *index, per_row=2))]


def review_text(listing: ListingCard, v: dict[str, Any], mode: str, fixed: bool,
                accepted: tuple[str, ...]) -> str:
    """The offer as it will be sent: quantity times price and the total, delivery, payment, how long it
    stays open (the chat's preview, and the Mini App's)."""
    price = listing.price if fixed else Money.parse(str(v["price"]), listing.price.currency)
    milli = int(Decimal(str(v["quantity"])) * 1000)
    total = line_total(price, milli)  # what the deal will charge, by core's one rule
    unit = UNITS.get(listing.unit, listing.unit)
    heading = {"buy": N_("Buy on “{title}”:"), "quote": N_("Quote on “{title}”:"),
               "supply": N_("Quote on “{title}”:"),
               "counter": N_("Counter-offer on “{title}”:"),
               "renew": N_("Renewal on “{title}”:")}.get(mode, N_("Offer on “{title}”:"))
    lines = [_(heading, title=listing.title),
             _("{quantity} × {price} per {unit} = {total}", quantity=cards.quantity(milli, listing.unit),
               price=price, unit=unit, total=total),
             _("Delivery: {delivery}", delivery=cards.delivery_text(
                 v.get("incoterm"), v.get("place"), v.get("delivery_from"), v.get("delivery_to"))),
             _("Payment: {payment}",
               payment=payment_words(v.get("payment_method") or "escrow", accepted)),
             _("Open for: {expiry}",
               expiry=_(dict(of.EXPIRY).get(str(v.get("expires") or "48"), "48 hours")))]
    count = int(v.get("call_offs") or 1)
    if count > 1:  # a framework contract: the quantity and total above are each call-off's
        lines.insert(2, _("📑 In {schedule}: {quantity}, {total} in all",
                          schedule=call_offs.words(count, v.get("call_off_every") or "month"),
                          quantity=cards.quantity(milli * count, listing.unit),
                          total=contract_total(price, milli, count)))
        if indexed := of.index_of(v, price.currency):
            lines.insert(3, call_offs.index_rule(*indexed))
    return "\n".join(lines)


async def _on_review(ctx: Ctx, msg: Inbound) -> Next:
    """Send it, or change the details."""
    choice = msg.data if isinstance(msg, Choice) else ""
    if choice == "call-offs":
        values = Offering.of(ctx).values
        values.setdefault("call_offs", 1)
        values.setdefault("call_off_every", "month")
        form_runner.seed(ctx, "call_offs", values)
        return Next(state="call_offs")
    if choice == "index":
        values = Offering.of(ctx).values
        values.setdefault("price_index", of.FIXED)
        form_runner.seed(ctx, "index", values)
        return Next(state="index")
    if choice == "details":
        form_runner.seed(ctx, "details", Offering.of(ctx).values)
        return Next(state="details")
    if choice != "send":
        return Next.stay(Reply(_("Tap Send, Change details or Deliver in call-offs."), kind="error"))
    return await _send(ctx)


async def _send(ctx: Ctx) -> Next:
    assert ctx.account is not None
    listing = await _listing(ctx)
    state = Offering.of(ctx)
    values = dict(state.values)
    if state.fixed:
        values["price"] = str(listing.price.decimal)
    terms = of.to_terms(values, listing.price.currency)
    mode, ref, me = state.mode, state.ref, ctx.account.id
    if mode == "buy":  # a company buyer's purchase above her limit waits for approval
        placed = await approvals.buy(ctx.uow, listing.id, me, terms)
        return Next.end(confirmations.placed(placed, buying=True).reply(), menu=False)
    if mode == "counter":
        placed = await approvals.counter(ctx.uow, ref, me, terms)
    elif mode == "quote":
        thread = await threads.get(ctx.uow, ref, me)
        placed = Placed(offer_id=(await offers.send_quote(ctx.uow, listing.id, me,
                                                          thread.buyer_id, terms)).id)
    elif mode == "supply":
        placed = Placed(offer_id=await request_quotes.place_quote(ctx.uow, ref, me, listing.id,
                                                                   terms))
    elif mode == "renew" and state.as_seller:
        placed = Placed(offer_id=(await offers.send_quote(ctx.uow, listing.id, me,
                                                          state.partner, terms)).id)
    else:
        placed = await approvals.offer(ctx.uow, listing.id, me, terms)
    return Next.end(confirmations.placed(placed, buying=False).reply(), menu=False)


def _details(ctx: Ctx) -> Form:
    state = Offering.of(ctx)
    return of.details_form(ctx.local_now().date(), state.on_terms, state.accepted)


def _all(ctx: Ctx) -> Form:
    state = Offering.of(ctx)
    return of.whole_form(state.facts, state.fixed, ctx.local_now().date(), state.on_terms,
                         state.accepted)


offer_flow = Flow(
    name="offer", title=N_("an offer"), first="short", on_start=_start, state_model=Offering,
    intents={DealIntent.COUNTER_OFFER: "c{arg}", DealIntent.SEND_QUOTE: "q{arg}",
             DealIntent.RENEW_CONTRACT: "r{arg}", DealIntent.QUOTE_REQUEST: "s{arg}"},
    help=N_("Make an offer: quantity and price (defaults: the minimum order and the listed price), "
            "then a preview where you can change the Incoterm, place, delivery window, payment and "
            "how long the offer stays open — or deliver it in call-offs (a framework contract: "
            "e.g. 12 × monthly, each paid, shipped and released on its own)."),
    states={"short": FormState(form=_short, done=_answered),
            "all": FormState(form=_all, done=_answered),
            "review": Ask(prompt=_review, on=_on_review),
            "details": FormState(form=_details, done=_answered, cancel_to="review"),
            "index": FormState(form=lambda ctx: of.index_form(Offering.of(ctx).facts),
                               done=_answered, cancel_to="review"),
            "call_offs": FormState(form=lambda ctx: of.call_off_form(), done=_answered,
                                   cancel_to="review")},
)
