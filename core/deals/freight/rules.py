"""Freight's rules, with no database: which hauliers a route reaches, whether a quote is
valid, the deal's delivered total and price per MWh delivered, and which of the haulier's
updates each state of a transport allows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from core.errors import Conflict, DomainError, InvalidField
from core.i18n import N_, _
from core.money.model import Money

LOADING_TYPES = {"tipper": N_("tipper"), "walking_floor": N_("walking floor"), "bags": N_("bags")}
FREIGHT_UNITS = ("t", "m3")  # a transport is asked in tonnes or cubic metres
MAX_TRANSIT_DAYS = 30
MAX_WINDOW_DAYS = 60  # how far a loading window may stretch
# The deal's states in which a party may ask for transport: agreed or paid, not yet shipped.
ASKABLE_DEAL_STATES = ("agreed", "awaiting_payment", "to_ship")


class FreightState(StrEnum):
    OPEN = "open"  # hauliers quote until the window opens
    BOOKED = "booked"  # a quote accepted; its freight awaits the asker's payment
    PAID = "paid"  # the freight is held in escrow
    LOADED = "loaded"
    ON_THE_WAY = "on_the_way"
    DELIVERED = "delivered"  # the haulier delivered with the CMR; the receiver confirms
    COMPLETED = "completed"  # confirmed: the freight is released to the haulier
    CANCELLED = "cancelled"  # before loading: a paid freight is refunded
    CLOSED = "closed"  # the window came with no quote accepted


class QuoteState(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    LOST = "lost"
    WITHDRAWN = "withdrawn"


# A transport still to come or under way: one per deal at a time.
ACTIVE = (FreightState.OPEN, FreightState.BOOKED, FreightState.PAID, FreightState.LOADED,
          FreightState.ON_THE_WAY, FreightState.DELIVERED)
CANCELLABLE = (FreightState.OPEN, FreightState.BOOKED, FreightState.PAID)  # before loading
# The haulier's updates: the states each may be posted from, and the state it leads to.
UPDATES: dict[str, tuple[tuple[FreightState, ...], FreightState]] = {
    "loaded": ((FreightState.PAID,), FreightState.LOADED),
    "on_the_way": ((FreightState.LOADED, FreightState.ON_THE_WAY), FreightState.ON_THE_WAY),
    "delivered": ((FreightState.LOADED, FreightState.ON_THE_WAY), FreightState.DELIVERED),
}
UPDATE_WORDS = {"loaded": N_("loaded"), "on_the_way": N_("on the way"),
                "delivered": N_("delivered")}
STATE_WORDS = {
    FreightState.OPEN: N_("asking hauliers for quotes"),
    FreightState.BOOKED: N_("booked, awaiting the freight's payment"),
    FreightState.PAID: N_("booked and paid, awaiting loading"),
    FreightState.LOADED: N_("loaded"), FreightState.ON_THE_WAY: N_("on the way"),
    FreightState.DELIVERED: N_("delivered, awaiting the receiver's confirmation"),
    FreightState.COMPLETED: N_("delivered and confirmed"),
    FreightState.CANCELLED: N_("cancelled"), FreightState.CLOSED: N_("closed without a booking")}


def parse_routes(text: str) -> tuple[str, ...]:
    """“LV, LT, LV-DE” → ("LV", "LT", "LV-DE"): countries served (any route between them) and
    country pairs (either way), as ISO codes; refused when an entry is not one."""
    routes: list[str] = []
    for raw in text.replace(";", ",").replace("\n", ",").split(","):
        entry = raw.strip().upper().replace("–", "-").replace(" ", "")
        if not entry:
            continue
        parts = entry.split("-")
        if len(parts) > 2 or not all(len(p) == 2 and p.isalpha() for p in parts):
            raise InvalidField("routes", _("Name countries by their two-letter codes, and routes "
                                           "as two codes joined by a dash (LV, LT, LV-DE)."))
        if entry not in routes:
            routes.append(entry)
    if not routes:
        raise InvalidField("routes", _("Name at least one country or route you serve."))
    return tuple(routes)


def serves(routes: tuple[str, ...] | list[str], origin: str | None, destination: str | None
           ) -> bool:
    """Whether a haulier's routes reach a transport from `origin` to `destination` (country
    codes): the pair declared either way, or both countries declared."""
    if not origin or not destination:
        return False
    a, b = origin.upper(), destination.upper()
    declared = {r.upper() for r in routes}
    return f"{a}-{b}" in declared or f"{b}-{a}" in declared or {a, b} <= declared


def loading_types(chosen: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The loading types a haulier offers, known ones only, at least one."""
    kept = tuple(t for t in LOADING_TYPES if t in chosen)
    if not kept:
        raise InvalidField("loading", _("Choose at least one loading type."))
    return kept


