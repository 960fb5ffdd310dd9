"""Bidding in a tender or reverse auction, in chat: 🔨 Bid on the request's card shows where the
seller stands (an auction's best price and their rank; a tender's own sealed bid) and asks for a
price per unit for the whole quantity. A price that doesn't fit is re-asked with the reason (the
step, the ceiling, the close); a good one is placed and the card shows the new standing."""

from __future__ import annotations

from decimal import Decimal

from conversations.fields import Also, FieldError
from conversations.flow import Ask, Ctx, Flow, FlowState, Next
from conversations.flows.market.amount_and_date_fields import PriceField
from conversations.messages import Button, Choice, Inbound, Outbound, Reply, Text, rows
from core.catalog.taxonomy import UNITS
from core.clock import local_time
from core.deals.intents import DealIntent
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules, auctions, pending_bids
from core.deals.requests.notices import request_text
from core.i18n import N_, _, present
from core.ids import parse_id
from core.money.model import Money


class Bidding(FlowState):
    """What bidding keeps: the request, and a price typed before its deposit was paid."""

    request_id: int
    price: list[str] | None = None  # [amount, currency], placed once the deposit is paid


async def _start(ctx: Ctx) -> Next | None:
    """`<request>`: the bidding card; `d<request>`: pay the request's bid deposit first."""
    arg = Bidding.of(ctx).args
    number = parse_id(arg.removeprefix("d"))
    if number is None:
        return Next.end(Reply(_("Open a request for supply from its card."), kind="error"))
    if arg.startswith("d"):
        assert ctx.account is not None
        due = await auctions.ask_deposit(ctx.uow, number, ctx.account.id)
        return Next.end(Reply(_("💳 The payment page for the deposit of {amount} comes in a "
                                "moment; once it is paid you may bid.", amount=due)), menu=False)
    Bidding.of(ctx).request_id = number
    return None


def standing_lines(standing: auctions.Standing) -> list[str]:
    """Where the seller stands, in the words the mode allows (a tender shows no one else's
    price until its close)."""
    request = standing.request
    unit = _(UNITS.get(request.unit, request.unit))
    lines = []
    if standing.best is not None and request.lot:
        lines.append(_("Highest bid: {price} per {unit}.", price=standing.best, unit=unit))
    elif standing.best is not None:
        lines.append(_("Best bid: {price} per {unit}.", price=standing.best, unit=unit))
    elif request.mode == auction_rules.AUCTION and request.closed_at is None:
        lines.append(_("No bids yet."))
    if standing.own is None:
        lines.append(_("You have not bid."))
    elif standing.rank is not None:
        lines.append(_("Your bid: {price} per {unit}, ranked {rank} of {bidders}.",
                       price=standing.own, unit=unit, rank=standing.rank,
                       bidders=standing.bidders))
    else:
        lines.append(_("Your sealed bid: {price} per {unit}. You may replace it until the "
                       "deadline.", price=standing.own, unit=unit))
    if standing.reserve_met is not None:  # a lot's reserve: met or not, never its figure
        lines.append(_("✅ Reserve met.") if standing.reserve_met else _("Reserve not met yet."))
    return lines


