"""`/requests`: a buyer's requests for supply, each on its card — quotes side by side (price,
total, price per MWh, stars, certifications, distance, documents), each awarded with one tap, or
the request closed; a tender's or auction's bids ranked (a tender's sealed until its deadline),
and the next bid awarded after an award's deal ended."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, Next
from conversations.messages import (
    Button,
    Choice,
    Inbound,
    ListItem,
    ListPage,
    Outbound,
    Reply,
    go,
    rows,
)
from core.catalog.taxonomy import CERTIFICATIONS, UNITS, product
from core.clock import local_time
from core.deals import cards
from core.deals.intents import DealIntent
from core.deals.offers.facts import payment_words
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules, auctions
from core.deals.requests import quotes as request_quotes
from core.deals.requests import service as supply_requests
from core.deals.requests.notices import request_text
from core.deals.requests.view import RequestView
from core.i18n import N_, _, n_, present
from core.ids import parse_id
from core.process.deals import OfferState

STATUS = {"open": N_("open for quotes"), "bidding": N_("open for bids"),
          "awarded": N_("awarded"), "closed": N_("closed"),
          "cancelled": N_("cancelled by Agora"),
          "quotes_closed": N_("quotes closed: award one or close the request")}
# A seller's lot: awarded is sold, closed without an award is unsold.
LOT_STATUS = {"awarded": N_("sold"), "closed": N_("closed unsold")}


class Requests(FlowState):
    """What a buyer's requests for supply keep: the request open."""

    request_id: int


async def _requests_start(ctx: Ctx) -> Next | None:
    """`<request>`: its card; `n<request>`: award a closed tender's next bid, then its card."""
    arg = Requests.of(ctx).args
    number = parse_id(arg.removeprefix("n"))
    if number is None:
        return None
    Requests.of(ctx).request_id = number
    if arg.startswith("n"):
        assert ctx.account is not None
        await auctions.award_next(ctx.uow, number, ctx.account.id)
        request = await supply_requests.view(ctx.uow, number, ctx.account.id)
        return Next(state="card", replies=[Reply(
            _("✅ Sold to the next bid: the deal's terms follow.") if request.lot else
            _("✅ Awarded to the next bid: the deal's terms follow."))])
    return Next(state="card")


async def _list(ctx: Ctx) -> list[Outbound]:
    """The buyer's requests for supply, and apart from them the lots they put up at auction."""
    assert ctx.account is not None
    mine = await supply_requests.mine(ctx.uow, ctx.account.id)
    if not mine:
        return [Reply(_("No requests yet: /request asks sellers for supply."),
                      rows((_("📣 Ask for supply"), go("request")), (_("✔ Done"), "done")))]
    asked, lots = [r for r in mine if not r.lot], [r for r in mine if r.lot]
    pages: list[Outbound] = []
    if asked:
        pages.append(ListPage(_("📣 Your requests for supply"), tuple(_item(r) for r in asked),
                              1, 1))
    if lots:
        pages.append(ListPage(_("🔨 Your lots at auction"), tuple(_item(r) for r in lots), 1, 1))
    return [*pages, Reply(_("Open one, or Done."), rows((_("✔ Done"), "done")))]


def _item(request: RequestView) -> ListItem:
    what = {"id": request.id, "quantity": present.quantity(request.quantity, request.unit),
            "product": _(product(request.product_type).label)}
    label = _("🔨 Lot #{id}: {quantity} of {product}", **what) if request.lot else \
        _("📣 #{id} {quantity} of {product}", **what)
    return ListItem(label, _status(request, request.status), _button(request))


def _status(request: RequestView, status: str) -> str:
    """The request's state in words: a lot's award is its sale; bidding is open for bids."""
    if status == RequestState.OPEN and request.mode in auction_rules.BIDDING:
        status = "bidding"
    if request.lot and status in LOT_STATUS:
        return _(LOT_STATUS[status])
    return _(STATUS.get(status, status))


def _button(request: RequestView) -> Button:
    assert request.id is not None  # a saved request: only a preview has no number
    return Button(_("Open"), f"r:{request.id}")


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    number = parse_id(data[2:]) if data.startswith("r:") else None
    if number is None:
        return Next.end(menu=False)
    Requests.of(ctx).request_id = number
    return Next(state="card")


