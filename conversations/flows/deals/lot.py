"""A seller puts a lot up at auction (core.deals.requests.lots): from a published listing (its
card in 📦 My listings, or /lot when they have one), one form — the quantity, the starting
price, the step, an optional hidden reserve, how many hours it takes bids, the late-bid
extension, a bid deposit and an optional delivery window — asked field by field on Telegram,
as one modal on Slack. The buyers of the product get the lot's card with 🔨 Bid, the reverse
auction's own bid flow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conversations.fields import ChoiceField, Field
from conversations.flow import Ctx, Flow, FlowState, Next
from conversations.flows.deals.offer_fields import window
from conversations.flows.market.amount_and_date_fields import DateField
from conversations.form_runner import FormState
from conversations.forms import Form, Rule
from conversations.messages import Reply
from conversations.number_and_date_fields import DecimalField, IntegerField
from core.catalog import listings
from core.clock import local_time
from core.deals.requests import auction_rules, lots
from core.deals.requests.notices import request_text
from core.i18n import N_, _, present
from core.ids import parse_id
from core.money.model import Money, exponent

NO_DEPOSIT = "0"
DEPOSITS = [(NO_DEPOSIT, N_("No deposit")), *((str(p), f"{p} %")
                                               for p in auction_rules.DEPOSIT_PERCENTS)]


class PuttingUp(FlowState):
    """The listing the lot comes from, and what the form needs of it."""

    listing_id: int = 0
    unit: str = "t"
    currency: str = "EUR"
    stock: str = "0"


async def _start(ctx: Ctx) -> Next | None:
    """`<listing>`, or none: the seller's only published listing."""
    assert ctx.account is not None
    state = PuttingUp.of(ctx)
    state.listing_id = await lots.listing_for_lot(ctx.uow, ctx.account.id, parse_id(state.args))
    card = await listings.own_card(ctx.uow, state.listing_id, ctx.account.id)
    state.unit, state.currency, state.stock = card.unit, card.price.currency, str(card.quantity)
    return None


def _form(ctx: Ctx) -> Form:
    state = PuttingUp.of(ctx)
    unit, places = present.unit_word(state.unit), exponent(state.currency)
    stock = Decimal(state.stock)
    today = ctx.local_now().date()

    def price(name: str, label: str, required: bool = True) -> Field:
        return DecimalField(name, _(label, unit=unit, currency=state.currency), places=places,
                            minimum=Decimal("0.01"), required=required)

    return Form("lot", N_("Auction a lot"), [
        DecimalField("quantity", _("Quantity ({unit})", unit=unit), places=3,
                     minimum=Decimal("0.001"), maximum=stock,
                     hint=_("At most {stock} {unit}.", stock=present.number(stock.normalize()),
                            unit=unit)),
        price("start", N_("Starting price per {unit} ({currency})")),
        price("step", N_("Minimum step ({currency})")),
        price("reserve", N_("Reserve per {unit} ({currency}), hidden from bidders"), False),
        IntegerField("hours", N_("Hours open for bids"), minimum=1,
                     maximum=auction_rules.LOT_HOURS_AT_MOST),
        IntegerField("extend", N_("A late bid extends the close by (minutes)"), minimum=1,
                     maximum=auction_rules.EXTEND_AT_MOST, required=False),
        ChoiceField("deposit", N_("Bid deposit"), choices=DEPOSITS),
        DateField("delivery_from", N_("Delivery from"), today=today, earliest=0, latest=730,
                  required=False),
        DateField("delivery_to", N_("Delivery by"), today=today, earliest=0, latest=730,
                  required=False)],
        submit_label=N_("Put up"), rules=[Rule(("delivery_from", "delivery_to"), window)])


async def _put_up(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Put the lot up; the seller sees its card."""
    assert ctx.account is not None
    state = PuttingUp.of(ctx)

    def money(name: str) -> Money | None:
        value = values.get(name)
        return Money.parse(str(value), state.currency) if value not in (None, "") else None

    start, step = money("start"), money("step")
    assert start is not None and step is not None  # required fields
    deposit = values.get("deposit") or NO_DEPOSIT
    extend = values.get("extend")

    def day(name: str) -> date | None:
        return date.fromisoformat(str(values[name])) if values.get(name) else None

    lot = await lots.put_up(ctx.uow, ctx.account.id, state.listing_id, lots.LotTerms(
        Decimal(str(values["quantity"])), start, step, money("reserve"), int(values["hours"]),
        int(extend) if extend not in (None, "") else None,
        int(deposit) if deposit != NO_DEPOSIT else None, day("delivery_from"),
        day("delivery_to")))
    assert lot.deadline is not None
    card = request_text(lot, local_time(lot.deadline, ctx.account.timezone), buyer=True)
    return Next.end(Reply(card + "\n" + _("Your lot is up: the buyers of the product were "
                                          "told, and the highest bid at the close wins.")),
                    menu=False)


lot_flow = Flow(
    name="lot", title=N_("a lot at auction"), first="terms", on_start=_start,
    state_model=PuttingUp, commands=("lot",), summary=N_("Auction a lot"),
    help=N_("Put a lot from your published listing up at auction: buyers bid the price up "
            "from your starting price, each bid at least your step above the highest; a bid "
            "in the last minutes extends the close; the highest bid at or above your hidden "
            "reserve wins and becomes a deal. Bidders may be asked a deposit, returned after "
            "the close."),
    states={"terms": FormState(form=_form, done=_put_up)},
)