async def _card(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    standing = await auctions.standing(ctx.uow, Bidding.of(ctx).request_id, ctx.account.id)
    request = standing.request
    assert request.id is not None and request.deadline is not None  # saved, not a preview
    lines = [request_text(request, local_time(request.deadline, ctx.account.timezone)),
             *standing_lines(standing)]
    if request.status != RequestState.OPEN or request.closed_at is not None:
        lines.append(_("Bidding is closed."))
        return [Reply("\n".join(lines), rows((_("✔ Done"), "done")))]
    most, unit = standing.most, _(UNITS.get(request.unit, request.unit))
    if request.lot and most:  # a lot's bids rise: the least a bid may be
        lines.append(_("Type your price per {unit}, at least {price}, for the whole lot.",
                       unit=unit, price=most))
    else:
        lines.append(_("Type your price per {unit}, at most {price}, for the whole quantity.",
                       unit=unit, price=most) if most else
                     _("Type your price per {unit} for the whole quantity.", unit=unit))
    buttons = rows((_("↻ Refresh"), "refresh"), (_("✔ Done"), "done"), per_row=2)
    if request.mode == auction_rules.AUCTION and standing.own is not None \
            and not request.private:  # a private request has no public page to follow
        buttons = ((await _follow_button(ctx, request.id),), *buttons)
    return [Reply("\n".join(lines), buttons)]


async def _follow_button(ctx: Ctx, request_id: int) -> Button:
    """The bidder's own live page of the auction: their rank as it changes, second by second
    (a chat can't be told of every bid: Telegram and Slack limit how often a bot writes)."""
    assert ctx.account is not None
    token = await auctions.follow_token(ctx.uow, request_id, ctx.account.id)
    url = f"{ctx.uow.policy.public_url.rstrip('/')}/requests/{request_id}?as={token}"
    return Button(_("📈 Follow your rank live"), "", url=url)


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if isinstance(msg, Choice) and msg.data == "deposit" and Bidding.of(ctx).price:
        return await _deposit_then_bid(ctx)
    if isinstance(msg, Choice):
        return Next(state="card", remember=False) if msg.data == "refresh" else \
            Next.end(menu=False)
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Type your price, e.g. {example}.",
                                           example=present.number(Decimal("20.50"))),
                                         kind="error"))
    standing = await auctions.standing(ctx.uow, Bidding.of(ctx).request_id, ctx.account.id)
    assert standing.request.id is not None  # a saved request: only a preview has no number
    field = PriceField("price", N_("Your price"), minimum=Decimal("0.01"),
                       maximum=Decimal(100_000_000), currency=standing.request.currency)
    try:
        parsed = field.parse_raw(msg.text)
    except FieldError as exc:
        return Next.stay(Reply(str(exc), kind="error"))
    value = parsed.value if isinstance(parsed, Also) else parsed
    currency = parsed.others.get("currency", standing.request.currency) \
        if isinstance(parsed, Also) else standing.request.currency
    price = Money.parse(str(value), currency)
    deposit = await pending_bids.deposit_due(ctx.uow, standing.request.id, ctx.account.id)
    if deposit is not None:  # the price is kept: it becomes the bid once the deposit is paid
        Bidding.of(ctx).price = [str(value), currency]
        facts = {"id": standing.request.id, "amount": deposit, "price": price}
        return Next(state="", reprompt=False, replies=[Reply(_(
            "Lot #{id} asks a bid deposit of {amount} before you bid; it comes back after "
            "the close. Pay it, and your bid of {price} is placed as soon as it is paid.",
            **facts) if standing.request.lot else _(
            "Request #{id} asks a bid deposit of {amount} before you bid; it comes back after "
            "the close. Pay it, and your bid of {price} is placed as soon as it is paid.",
            **facts),
            rows((_("💳 Pay the deposit and bid"), "deposit"), (_("✔ Done"), "done")))])
    placed = await auctions.bid(ctx.uow, standing.request.id, ctx.account.id, price)
    unit = _(UNITS.get(placed.request.unit, placed.request.unit))
    return Next(state="card", remember=False, replies=[Reply(_(
        "🔨 Your bid of {price} per {unit} is in.", price=placed.own, unit=unit))])


async def _deposit_then_bid(ctx: Ctx) -> Next:
    """Ask the deposit with the price typed, which core places as the bid once it is paid."""
    assert ctx.account is not None
    state = Bidding.of(ctx)
    assert state.price is not None  # the deposit is offered once a price was typed
    value, currency = state.price
    price = Money.parse(value, currency)
    due = await pending_bids.bid_once_paid(ctx.uow, state.request_id, ctx.account.id, price)
    return Next.end(Reply(_("💳 The payment page for the deposit of {amount} comes in a moment; "
                            "your bid of {price} is placed as soon as it is paid.",
                            amount=due, price=price)), menu=False)


bid_flow = Flow(
    name="bid", state_model=Bidding, title=N_("a bid on a request for supply"), first="card", on_start=_start,
    intents={DealIntent.BID_REQUEST: "{arg}", DealIntent.PAY_DEPOSIT: "d{arg}"},
    help=N_("Bid in a buyer's tender or reverse auction, or on a seller's lot at auction: one "
            "price per unit for the whole quantity. In a reverse auction you see the best bid "
            "and your rank, and each bid must be at least the step under the best; on a lot, "
            "at least the step above the highest, and you see whether the seller's reserve is "
            "met; a tender's bids stay sealed until the deadline."),
    states={"card": Ask(prompt=_card, on=_on_card)},
)
