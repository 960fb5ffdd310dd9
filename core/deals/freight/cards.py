"""Freight in words, for its reader (every number, amount, day and place through the
presenter): a transport's card, a quote's line, and the lines a deal card adds."""

from __future__ import annotations

from core.catalog.gazetteer import place_name
from core.deals.freight.rules import LOADING_TYPES, STATE_WORDS, UPDATE_WORDS, FreightState
from core.deals.freight.view import FreightFacts, HaulierFacts, QuoteFacts
from core.i18n import _, dates, present


def route_text(view: FreightFacts) -> str:
    return _("{origin} → {destination}", origin=place_name(view.from_place, view.from_country),
             destination=place_name(view.to_place, view.to_country))


def transport_text(view: FreightFacts) -> str:
    """A transport's card: the route, the load, the window, where it stands, the booking."""
    lines = [_("🚚 Transport #{id} for deal #{deal}", id=view.id, deal=view.deal_id),
             route_text(view),
             _("{quantity}, {loading}, loading {start} – {end}",
               quantity=present.quantity(view.quantity, view.unit),
               loading=_(LOADING_TYPES.get(view.loading_type, view.loading_type)),
               start=dates.day(view.load_from), end=dates.day(view.load_to)),
             _("Status: {status}", status=_(STATE_WORDS[FreightState(view.state)]))]
    if view.booked is not None:
        lines.append(_("Haulier: {haulier}, freight {price}", haulier=view.booked.haulier,
                       price=view.booked.price))
    lines.extend(_tracking(view))
    return "\n".join(lines)


def _tracking(view: FreightFacts) -> list[str]:
    lines = []
    if view.position:
        lines.append(_("Last position: {position}", position=view.position))
    if view.eta is not None:
        lines.append(_("Expected: {day}", day=dates.day(view.eta)))
    if view.has_cmr:
        lines.append(_("📄 Signed CMR received"))
    return lines


def quote_line(quote: QuoteFacts) -> str:
    """“Baltic Haul: 1 200,00 €, pickup 3 Dec 2026, 2 days in transit”."""
    return _("{haulier}: {price}, pickup {day}, {days} days in transit", haulier=quote.haulier,
             price=quote.price, day=dates.day(quote.pickup_on),
             days=present.count(quote.transit_days))


def deal_lines(view: FreightFacts) -> list[str]:
    """What a deal card says of its transport: where it stands, the freight, the delivered
    total and the price per MWh delivered."""
    lines = [_("🚚 Transport: {status}", status=_(STATE_WORDS[FreightState(view.state)]))]
    if view.booked is not None and view.delivered is not None:
        lines.append(_("Freight: {price} ({haulier})", price=view.booked.price,
                       haulier=view.booked.haulier))
        total = _("Delivered total: {total}", total=view.delivered.total)
        if view.delivered.per_mwh is not None:
            total = _("{total} (≈ {per_mwh}/MWh delivered)", total=total,
                      per_mwh=view.delivered.per_mwh)
        lines.append(total)
    lines.extend(_tracking(view))
    return lines


def update_text(view: FreightFacts, update: str) -> str:
    """A haulier's update as both parties hear it."""
    head = _("🚚 Transport #{id} for deal #{deal}: {update}", id=view.id, deal=view.deal_id,
             update=_(UPDATE_WORDS[update]))
    return "\n".join([head, *_tracking(view)])


def haulier_text(view: HaulierFacts) -> str:
    """A member's haulier profile."""
    return "\n".join([
        _("🚚 You haul for Agora members."), _("Routes: {routes}", routes=", ".join(view.routes)),
        _("Loading: {types}", types=", ".join(_(LOADING_TYPES[t]) for t in view.loading_types
                                              if t in LOADING_TYPES)),
        _("Capacity per load: {capacity}",
          capacity=present.quantity(view.capacity, view.unit))] + (
        [] if view.active else [_("Paused: you hear of no requests for transport.")]))
