"""How a listing reads in chat: the card, with specs, documents, reputation and carbon saving."""

from __future__ import annotations

from decimal import Decimal

from core.catalog.gazetteer import town_name
from core.catalog.lifecycle import STATUS_LABELS
from core.catalog.taxonomy import (
    CERTIFICATIONS,
    DELIVERY,
    SPEC_LABELS,
    UNITS,
    carbon_saving_kg,
    product,
)
from core.catalog.views import Listing, media_of, seller_info
from core.deals.reputation import stars_text
from core.i18n import _, dates, n_
from core.i18n.countries import country_name
from core.money.model import Money
from core.money.reading import shown, shown_number
from core.storage.uow import UnitOfWork


def qty(milli: int | None, unit: str) -> str:
    """“22,000 t”, “400 loose m³”: a quantity in the reader's number format and words."""
    if milli is None:
        return "—"
    return f"{shown_number((Decimal(milli) / 1000).normalize())} {_(UNITS.get(unit, unit))}"


def money(minor: int | None, currency: str) -> str:
    """“1,234.50 EUR”: the currency's own decimals, a plain code (the card's house style)."""
    return shown(None if minor is None else Money(minor, currency))


def summary(listing: Listing, km: float | None = None) -> str:
    """One line for result lists."""
    per_mwh = (f" · {money(listing.price_mwh_minor, listing.currency)}/MWh"
               if listing.price_mwh_minor else "")
    where = town_name(listing.city, listing.country) + (
        f" · {shown_number(round(km))} km" if km is not None else "")
    return (f"{money(listing.price_minor, listing.currency)}/{UNITS[listing.unit]}{per_mwh} · "
            f"{qty(listing.quantity_milli, listing.unit)} · {where}")


async def card(uow: UnitOfWork, listing: Listing, *, show_status: bool = False) -> str:
    """The full listing card."""
    kind = product(listing.product_type)
    seller = await seller_info(uow, listing.seller_id)
    media = await media_of(uow, listing.id)
    lines = [f"📦 {listing.title}", _(kind.label) + (f" · {listing.grade}" if listing.grade else "")]
    if show_status:
        lines.append(_("Status: {status}", status=_(STATUS_LABELS[listing.status]))
                     + (f" — {listing.reject_reason}" if listing.reject_reason else ""))
    lines += _trade_lines(listing)
    specs = [f"{_(SPEC_LABELS[k][0])} {v}{SPEC_LABELS[k][1]}" for k, v in (listing.specs or {}).items()
             if k in SPEC_LABELS]
    if specs:
        lines.append(_("Specs: {specs}", specs=", ".join(specs)))
    if listing.certifications:
        lines.append(_("Certified: {certifications}", certifications=", ".join(
            _(CERTIFICATIONS.get(c, c)) for c in listing.certifications)))
    photos = [m for m in media if m.kind == "photo"]
    docs = [m for m in media if m.kind == "document"]
    if media:
        lines.append(_("📷 {photos} photo(s) · 📄 documents: {documents}", photos=len(photos),
                       documents=", ".join(d.file_name for d in docs) or _("none")))
    energy = Decimal(listing.energy_mwh_per_unit)
    if energy > 0:
        saving = carbon_saving_kg(listing.product_type, energy)
        lines.append(_("🌱 Avoids about {saving} kg CO₂e per {unit} vs fossil (RED II comparator)",
                       saving=shown_number(saving), unit=UNITS[listing.unit]))
    rating = stars_text(seller.stars_total, seller.ratings)
    if seller.deals:
        rating += " · " + n_("{n} deal completed", "{n} deals completed", seller.deals)
    company = f" · {seller.company}" if seller.company else ""
    lines.append(_("Seller: {name}{company} · {rating}", name=seller.name, company=company,
                   rating=rating))
    if listing.description:
        lines.append(listing.description)
    return "\n".join(lines)


def _trade_lines(listing: Listing) -> list[str]:
    unit = UNITS[listing.unit]
    each = money(listing.price_minor, listing.currency)
    price = (_("Price: {price} per {unit} (negotiable)", price=each, unit=unit) if listing.negotiable
             else _("Price: {price} per {unit} (fixed)", price=each, unit=unit))
    if listing.price_mwh_minor:
        price += f" · {money(listing.price_mwh_minor, listing.currency)}/MWh"
    quantity = qty(listing.quantity_milli, listing.unit)
    lines = [price, _("Quantity: {quantity} · minimum order {minimum}", quantity=quantity,
                      minimum=qty(listing.min_order_milli, listing.unit))
             if listing.min_order_milli else _("Quantity: {quantity}", quantity=quantity)]
    radius = listing.delivery_radius_km if "delivery" in (listing.delivery or []) else None
    delivery = [_("Delivery within {km} km", km=radius) if d == "delivery" and radius
                else _(DELIVERY.get(d, d)) for d in listing.delivery or []]
    if listing.incoterm_place:
        delivery.append(_("place: {place}", place=listing.incoterm_place))
    lines.append(_("Delivery: {options}", options=", ".join(delivery) or "—"))
    place = town_name(listing.city, listing.country)
    lines.append(_("Location: {place}",
                   place=place + (f", {country_name(listing.country)}" if listing.country else "")))
    lines.append(_("Available {start} – {end}", start=dates.day(listing.available_from),
                   end=dates.day(listing.valid_until)))
    return lines