def checked_window(load_from: date, load_to: date, today: date) -> None:
    """A loading window: from today on, its end not before its start, at most 60 days long."""
    if load_from < today:
        raise InvalidField("load_from", _("The loading window can't start in the past."))
    if load_to < load_from:
        raise InvalidField("load_to", _("The loading window ends before it starts."))
    if (load_to - load_from).days > MAX_WINDOW_DAYS:
        raise InvalidField("load_to", _("Keep the loading window within {days} days.",
                                        days=MAX_WINDOW_DAYS))


@dataclass(frozen=True)
class QuoteTerms:
    """What a haulier quotes: the price for the whole transport, the pickup day and the days
    in transit."""

    price: Money
    pickup_on: date
    transit_days: int


def checked_quote(terms: QuoteTerms, currency: str, load_from: date, load_to: date,
                  closes_at: datetime, now: datetime) -> None:
    """A quote is valid before the request closes, for more than nothing in the deal's
    currency, picking up within the loading window, in 0 to 30 days' transit."""
    if now >= closes_at:
        raise Conflict(_("Quotes on that transport closed when its loading window opened."))
    if terms.price.amount <= 0:
        raise InvalidField("price", _("The price must be more than zero."))
    if terms.price.currency != currency:
        raise InvalidField("price", _("Quote in {currency}, the deal's currency.",
                                      currency=currency))
    if not load_from <= terms.pickup_on <= load_to:
        raise InvalidField("pickup_on", _("Pick up within the loading window."))
    if not 0 <= terms.transit_days <= MAX_TRANSIT_DAYS:
        raise InvalidField("transit_days", _("Transit takes 0 to {days} days.",
                                             days=MAX_TRANSIT_DAYS))


def next_state(state: str, update: str, has_cmr: bool = False) -> FreightState:
    """The state a haulier's `update` leads to from `state`; refused when the state does not
    allow it (loaded once paid, on the way once loaded, delivered with the CMR photo)."""
    if update not in UPDATES:
        raise DomainError(_("Post loaded, on the way or delivered."))
    sources, target = UPDATES[update]
    if state not in sources:
        raise Conflict(_("That update doesn't fit the transport now: it is {state}.",
                         state=_(STATE_WORDS[FreightState(state)])))
    if update == "delivered" and not has_cmr:
        raise InvalidField("cmr", _("Delivered needs the photo of the signed CMR."))
    return target


def allowed_updates(state: str) -> tuple[str, ...]:
    """The updates a haulier may post in `state`, in the order of the journey."""
    return tuple(name for name, (sources, _target) in UPDATES.items() if state in sources)


@dataclass(frozen=True)
class Delivered:
    """A deal's goods with their freight: the delivered total and, when the listing states its
    energy content, the price per MWh delivered."""

    goods: Money
    freight: Money
    total: Money
    per_mwh: Money | None


def delivered(goods: Money, freight: Money, quantity: Decimal, mwh_per_unit: Decimal
              ) -> Delivered:
    """Goods (without VAT) plus freight, and that total over the energy the quantity holds,
    rounded half up to the minor unit (None without an energy content)."""
    if goods.currency != freight.currency:
        raise DomainError(_("The freight must be in the deal's currency."))
    total = goods + freight
    energy = quantity * mwh_per_unit
    per_mwh = None
    if energy > 0:
        minor = (Decimal(total.amount) / energy).quantize(Decimal(1), ROUND_HALF_UP)
        per_mwh = Money(int(minor), total.currency)
    return Delivered(goods, freight, total, per_mwh)
