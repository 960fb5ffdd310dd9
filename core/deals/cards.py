"""How offers and deals read, for the notices core writes and the cards flows show: the same
text on every channel, dates in the reader's own time zone."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.catalog.taxonomy import UNITS
from core.clock import local_time
from core.deals import call_offs
from core.deals import offers as offer_rules
from core.deals.deals import total
from core.deals.quality_report import MEASURABLE
from core.deals.tables import Deal, Offer, QualityReport, Shipment
from core.money.model import Money, exponent
from core.policy import Policy
from core.process.deals import STATE_LABELS

if TYPE_CHECKING:
    from core.deals.views import DealView

CHANGE_LABELS = {"quantity": "quantity", "price": "price", "incoterm": "Incoterm",
                 "place": "place", "delivery_from": "delivery from", "delivery_to": "delivery by",
                 "payment_method": "payment", "call_offs": "call-offs",
                 "call_off_every": "call-off interval"}


def quantity(milli: int, unit: str) -> str:
    return f"{(Decimal(milli) / 1000).normalize():,f} {UNITS.get(unit, unit)}"


def offer_text(offer: Offer, listing: Listing, previous: Offer | None, policy: Policy,
               reader: Account | None) -> str:
    """An offer card: quantity, unit price, total, commission, price per MWh, Incoterm, the
    delivery window, payment, what changed against the previous round, and its expiry."""
    price = Money(offer.price_minor, offer.currency)
    amount = total(offer)  # type: ignore[arg-type]  # an offer has the same three columns
    unit = UNITS.get(listing.unit, listing.unit)
    who = "Counter-offer" if offer.previous_id else ("Quote" if offer.made_by == "seller"
                                                     else "Offer")
    lines = [f"💶 {who} #{offer.id} on “{listing.title}”",
             f"{quantity(offer.quantity_milli, listing.unit)} × {price} per {unit} "
             f"= {amount}"]
    rule = policy.commission.get("bioenergy")
    if rule is not None:
        lines.append(f"Platform commission (paid by the seller): {rule.on(amount)}")
    energy = Decimal(listing.energy_mwh_per_unit or 0)
    if energy > 0:
        per_mwh = (price.decimal / energy).quantize(Decimal(1).scaleb(-exponent(offer.currency)))
        lines.append(f"≈ {Money.parse(per_mwh, offer.currency)}/MWh")
    lines.append("Delivery: " + delivery_text(offer.incoterm, offer.place, offer.delivery_from,
                                              offer.delivery_to))
    lines.append("Payment: " + offer_rules.PAYMENT_METHODS.get(offer.payment_method, "—"))
    if offer.call_offs:
        lines.append(f"📑 Deliver in call-offs: {schedule_text(offer)}, "
                     f"{quantity(offer.quantity_milli * offer.call_offs, listing.unit)} and "
                     f"{Money(amount.amount * offer.call_offs, offer.currency)} in all")
    if previous is not None:
        changed = offer_rules.changes(offer_rules.terms_of_offer(previous),
                                      offer_rules.terms_of_offer(offer))
        lines.append("Changed since the last round: " + (", ".join(
            CHANGE_LABELS[c] for c in changed) or "nothing"))
    if offer.status == "open":
        lines.append(f"⏳ Open until {local_time(offer.expires_at, reader and reader.timezone)}")
    else:
        lines.append(f"Status: {offer.status}" + (f" — {offer.reason}" if offer.reason else ""))
    return "\n".join(lines)


def schedule_text(offer: Offer) -> str:
    """“3 call-offs, monthly, from 2026-01-12” (the quantity above is each call-off's)."""
    first = offer.delivery_from.isoformat() if offer.delivery_from else "agreement"
    return f"{call_offs.words(offer.call_offs or 0, offer.call_off_every or '')}, from {first}"


def delivery_text(incoterm: str | None, place: str | None, start: object, end: object) -> str:
    where = " ".join(p for p in (incoterm, place) if p) or "as listed"
    window = f", {start} – {end}" if start and end else (f", from {start}" if start else "")
    return where + window


def deal_text(deal: Deal, title: str, unit: str, shipment: Shipment | None, payment: str,
              reader: Account | None, counterpart: str, role: str) -> str:
    """A deal card: what, how much, the other party, where it stands in each of its three
    statuses (lifecycle, payment, shipment)."""
    who = (f"You are the {role}; the {'seller' if role == 'buyer' else 'buyer'} is {counterpart}."
           if role in ("buyer", "seller") else f"Parties: {counterpart}.")
    lines = [f"🤝 Deal #{deal.id}: {title}", who,
             f"{quantity(deal.quantity_milli, unit)} × {Money(deal.price_minor, deal.currency)}"
             f" = {total(deal)}",
             f"Status: {STATE_LABELS.get(deal.status, deal.status)}",
             f"Payment: {payment}"]
    if shipment is not None:
        eta = (f", expected {local_time(shipment.expected_at, reader and reader.timezone)}"
               if shipment.expected_at else "")
        lines.append(f"Shipment: {shipment.status.replace('_', ' ')} via {shipment.carrier}"
                     + (f" ({shipment.tracking})" if shipment.tracking else "") + eta)
    return "\n".join(lines)


def quality_summary(view: DealView) -> str:
    """What the buyer measured, in words: “moisture 12 %, delivered 90 t”."""
    if view.quality is None:
        return "no report"
    return measured_text(view.quality, view.deal, view.unit)


def measured_text(report: QualityReport, deal: Deal, unit: str) -> str:
    """A quality report's values as typed, and a delivered quantity that differs."""
    parts = [f"{name} {value} {MEASURABLE.get(name, '')}".rstrip()
             for name, value in report.measured.items()]
    if report.delivered_milli is not None and report.delivered_milli != deal.quantity_milli:
        parts.append(f"delivered {quantity(report.delivered_milli, unit)} of "
                     f"{quantity(deal.quantity_milli, unit)}")
    return ", ".join(parts) or "as agreed"
