"""A request for supply in words, as its sellers and its buyer read it (its card, the notice of
it, a preview before it is published): what, how much, delivered how, the ceiling, how a tender
or an auction runs, the payment and the deadline."""

from __future__ import annotations

from core.catalog.taxonomy import UNITS, product
from core.deals import cards, request_rules
from core.deals.offers.facts import payment_words
from core.deals.requests import auction_rules
from core.deals.requests.view import RequestView
from core.i18n import _, present


def request_text(request: RequestView, deadline: str, published: bool = True,
                 buyer: bool = False) -> str:
    """The request as sellers and its buyer read it: what, how much, delivered how, the
    ceiling, how sellers answer (quotes, a tender, an auction), the payment and the deadline (a
    preview, not published yet, has no number and says how long it will be open). The reserve
    is the `buyer`'s alone. A seller's lot reads as a lot (`lot_text`)."""
    if request.lot:
        return lot_text(request, deadline, owner=buyer)
    what = {"quantity": present.quantity(request.quantity, request.unit),
            "product": _(product(request.product_type).label)}
    lines = [_("📣 Request for supply #{id}: {quantity} of {product}.", id=request.id, **what)
             if request.id else _("📣 Request for supply: {quantity} of {product}.", **what),
             _("Delivery: {delivery}", delivery=cards.delivery_text(
                 request.incoterm, request.place, request.delivery_from, request.delivery_to))]
    if request.max_price is not None:
        lines.append(_("At most {price} per {unit}, excluding VAT.", price=request.max_price,
                       unit=_(UNITS.get(request.unit, request.unit))))
    if request.max_price_mwh is not None:
        lines.append(_("At most {price} per MWh, by the listing's energy content.",
                       price=request.max_price_mwh))
    asked = request_rules.limits_words(dict(request.quality), list(request.certifications))
    if asked:
        lines.append(_("Quality: {asked}", asked=asked))
    lines += _bidding_lines(request, buyer)
    if request.private:
        lines.append(_("🔒 Private: only the invited sellers may answer."))
    lines.append(_("Payment: {payment}", payment=payment_words(request.payment_method, ())))
    bids = request.mode in auction_rules.BIDDING
    if published:
        lines.append(_("Bids until {deadline}.", deadline=deadline) if bids else
                     _("Quotes until {deadline}.", deadline=deadline))
    else:
        lines.append(_("Bids are taken for {days} once it is published.", days=deadline) if bids
                     else _("Quotes are taken for {days} once it is published.", days=deadline))
    return "\n".join(lines)


def _bidding_lines(request: RequestView, buyer: bool) -> list[str]:
    """How a tender or auction runs, in the words its bidders need."""
    unit = _(UNITS.get(request.unit, request.unit))
    lines = []
    if request.mode == auction_rules.TENDER:
        lines.append(_("🔒 Sealed-bid tender: one price per {unit} for the whole quantity; "
                       "bids stay sealed until the deadline, then the lowest wins.", unit=unit))
    elif request.mode == auction_rules.AUCTION and request.min_step is not None:
        minutes = request.extend_minutes or auction_rules.EXTEND_MINUTES
        lines.append(_("🔨 Reverse auction for the whole quantity: each bid at least {step} "
                       "under the best; a bid in the last {minutes} minutes moves the close to "
                       "{minutes} minutes after it.",
                       step=request.min_step, minutes=minutes))
    deposit = request.deposit
    if deposit is not None:
        lines.append(_("💳 Bid deposit: {amount} ({percent} % of the lot at the highest price), "
                       "paid before bidding; returned after the close, to the winner once the "
                       "deal completes; the buyer's if the winner does not sign or ship.",
                       amount=deposit, percent=request.deposit_pct))
    if buyer and request.reserve is not None:
        lines.append(_("Your reserve (bidders don't see it): {price} per {unit}.",
                       price=request.reserve, unit=unit))
    return lines


def lot_text(request: RequestView, deadline: str, owner: bool = False) -> str:
    """A seller's lot at auction as its bidders and its seller read it: what, how much,
    delivered how, the starting price and step, the reserve (the `owner`'s alone to read:
    bidders see only whether it is met, on their bid card), the deposit, the payment and the
    close."""
    unit = _(UNITS.get(request.unit, request.unit))
    lines = [_("🔨 Lot #{id} at auction: {quantity} of {product}.", id=request.id,
               quantity=present.quantity(request.quantity, request.unit),
               product=_(product(request.product_type).label)),
             _("Delivery: {delivery}", delivery=cards.delivery_text(
                 request.incoterm, request.place, request.delivery_from, request.delivery_to))]
    if request.max_price is not None and request.min_step is not None:
        minutes = request.extend_minutes or auction_rules.EXTEND_MINUTES
        lines.append(_("Bidding starts at {price} per {unit}, excluding VAT; each bid at least "
                       "{step} above the highest; a bid in the last {minutes} minutes moves "
                       "the close to {minutes} minutes after it. The highest bid wins.",
                       price=request.max_price, unit=unit, step=request.min_step,
                       minutes=minutes))
    if owner and request.reserve is not None:
        lines.append(_("Your reserve (bidders don't see it): {price} per {unit}.",
                       price=request.reserve, unit=unit))
    if request.deposit is not None:
        lines.append(_("💳 Bid deposit: {amount} ({percent} % of the lot at the starting "
                       "price), paid before bidding; returned after the close, to the winner "
                       "once the deal completes; the seller's if the winner does not sign or "
                       "pay.", amount=request.deposit, percent=request.deposit_pct))
    lines.append(_("Payment: {payment}", payment=payment_words(request.payment_method, ())))
    lines.append(_("Bids until {deadline}.", deadline=deadline))
    return "\n".join(lines)
