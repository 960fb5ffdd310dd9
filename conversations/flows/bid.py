"""Bidding in a tender or reverse auction, in chat: 🔨 Bid on the request's card shows where the
seller stands (an auction's best price and their rank; a tender's own sealed bid) and asks for a
price per unit for the whole quantity. A price that doesn't fit is re-asked with the reason (the
step, the ceiling, the close); a good one is placed and the card shows the new standing."""

from __future__ import annotations

from decimal import Decimal

from conversations.fields import Also, FieldError
from conversations.flow import Ask, Ctx, Flow, Next
from conversations.flows.listing_fields import PriceField
from conversations.messages import Button, Choice, Inbound, Outbound, Reply, Text, rows
from core.actions import Intent
from core.catalog.taxonomy import UNITS
from core.clock import local_time
from core.deals import auction_rules, auctions
from core.deals.notices.requests import request_text
from core.i18n import N_, _
from core.ids import parse_id
from core.money.model import Money


async def _start(ctx: Ctx) -> Next | None:
    """`<request>`: the bidding card; `d<request>`: pay the request's bid deposit first."""
    arg = str(ctx.data.get("args") or "")
    number = parse_id(arg.removeprefix("d"))
    if number is None:
        return Next.end(Reply(_("Open a request for supply from its card."), kind="error"))
    if arg.startswith("d"):
        assert ctx.account is not None
        due = await auctions.ask_deposit(ctx.uow, number, ctx.account.id)
        return Next.end(Reply(_("💳 The payment page for the deposit of {amount} comes in a "
                                "moment; once it is paid you may bid.", amount=due)), menu=False)
    ctx.data["request_id"] = number
    return None


def standing_lines(standing: auctions.Standing) -> list[str]:
    """Where the seller stands, in the words the mode allows (a tender shows no one else's
    price until its close)."""
    request = standing.request
    unit = _(UNITS.get(request.unit, request.unit))
    lines = []
    if standing.best is not None:
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
    return lines


def _most(standing: auctions.Standing) -> Money | None:
    """The highest price a bid may have now."""
    request = standing.request
    if request.mode == auction_rules.AUCTION and standing.best is not None \
            and request.min_step_minor is not None:
        return Money(standing.best.amount - request.min_step_minor, request.currency)
    return Money(request.max_price_minor, request.currency) \
        if request.max_price_minor is not None else None


async def _card(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    standing = await auctions.standing(ctx.uow, ctx.data["request_id"], ctx.account.id)
    request = standing.request
    lines = [request_text(request, local_time(request.deadline, ctx.account.timezone)),
             *standing_lines(standing)]
    if request.status != "open" or request.closed_at is not None:
        lines.append(_("Bidding is closed."))
        return [Reply("\n".join(lines), rows((_("✔ Done"), "done")))]
    most, unit = _most(standing), _(UNITS.get(request.unit, request.unit))
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
    if isinstance(msg, Choice):
        return Next(state="card", remember=False) if msg.data == "refresh" else \
            Next.end(menu=False)
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Type your price, e.g. 20.50."), kind="error"))
    standing = await auctions.standing(ctx.uow, ctx.data["request_id"], ctx.account.id)
    field = PriceField("price", N_("Your price"), minimum=Decimal("0.01"),
                       maximum=Decimal(100_000_000), currency=standing.request.currency)
    try:
        parsed = field.parse_raw(msg.text)
    except FieldError as exc:
        return Next.stay(Reply(str(exc), kind="error"))
    value = parsed.value if isinstance(parsed, Also) else parsed
    currency = parsed.others.get("currency", standing.request.currency) \
        if isinstance(parsed, Also) else standing.request.currency
    placed = await auctions.bid(ctx.uow, standing.request.id, ctx.account.id,
                                Money.parse(str(value), currency))
    unit = _(UNITS.get(placed.request.unit, placed.request.unit))
    return Next(state="card", remember=False, replies=[Reply(_(
        "🔨 Your bid of {price} per {unit} is in.", price=placed.own, unit=unit))])


bid_flow = Flow(
    name="bid", title=N_("a bid on a request for supply"), first="card", on_start=_start,
    intents={Intent.BID_REQUEST: "{arg}", Intent.PAY_DEPOSIT: "d{arg}"},
    help=N_("Bid in a buyer's tender or reverse auction: one price per unit for the whole "
            "quantity. In an auction you see the best bid and your rank, and each bid must be "
            "at least the step under the best; a tender's bids stay sealed until the deadline."),
    states={"card": Ask(prompt=_card, on=_on_card)},
)
