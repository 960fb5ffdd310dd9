"""How a listing reads in chat: the card and the result line, laid out from the listing's read
model in the reader's words (core.catalog.listing_card, core.public.listing_words), the same
words the site and the Mini App show."""

from __future__ import annotations

from core.catalog.lifecycle import STATUS_LABELS
from core.catalog.listing_card import ListingCard
from core.i18n import _, present
from core.money.model import Money
from core.money.reading import shown
from core.public.listing_words import ListingWords, words


def qty(milli: int | None, unit: str) -> str:
    """“22,000 t”, “400 loose m³”: a quantity in the reader's number format and words."""
    return "—" if milli is None else present.quantity_milli(milli, unit)


def money(minor: int | None, currency: str) -> str:
    """An amount in the reader's format, “—” for none."""
    return shown(None if minor is None else Money(minor, currency))


def summary(card: ListingCard, km: float | None = None) -> str:
    """One line for result lists."""
    said = words(card)
    per_mwh = f" · {said.per_mwh}/MWh" if said.per_mwh else ""
    where = said.town + (f" · {present.count(round(km))} km" if km is not None else "")
    return f"{said.price}/{said.unit}{per_mwh} · {said.quantity} · {where}"


def card_text(card: ListingCard, *, show_status: bool = False) -> str:
    """The full listing card of a read model, in the reader's words."""
    said = words(card)
    lines = [f"📦 {said.title}", said.product + (f" · {said.grade}" if said.grade else "")]
    if show_status:
        lines.append(_("Status: {status}", status=_(STATUS_LABELS[card.status]))
                     + (f" — {card.reject_reason}" if card.reject_reason else ""))
    lines += _trade_lines(card, said)
    if said.specs:
        lines.append(_("Specs: {specs}", specs=", ".join(f"{label} {value}"
                                                         for label, value in said.specs)))
    if said.certified:
        lines.append("✅ " + " · ".join(said.certified))
    if said.certifications:
        lines.append(_("Certified: {certifications}",
                       certifications=", ".join(said.certifications)))
    if said.expired and show_status:  # the seller's own view: buyers see it as not certified
        lines.append("⚠ " + " · ".join(said.expired))
    if card.media:
        lines.append(_("📷 {photos} photo(s) · 📄 documents: {documents}",
                       photos=len(card.photos),
                       documents=", ".join(d.name for d in card.documents) or _("none")))
    if said.carbon_kg:
        lines.append(_("🌱 Avoids about {saving} kg CO₂e per {unit} vs fossil (RED II comparator)",
                       saving=said.carbon_kg, unit=said.unit))
    if card.seller is not None:
        company = f" · {card.seller.company}" if card.seller.company else ""
        lines.append(_("Seller: {name}{company} · {rating}", name=card.seller.name,
                       company=company, rating=said.seller))
    if card.description:
        lines.append(card.description)
    return "\n".join(lines)


def _trade_lines(card: ListingCard, said: ListingWords) -> list[str]:
    price = (_("Price: {price} per {unit} (negotiable)", price=said.price, unit=said.unit)
             if card.negotiable else
             _("Price: {price} per {unit} (fixed)", price=said.price, unit=said.unit))
    if said.per_mwh:
        price += f" · {said.per_mwh}/MWh"
    lines = [price, _("Quantity: {quantity} · minimum order {minimum}", quantity=said.quantity,
                      minimum=said.min_order)
             if said.min_order else _("Quantity: {quantity}", quantity=said.quantity)]
    delivery = list(said.delivery)
    if card.incoterm_place:
        delivery.append(_("place: {place}", place=card.incoterm_place))
    lines.append(_("Delivery: {options}", options=", ".join(delivery) or "—"))
    lines.append(_("Location: {place}", place=said.place))
    lines.append(_("Available {days}", days=said.available))
    return lines
