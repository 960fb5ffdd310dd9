"""How offers and deals read, for the notices core writes and the cards flows show: the same
text on every channel, dates in the reader's own time zone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from core.accounts.member import Member
from core.accounts.tables import Account
from core.accounts.vat import percent
from core.catalog.tables import Listing
from core.catalog.taxonomy import DELIVERY, SPEC_LABELS, UNITS
from core.clock import local_time
from core.deals import call_offs, sale_vat
from core.deals.after_sale.quality_report import MEASURABLE
from core.deals.facts import (
    DealFacts,
    OfferListing,
    QualityFacts,
    deal_facts,
    offer_listing,
    quality_facts,
)
from core.deals.freight import cards as freight_cards
from core.deals.offers.facts import OfferFacts, changes, offer_facts
from core.deals.rules import PAYMENT_METHODS, ShipmentStatus
from core.deals.tables import Deal, Offer, QualityReport
from core.deals.terms.wording import LABELS as TERMS_LABELS
from core.i18n import N_, _, dates, present
from core.money.model import Money, exponent
from core.payments_port import EscrowState, EscrowView
from core.policy import Policy
from core.process.deals import DealState, OfferState, state_words

if TYPE_CHECKING:
    from core.deals.views import DealView

CHANGE_LABELS = {"quantity": N_("quantity"), "price": N_("price"), "incoterm": N_("Incoterm"),
                 "place": N_("place"), "delivery_from": N_("delivery from"),
                 "delivery_to": N_("delivery by"), "payment_method": N_("payment"),
                 "call_offs": N_("call-offs"), "call_off_every": N_("call-off interval"),
                 "price_index": N_("price index"), "index_premium": N_("premium over the index")}
# A shipment's status as its line on the deal card says it.
SHIPMENT_WORDS: dict[str, str] = {
    ShipmentStatus.DISPATCHED: N_("dispatched"), ShipmentStatus.IN_TRANSIT: N_("in transit"),
    ShipmentStatus.DELAYED: N_("delayed"), ShipmentStatus.DELIVERED: N_("delivered")}


def quantity(milli: int, unit: str) -> str:
    """A quantity kept in thousandths, as the reader writes it: “24,5 t”."""
    return present.quantity_milli(milli, unit)


def offer_text(offer: Offer | OfferFacts, listing: Listing | OfferListing,
               previous: Offer | OfferFacts | None, policy: Policy,
               reader: Member | Account | None) -> str:
    """An offer card: quantity, unit price, total, commission, price per MWh, Incoterm, the
    delivery window, payment, what changed against the previous round, and its expiry. (A
    notice passes the rows, a flow the read models: the same words.)"""
    offer = offer_facts(offer) if isinstance(offer, Offer) else offer
    listing = offer_listing(listing) if isinstance(listing, Listing) else listing
    previous = offer_facts(previous) if isinstance(previous, Offer) else previous
    price, amount = offer.price, offer.total
    unit = UNITS.get(listing.unit, listing.unit)
    heading = (N_("💶 Counter-offer #{id} on “{title}”") if offer.previous_id else
               N_("💶 Quote #{id} on “{title}”") if offer.made_by == "seller" else
               N_("💶 Offer #{id} on “{title}”"))
    lines = [_(heading, id=offer.id, title=listing.title),
             *([_("📣 On request for supply #{id}", id=offer.request_id)]
               if offer.request_id else []),
             _("{quantity} × {price} per {unit} = {amount}",
               quantity=present.quantity(offer.quantity, listing.unit), price=price, unit=unit,
               amount=amount)]
    rule = policy.commission.get("bioenergy")
    if rule is not None:
        lines.append(_("Platform commission (paid by the seller): {commission}",
                       commission=rule.on(amount)))
    energy = listing.energy_per_unit
    if energy > 0:
        per_mwh = (price.decimal / energy).quantize(Decimal(1).scaleb(-exponent(offer.currency)))
        lines.append(f"≈ {Money.parse(per_mwh, offer.currency)}/MWh")
    lines.append(_("Delivery: {delivery}", delivery=delivery_text(
        offer.incoterm, offer.place, offer.delivery_from, offer.delivery_to)))
    method = PAYMENT_METHODS.get(offer.payment_method)
    lines.append(_("Payment: {payment}", payment=_(method) if method else "—"))
    if offer.call_offs and offer.terms.price_index:
        lines.append(call_offs.index_rule(offer.terms.price_index, offer.terms.index_premium
                                          or Money(0, offer.currency)))
    if offer.call_offs:
        lines.append(_("📑 Deliver in call-offs: {schedule}, {quantity} and {amount} in all",
                       schedule=schedule_text(offer),
                       quantity=present.quantity(offer.contract_quantity, listing.unit),
                       amount=Money(amount.amount * offer.call_offs, offer.currency)))
    if previous is not None:
        changed = changes(previous.terms, offer.terms)
        lines.append(_("Changed since the last round: {changes}", changes=", ".join(
            _(CHANGE_LABELS[c]) for c in changed) or _("nothing")))
    if offer.status == OfferState.OPEN:
        lines.append(_("⏳ Open until {when}",
                       when=local_time(offer.expires_at,
                                       reader.timezone if reader is not None else None)))
    elif offer.reason:
        lines.append(_("Status: {status} — {reason}", status=offer.status, reason=offer.reason))
    else:
        lines.append(_("Status: {status}", status=offer.status))
    return "\n".join(lines)


def schedule_text(offer: Offer | OfferFacts) -> str:
    """“3 call-offs, monthly, from 12 Jan 2026” (the quantity above is each call-off's)."""
    first = dates.day(offer.delivery_from) if offer.delivery_from else _("agreement")
    return _("{schedule}, from {first}",
             schedule=call_offs.words(offer.call_offs or 0, offer.call_off_every or ""), first=first)


def delivery_text(incoterm: str | None, place: str | None, start: object, end: object) -> str:
    """“Pickup Riga port, 20 Nov 2026 to 20 Dec 2026”: the way (in the reader's words), the
    place as written, and the days in the reader's language."""
    way = _(DELIVERY[incoterm]) if incoterm in DELIVERY else incoterm
    where = " ".join(p for p in (way, place) if p) or _("as listed")
    if start and end:
        return f"{where}, {_day(start)} – {_day(end)}"
    return _("{where}, from {start}", where=where, start=_day(start)) if start else where


def _day(value: object) -> str:
    """A delivery day (a date, or one written as ISO text) in the reader's language."""
    if isinstance(value, str):
        written = value
        try:
            value = date.fromisoformat(written[:10])
        except ValueError:
            return written
    return dates.day(value) if isinstance(value, date) else str(value)


def deal_text(view: DealView, payment: str, reader: Member | Account | None) -> str:
    """A deal card: what, how much, the other party, where it stands in each of its three
    statuses (lifecycle, payment, shipment)."""
    deal, counterpart, role, shipment = view.deal, view.counterpart, view.role, view.shipment
    who = (_("You are the buyer; the seller is {counterpart}.", counterpart=counterpart)
           if role == "buyer" else
           _("You are the seller; the buyer is {counterpart}.", counterpart=counterpart)
           if role == "seller" else _("Parties: {counterpart}.", counterpart=counterpart))
    lines = [_("🤝 Deal #{id}: {title}", id=deal.id, title=view.title), who,
             f"{present.quantity(deal.quantity, deal.unit)} × {deal.price} = {deal.total}",
             _("Status: {status}", status=state_words(deal.status, bool(deal.payment_days))),
             _("Payment: {payment}", payment=payment)]
    if shipment is not None:
        words = SHIPMENT_WORDS.get(shipment.status)
        line = _("Shipment: {status} via {carrier}", carrier=shipment.carrier,
                 status=_(words) if words else shipment.status.replace("_", " "))
        line += f" ({shipment.tracking})" if shipment.tracking else ""
        if shipment.expected_day:
            line = _("{shipment}, expected {when}", shipment=line,
                     when=dates.day(shipment.expected_day))
        lines.append(line)
    if view.freight is not None:
        lines.extend(freight_cards.deal_lines(view.freight))
    return "\n".join(lines)


def call_off_line(view: DealView) -> str:
    """A framework contract's call-off says which ("" for a deal of its own)."""
    deal = view.deal
    if deal.contract_id is None:
        return ""
    line = _("📑 Call-off {call_off} of contract #{contract_id}", call_off=deal.call_off,
             contract_id=deal.contract_id)
    return f"{line}\n{index_price_line(deal)}" if deal.price_index else line


def index_price_line(deal: DealFacts) -> str:
    """How an indexed call-off's price was made: the week used, or the fallback to the
    contract's agreed price when the index had published no week."""
    assert deal.price_index is not None
    indexed = call_offs.index_words(deal.price_index, deal.index_premium or Money(0, deal.currency))
    if deal.index_week is None:
        return _("📈 Price {indexed}; no week was published when this call-off was made, so it is "
                 "the contract's agreed {price}.", indexed=indexed, price=deal.price)
    return _("📈 Price {indexed}, from the {week}: {price}.", indexed=indexed,
             week=_("week of {day}", day=dates.day(deal.index_week)), price=deal.price)


def dispute_line(view: DealView) -> str:
    """A dispute's reason, and the decision once made ("" without one)."""
    dispute = view.dispute
    if dispute is None:
        return ""
    if dispute.outcome:
        return _("Dispute: {reason} — decided: {outcome} ({decision})", reason=dispute.reason,
                 outcome=dispute.outcome, decision=dispute.decision)
    return _("Dispute: {reason}", reason=dispute.reason)


def terms_rows(view: DealView) -> list[tuple[str, str]]:
    """The deal's current terms as label and words, in the reader's language: the goods, how
    much at what price, the total (with the VAT fixed on it), how and when the goods travel and
    how they are paid (the deal room's; its figures are the deal card's)."""
    deal, terms = view.deal, view.terms
    body = terms.body if terms is not None else {}
    label = {k: _(v) for k, v in TERMS_LABELS.items()}
    unit = _(UNITS[deal.unit]) if deal.unit in UNITS else deal.unit
    total: object = deal.total
    if deal.vat is not None:
        total = _("{amount} (VAT {rate} included: {vat})", amount=deal.payable,
                  rate=percent(deal.vat.rate), vat=deal.vat.amount)
    rows = [(label["product"], terms.goods if terms is not None else view.title),
            (label["quantity"], present.quantity(deal.quantity, deal.unit)),
            (label["unit_price"], _("{price} per {unit}", price=deal.price, unit=unit)),
            (label["total"], str(total)),
            (label["incoterm"], str(body.get("incoterm") or "—")),
            (label["place"], str(body.get("place") or "—"))]
    rows += [(label[key], _day(body[key])) for key in ("delivery_from", "delivery_to")
             if body.get(key)]
    method = PAYMENT_METHODS.get(str(body.get("payment_method") or ""))
    rows.append((label["payment_method"], _(method) if method else "—"))
    if terms is not None:
        rows.append((_("Version"), f"{present.count(terms.version)} · SHA-256 {terms.sha256[:16]}…"))
    return rows


def payment_words(view: EscrowView | None, deal: Deal | DealFacts) -> str:
    """The deal's payment status, from the money layer (never stored on the deal)."""
    status = deal.status
    if deal.payment_days and (view is None or view.state == EscrowState.AWAITING_PAYMENT) \
            and status not in (DealState.CANCELLED, DealState.REFUNDED):
        return _on_terms(view, deal)
    if view is None:
        return _("cancelled before payment") if status == DealState.CANCELLED else \
            _("opens once both parties accept the terms")
    if view.direct:
        return _("arranged directly between you — Agora holds nothing (no buyer protection)")
    amount: object = view.amount
    if view.vat is not None:  # the seller's VAT, paid on top of the price
        amount = _("{amount} (VAT {rate} included: {vat})", amount=view.amount,
                   rate=percent(view.vat.rate), vat=view.vat.amount)
    return {"awaiting_payment": _("{amount} awaiting the buyer's payment", amount=amount),
            "held": _("{amount} held in escrow", amount=amount),
            "released": _("released to the seller (commission {commission})", commission=view.commission),
            "refunded": _("refunded to the buyer"),
            }.get(view.state, view.state.replace("_", " "))


def _on_terms(view: EscrowView | None, deal: Deal | DealFacts) -> str:
    """A deal paid on terms: invoiced when the goods ship, then due on its date."""
    if view is not None and deal.payment_due_on is not None:
        return _("{amount} invoiced on terms, due on {date}", amount=view.amount,
                 date=dates.day(deal.payment_due_on))
    return _("on terms: the invoice comes when the goods ship, due {days} days later",
             days=deal.payment_days)


def figure_name(name: str) -> str:
    """A measured figure's name in the reader's language (“Feuchte”); one Agora does not name
    (a limit the parties wrote themselves) as the terms name it."""
    return _(SPEC_LABELS[name][0]) if name in SPEC_LABELS else name


def figure_text(name: str, value: Decimal) -> str:
    """One measured figure with its unit, in the reader's language and numbers: “Feuchte
    11,5 %” in German, “Moisture 11.5%” in English, “NCV 17.1 MJ/kg”."""
    unit = MEASURABLE.get(name, "")
    if unit == "%":
        return f"{figure_name(name)} {present.percent(value)}"
    return f"{figure_name(name)} " \
        f"{present.quantity(value, unit) if unit else present.number(value)}"


def quality_summary(view: DealView) -> str:
    """What the buyer measured, in words: “Moisture 12%, delivered 90 t”."""
    if view.quality is None:
        return _("no report")
    return measured_text(view.quality, view.deal)


def measured_text(report: QualityFacts, deal: DealFacts) -> str:
    """A quality report's values in the reader's numbers, and a delivered quantity that
    differs."""
    parts = [figure_text(name, value) for name, value in report.measured.items()]
    if report.delivered is not None and report.delivered != deal.quantity:
        parts.append(_("delivered {quantity} of {agreed}",
                       quantity=present.quantity(report.delivered, deal.unit),
                       agreed=present.quantity(deal.quantity, deal.unit)))
    said = ", ".join(parts) or _("as agreed")
    if report.measured_by:
        return _("{measured} (by independent inspector {inspector})", measured=said,
                 inspector=report.measured_by)
    return said


def adjustment_text(report: QualityReport | QualityFacts, deal: Deal | DealFacts,
                    unit: str = "") -> str:
    """A proposed quality adjustment: what was measured and how much the price goes down (and,
    where the seller charged VAT, what the buyer gets back with it). A notice passes the rows
    (and the listing's `unit`), a flow the deal view's read models."""
    if isinstance(report, QualityReport):
        assert isinstance(deal, Deal)
        report = quality_facts(report, deal)
    if isinstance(deal, Deal):
        deal = deal_facts(deal, unit)
    amount = report.adjustment
    measured = measured_text(report, deal)
    if deal.vat is not None:
        refund = sale_vat.with_vat(amount, deal.vat.rate)
        return _("Measured: {measured}. Under the frozen terms the price goes down by {amount} "
                 "({refund} with VAT).", measured=measured, amount=amount, refund=refund)
    return _("Measured: {measured}. Under the frozen terms the price goes down by {amount}.",
             measured=measured, amount=amount)