async def _card(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    request = await supply_requests.view(ctx.uow, Requests.of(ctx).request_id, ctx.account.id)
    if request.mode in auction_rules.BIDDING:
        return await _bidding_card(ctx, request)
    assert request.id is not None and request.deadline is not None  # saved, not a preview
    quotes = await request_quotes.compare(ctx.uow, request.id, ctx.account.id)
    status = "quotes_closed" if request.status == RequestState.OPEN \
        and ctx.uow.clock.now() >= request.deadline else request.status
    lines = [request_text(request, local_time(request.deadline, ctx.account.timezone),
                          buyer=True),
             _("Status: {status}", status=_(STATUS.get(status, status)))]
    if not quotes:
        lines.append(_("No quotes yet."))
    awards = [(Button(_("✅ Award #{id}", id=row.offer.id),
                      f"@do:{DealIntent.ANSWER_OFFER.value}:accept:{row.offer.id}"),)
              for row in quotes
              if row.offer.status == OfferState.OPEN and request.status == RequestState.OPEN]
    for row in quotes:
        lines += [_quote_line(row, request.unit), *_quote_details(row),
                  *_other_terms(row, request)]
    closing = rows((_("✖ Close the request"), "close")) if request.status == RequestState.OPEN else ()
    return [Reply("\n".join(lines), (*awards, *closing, *rows((_("✔ Done"), "done"))))]


async def _bidding_card(ctx: Ctx, request: RequestView) -> list[Outbound]:
    """A tender's or auction's card for its buyer: the bids ranked (a tender's sealed until its
    deadline); the close awards by itself, so there is nothing to tap but Refresh."""
    assert ctx.account is not None
    assert request.id is not None and request.deadline is not None  # saved, not a preview
    count, ranked = await auctions.board(ctx.uow, request.id, ctx.account.id)
    lines = [request_text(request, local_time(request.deadline, ctx.account.timezone),
                          buyer=True),
             _("Status: {status}", status=_status(request, request.status))]
    if request.mode == auction_rules.TENDER and request.closed_at is None:
        lines.append(n_("🔒 {count} seller has bid; bids stay sealed until the deadline.",
                        "🔒 {count} sellers have bid; bids stay sealed until the deadline.",
                        count, count=count))
    elif not ranked:
        lines.append(_("No bids yet."))
    unit = _(UNITS.get(request.unit, request.unit))
    for row in ranked:
        line = _("{rank}. {seller}: {price} per {unit}", rank=row.rank, seller=row.seller,
                 price=row.price, unit=unit)
        won = _("won") if request.lot else _("awarded")
        lines.append(f"✅ {line} — {won}" if row.awarded else line)
    refresh = rows((_("↻ Refresh"), "refresh")) if request.status == RequestState.OPEN else ()
    return [Reply("\n".join(lines), (*refresh, *rows((_("✔ Done"), "done"))))]


def _quote_line(row: request_quotes.QuoteRow, unit: str) -> str:
    offer = row.offer
    awarded = offer.status == OfferState.ACCEPTED
    facts = {"id": offer.id, "seller": row.seller,
             "quantity": present.quantity(row.quantity, unit),
             "price": row.price, "total": row.total,
             "mwh": f" · ≈ {row.per_mwh}/MWh" if row.per_mwh else "",
             "rating": f" ★{present.stars_value(row.rating)}" if row.rating else ""}
    if awarded:
        return _("✅ #{id} {seller}{rating}: {quantity} × {price} = {total}{mwh} — awarded", **facts)
    return _("💶 #{id} {seller}{rating}: {quantity} × {price} = {total}{mwh}", **facts)


def _quote_details(row: request_quotes.QuoteRow) -> list[str]:
    """What else tells quotes apart: certifications, how far the goods come from, the
    listing's documents."""
    parts = [_(CERTIFICATIONS.get(c, c)) for c in row.certifications]
    if row.distance_km is not None:
        parts.append(_("{km} km away", km=row.distance_km))
    if row.documents:
        parts.append("📎 " + ", ".join(row.documents))
    return ["    " + " · ".join(parts)] if parts else []


def _other_terms(row: request_quotes.QuoteRow, request: RequestView) -> list[str]:
    """What a quote changed from the request (the Incoterm or place, the payment), so an award
    is never taken on terms the buyer did not see."""
    offer, found = row.offer, []
    if (offer.incoterm, offer.place) != (request.incoterm, request.place) or \
            (offer.delivery_from, offer.delivery_to) != (request.delivery_from,
                                                         request.delivery_to):
        found.append("    " + _("Delivery: {delivery}", delivery=cards.delivery_text(
            offer.incoterm, offer.place, offer.delivery_from, offer.delivery_to)))
    if offer.payment_method != request.payment_method:
        found.append("    " + _("Payment: {payment}",
                                payment=payment_words(offer.payment_method, ())))
    return found


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "refresh":
        return Next(state="card", remember=False)
    if data == "close":
        await supply_requests.close(ctx.uow, Requests.of(ctx).request_id, ctx.account.id)
        return Next(state="card", remember=False, replies=[Reply(
            _("✖ The request is closed: its open quotes were declined, their sellers told."))])
    return Next.end(menu=False)


requests_flow = Flow(
    name="requests", title=N_("your requests for supply"), first="list",
    state_model=Requests,
    on_start=_requests_start, commands=("requests",),
    intents={DealIntent.VIEW_REQUEST: "{arg}", DealIntent.AWARD_NEXT: "n{arg}"},
    summary=N_("Your requests for supply and their quotes, and your lots at auction"),
    help=N_("Each request with its quotes side by side (price, total, price per MWh, the "
            "seller's rating), awarded with one tap, or closed; a tender's or auction's bids "
            "ranked (a tender's once its deadline has passed). Your lots at auction are listed "
            "apart, each with its bids ranked, the highest first."),
    states={"list": Ask(prompt=_list, on=_on_list), "card": Ask(prompt=_card, on=_on_card)},
)
